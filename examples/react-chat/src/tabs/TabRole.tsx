import type { TabRole as Role } from './use-tab-role'

/** Which tab holds the shared connection `label` (e.g. `chat`): this one, or another one this tab relays through. */
export function TabRole({ label, role }: { label: string; role: Role | undefined }) {
  if (!role) return null
  return (
    <span className={`role role-${role}`} data-testid={`${label}-role`} data-role={role}>
      {label}: {role === 'leader' ? 'this tab holds the connection' : 'relayed by another tab'}
    </span>
  )
}

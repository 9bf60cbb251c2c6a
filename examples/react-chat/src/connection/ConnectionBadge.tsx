import type { ConnectionState, ResilientWebSocket } from '@lifeline/core'
import { describeConnection } from './describe-connection'
import { useNow } from './use-now'
import { useRetryAt } from './use-retry-at'

interface Props {
  /** What the badge is for, e.g. `chat`. */
  label: string
  state: ConnectionState
  attempt: number
  socket: ResilientWebSocket | null
}

/** open / reconnecting (with the attempt and a countdown to the next try) / closed. */
export function ConnectionBadge({ label, state, attempt, socket }: Props) {
  const retryAt = useRetryAt(socket)
  const now = useNow(state === 'reconnecting')
  const view = describeConnection(state, attempt, retryAt, now)
  return (
    <span className={`badge badge-${view.tone}`} data-testid={`${label}-badge`} data-state={view.tone}>
      <span className="badge-label">{label}</span> {view.text}
    </span>
  )
}

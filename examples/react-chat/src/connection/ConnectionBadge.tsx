import type { ConnectionState } from '@lifeline/core'
import type { LifelineSocket } from '@lifeline/react'
import { describeConnection } from './describe-connection'
import { useNow } from './use-now'
import { useRetryAt } from './use-retry-at'

interface Props {
  /** What the badge is for, e.g. `chat`. */
  label: string
  state: ConnectionState
  attempt: number
  /** A `ResilientWebSocket` or a `SharedWebSocket`: its `reconnecting` events give the countdown. */
  socket: LifelineSocket | null
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

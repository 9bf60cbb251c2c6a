import type { ConnectionState } from '@lifeline/core'

/** What the connection badge shows. */
export interface ConnectionView {
  /** The badge's colour and its main word. */
  tone: 'open' | 'connecting' | 'reconnecting' | 'closed'
  /** The badge's words, e.g. `reconnecting · attempt 3 · next try in 1.2 s`. */
  text: string
}

/**
 * The badge for a socket's `state` and `attempt`. `retryAt` is when the scheduled retry starts (ms since the epoch,
 * from the last `reconnecting` event); `now` is the time to count down from.
 */
export function describeConnection(
  state: ConnectionState,
  attempt: number,
  retryAt: number | undefined,
  now: number,
): ConnectionView {
  if (state === 'open') return { tone: 'open', text: 'open' }
  if (state === 'closing' || state === 'closed') return { tone: 'closed', text: 'closed' }
  if (state === 'connecting' && attempt === 0) return { tone: 'connecting', text: 'connecting' }
  if (state === 'connecting') return { tone: 'reconnecting', text: `reconnecting · attempt ${attempt} · trying now` }
  const left = retryAt === undefined ? 0 : Math.max(0, retryAt - now)
  return {
    tone: 'reconnecting',
    text: `reconnecting · attempt ${attempt} · next try in ${(left / 1000).toFixed(1)} s`,
  }
}

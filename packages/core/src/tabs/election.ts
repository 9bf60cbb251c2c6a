import { reportError } from '../report-error'

/** The part of the Web Locks API (`navigator.locks`) the election uses. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>
}

/**
 * Asks for the lock `name` and calls `granted` once this tab holds it. The lock is then held until the returned
 * function is called, or until the tab goes away: the browser releases the locks of a tab that closes, crashes or is
 * discarded, and grants the lock to the next tab that asked. No timers, no polling. Calling the returned function
 * before the lock was granted withdraws the request.
 */
export function requestLead(locks: LockManagerLike, name: string, granted: () => void): () => void {
  const withdraw = new AbortController()
  let release!: () => void
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  locks
    .request(name, { signal: withdraw.signal }, () => {
      granted()
      return held
    })
    .catch((error: unknown) => {
      // Withdrawn before it was granted: nothing to do. Anything else is a fault to report.
      if ((error as { name?: unknown } | null)?.name !== 'AbortError') reportError(error)
    })
  return () => {
    withdraw.abort()
    release()
  }
}

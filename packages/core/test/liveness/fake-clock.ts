import { vi } from 'vitest'

/**
 * What the heartbeat allows itself beyond `interval` (before a ping) and beyond `interval + timeout` (before a dead
 * connection is found), so that the timers of many connections run together.
 */
export function heartbeatSlack(interval: number, timeout: number): number {
  return (interval + timeout) / 32
}

/**
 * Advances the fake clock 1 ms at a time until `done()` holds, at most `limit` ms; returns how long that took. For
 * events that come at a time known only within bounds (a heartbeat's ping).
 */
export async function advanceUntil(done: () => boolean, limit: number): Promise<number> {
  const start = Date.now()
  while (!done()) {
    if (Date.now() - start >= limit) throw new Error(`not done within ${limit} ms`)
    await vi.advanceTimersByTimeAsync(1)
  }
  return Date.now() - start
}

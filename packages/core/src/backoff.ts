/** How a retry delay is spread. See {@link ReconnectOptions.jitter}. */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none'

export interface BackoffSettings {
  minDelay: number
  maxDelay: number
  factor: number
  jitter: Jitter
}

/** The cap of the n-th retry (n from 0): `min(maxDelay, minDelay * factor ** n)`. */
export function backoffCap(n: number, s: BackoffSettings): number {
  return Math.min(s.maxDelay, s.minDelay * s.factor ** n)
}

/**
 * Delay in ms before retry number `n + 1` (n from 0: the first retry waits at most `minDelay`).
 * - `full`: uniform in [0, cap]
 * - `equal`: uniform in [cap / 2, cap]
 * - `none`: cap
 * - `decorrelated`: `minDelay` first, then uniform in [minDelay, 3 × previous], never above `maxDelay`
 *
 * `random` returns a number in [0, 1), like `Math.random`.
 */
export function backoffDelay(n: number, s: BackoffSettings, random: () => number, previous?: number): number {
  if (s.jitter === 'decorrelated') {
    if (n === 0 || previous === undefined) return Math.min(s.maxDelay, s.minDelay)
    const upper = Math.max(s.minDelay, previous * 3)
    return Math.min(s.maxDelay, s.minDelay + random() * (upper - s.minDelay))
  }
  const cap = backoffCap(n, s)
  if (s.jitter === 'none') return cap
  if (s.jitter === 'equal') return cap / 2 + (random() * cap) / 2
  return random() * cap
}

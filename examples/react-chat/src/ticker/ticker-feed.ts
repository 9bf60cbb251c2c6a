/** A ticker message: `{ seq, price, at }`, `seq` counting from 1. */
export interface Tick {
  seq: number
  price: number
  at: number
}

/** The recent ticks and the feed's health, as the ticker panel shows them. */
export interface TickerFeed {
  /** The last `KEEP` ticks, oldest first. */
  readonly recent: readonly Tick[]
  /** Numbers skipped between two ticks (should stay 0: every reconnect resumes after the last `seq`). */
  readonly gaps: number
  /** Ticks received again (a `seq` at or below the last one). */
  readonly duplicates: number
}

export const KEEP = 60

export const emptyFeed: TickerFeed = { recent: [], gaps: 0, duplicates: 0 }

/** A ticker message read from the wire, or `undefined` for anything else. */
export function parseTick(data: unknown): Tick | undefined {
  if (typeof data !== 'string' || !data.startsWith('{')) return undefined
  try {
    const { seq, price, at } = JSON.parse(data)
    return Number.isInteger(seq) && typeof price === 'number' && typeof at === 'number' ? { seq, price, at } : undefined
  } catch {
    return undefined
  }
}

/** The feed after `tick`: kept when newer than the last one, counted as a gap when numbers were skipped. */
export function addTick(feed: TickerFeed, tick: Tick): TickerFeed {
  const last = feed.recent.at(-1)
  if (last && tick.seq <= last.seq) return { ...feed, duplicates: feed.duplicates + 1 }
  const gaps = last && tick.seq > last.seq + 1 ? feed.gaps + 1 : feed.gaps
  return { recent: [...feed.recent, tick].slice(-KEEP), gaps, duplicates: feed.duplicates }
}

import type { TickerFeed } from './ticker-feed'

const WIDTH = 300
const HEIGHT = 60

/** The last price, its sequence number, a sparkline of the recent ones, and the feed's gap and duplicate counts. */
export function Ticker({ feed }: { feed: TickerFeed }) {
  const last = feed.recent.at(-1)
  if (!last) return <p className="empty">Waiting for the first price…</p>
  return (
    <div className="ticker">
      <div className="price" data-testid="price" data-seq={last.seq}>
        {last.price.toFixed(2)}
      </div>
      <div className="seq" data-testid="seq">
        seq {last.seq} · gaps {feed.gaps} · duplicates {feed.duplicates}
      </div>
      <Sparkline values={feed.recent.map((tick) => tick.price)} />
    </div>
  )
}

function Sparkline({ values }: { values: number[] }) {
  const low = Math.min(...values)
  const high = Math.max(...values)
  const span = high - low || 1
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0
  const points = values.map(
    (value, i) => `${(i * step).toFixed(1)},${(HEIGHT - ((value - low) / span) * HEIGHT).toFixed(1)}`,
  )
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true">
      <polyline points={points.join(' ')} />
    </svg>
  )
}

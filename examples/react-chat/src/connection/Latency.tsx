/** The last heartbeat round trip, or a dash before the first one. */
export function Latency({ latency }: { latency: number | undefined }) {
  return (
    <span className="latency" data-testid="latency">
      latency {latency === undefined ? '–' : `${Math.round(latency)} ms`}
    </span>
  )
}

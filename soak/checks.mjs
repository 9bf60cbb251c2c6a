/** The soak's verdict, free of I/O: each check with whether it held and the figures behind it. */

/** ms of silence within which a half-open connection must be dropped: (interval + timeout) + 10 %. */
export function detectionBound({ interval, timeout }) {
  return (interval + timeout) * 1.1
}

/**
 * `figures`: `{ fleet, settled, order, halfOpen: [{ watched, detected, detectedMs }], heap: { at1000, atEnd, cycles },
 * exit: { code, signal, ms }, unhandled }` (see run.mjs). Returns `[{ check, ok, detail }]`.
 */
export function evaluate(figures, { heartbeat, exitWithinMs = 2000, heapGrowth = 0.05 }) {
  const { fleet, order, halfOpen, heap, exit } = figures
  const bound = detectionBound(heartbeat)
  const watched = halfOpen.reduce((sum, w) => sum + w.watched, 0)
  const detected = halfOpen.reduce((sum, w) => sum + w.detected, 0)
  const detections = halfOpen.flatMap((w) => w.detectedMs)
  const slowest = detections.length > 0 ? Math.max(...detections) : undefined
  const unhandled = [...fleet.unhandled, ...heap.unhandled, ...figures.unhandled]
  const growth = heap.atEnd / heap.at1000 - 1
  return [
    {
      check: 'lost 0: every message sent was acknowledged or reported in drop',
      ok: figures.settled && fleet.lost === 0 && fleet.unknownAcks === 0,
      detail: `${fleet.sent} sent, ${fleet.acked} acknowledged, ${sumValues(fleet.dropped)} dropped, ${fleet.lost} lost${
        fleet.lost > 0 ? ` (e.g. ${fleet.lostExamples.join(', ')})` : ''
      }${fleet.unknownAcks > 0 ? `, ${fleet.unknownAcks} acks for ids never sent` : ''}`,
    },
    {
      check: 'backpressure exercised: send() returned false',
      ok: fleet.sendFalse > 0,
      detail: `${fleet.sendFalse} times; drain ${fleet.drains} times`,
    },
    {
      check: 'queue overflow exercised: drop events with reason overflow',
      ok: (fleet.dropped.overflow ?? 0) > 0,
      detail: JSON.stringify(fleet.dropped),
    },
    {
      check: 'per-client order at the server, after de-duplication',
      ok: order.arrivals > 0 && order.outOfOrder.length === 0,
      detail: `${order.arrivals} arrivals, ${order.duplicates} repeats, ${order.outOfOrder.length} out of order${
        order.outOfOrder.length > 0 ? ` (first: ${JSON.stringify(order.outOfOrder[0])})` : ''
      }`,
    },
    {
      check: 'feed gaps 0 (resume after the last sequence number)',
      ok: fleet.feed.received > 0 && fleet.feed.gaps === 0,
      detail: `${fleet.feed.received} received, ${fleet.feed.gaps} gaps (${fleet.feed.missing} missing), ${fleet.feed.duplicates} repeats`,
    },
    {
      check: `every half-open connection dropped within interval + timeout + 10 % (${bound.toFixed(0)} ms of silence)`,
      ok: watched > 0 && detected === watched && slowest !== undefined && slowest <= bound,
      detail: `${detected} of ${watched} detected in ${halfOpen.length} faults; slowest ${slowest?.toFixed(0) ?? '-'} ms`,
    },
    {
      check: `heap after ${heap.cycles} reconnect cycles within ${heapGrowth * 100} % of the heap after 1000`,
      ok: growth <= heapGrowth,
      detail: `${mb(heap.at1000)} → ${mb(heap.atEnd)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %)`,
    },
    {
      check: 'no unhandled error or rejection',
      ok: unhandled.length === 0,
      detail: unhandled.length === 0 ? 'none' : unhandled[0].split('\n')[0],
    },
    {
      check: `after close() on every client the process exits by itself within ${exitWithinMs} ms`,
      ok: exit.code === 0 && exit.ms !== null && exit.ms <= exitWithinMs,
      detail:
        exit.ms === null
          ? `still running after ${exitWithinMs} ms (killed)`
          : `exit ${exit.code ?? exit.signal} after ${exit.ms.toFixed(0)} ms`,
    },
  ]
}

function sumValues(counts) {
  return Object.values(counts).reduce((sum, n) => sum + n, 0)
}

function mb(bytes) {
  return `${(bytes / 2 ** 20).toFixed(2)} MB`
}

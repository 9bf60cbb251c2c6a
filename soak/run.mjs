// The chaos soak: lifeline clients with acknowledged delivery, and resuming feeds, against the example server
// (examples/server) while it drops connections, goes half-open, reads slowly, refuses connections and restarts;
// then a fast phase of reconnect cycles that watches the heap. Prints the figures and the checks, writes them as
// JSON with --json <file>, and exits non-zero unless every check holds.
//   node soak/run.mjs [--duration 60] [--clients 50] [--large 3] [--feeds 5] [--cycles 5000] [--json soak.json]
// It measures the BUILT packages (packages/*/dist): build them first (`pnpm soak` does).
import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startServer } from '../examples/server/server.mjs'
import { evaluate } from './checks.mjs'
import { ArrivalOrder } from './ledger.mjs'
import { parseOptions } from './options.mjs'
import { faultSchedule } from './schedule.mjs'
import { HEARTBEAT } from './settings.mjs'

await import('../testing/src/register.mjs')
const { startChild } = await import('@lifeline/testing/child-process')
const { until } = await import('@lifeline/testing/wait')

const HEAP_CLIENTS = 10
const SETTLE_MS = 30_000
const EXIT_WITHIN_MS = 2000

const options = parseOptions(process.argv.slice(2))
if (options.error) {
  console.error(options.error)
  process.exit(2)
}

/** Rejections nobody handled in this process (an exception ends the run, see the end of this file). */
const unhandled = []
process.on('unhandledRejection', (reason) =>
  unhandled.push(`soak parent, unhandled rejection: ${reason?.stack ?? reason}`),
)

const here = (file) => fileURLToPath(new URL(file, import.meta.url))
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
const started = performance.now()
const log = (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`)

/** Runs one fault from the schedule; resolves when it is over. */
async function applyFault(server, fleet, { fault, ms }, halfOpen) {
  if (fault === 'drop') return server.faults.dropAll()
  if (fault === 'half-open') {
    await fleet.request({ type: 'half-open' })
    await server.faults.halfOpen(ms)
    halfOpen.push(await fleet.request({ type: 'half-open-over' }))
    return
  }
  if (fault === 'slow-read') return server.faults.slowRead(ms)
  if (fault === 'refuse') {
    const over = server.faults.refuse(ms)
    server.faults.dropAll()
    return over
  }
  return server.faults.restart(ms)
}

/** The main phase: the fleet through the fault schedule; resolves with its figures. */
async function chaos(server) {
  const fleet = startChild(here('./fleet.mjs'))
  try {
    return await drive(server, fleet)
  } finally {
    await fleet.stop()
  }
}

async function drive(server, fleet) {
  const halfOpen = []
  const schedule = faultSchedule(options.duration * 1000)
  const sockets = await fleet.request({
    type: 'start',
    url: server.url,
    clients: options.clients,
    large: options.large,
    feeds: options.feeds,
  })
  log(`${sockets} sockets open; ${schedule.length} faults over ${options.duration} s`)
  const t0 = performance.now()
  for (const entry of schedule) {
    await sleep(t0 + entry.at - performance.now())
    log(`fault: ${entry.fault}${entry.ms > 0 ? ` for ${entry.ms} ms` : ''}`)
    await applyFault(server, fleet, entry, halfOpen)
  }
  await sleep(t0 + options.duration * 1000 - performance.now())
  await fleet.request({ type: 'stop-sending' })
  log('sending stopped; waiting for every message to be acknowledged or dropped')
  const settled = await fleet.request({ type: 'settle', timeout: SETTLE_MS })
  const report = await fleet.request({ type: 'report' })
  // close() on every client, then this child must end by itself.
  await fleet.request({ type: 'close' })
  const closedAt = performance.now()
  const ended = await Promise.race([fleet.exited, sleep(EXIT_WITHIN_MS + 500).then(() => null)])
  const exit = ended
    ? { code: ended.code, signal: ended.signal, ms: performance.now() - closedAt }
    : { code: null, signal: null, ms: null }
  log(`fleet closed; ${ended ? `it exited after ${exit.ms.toFixed(0)} ms` : 'it did not exit by itself'}`)
  return { fleet: report, settled, halfOpen, exit, schedule }
}

/** The heap phase: reconnect cycles (one per socket and drop), heap after 1000 and after `options.cycles`. */
async function heapPhase(server) {
  const child = startChild(here('./heap-phase.mjs'), [], { execArgv: ['--expose-gc', '--jitless'] })
  const heaps = {}
  try {
    const accepted = () => server.status().totals.accepted
    const base = accepted()
    await child.request({ type: 'start', url: server.url, clients: HEAP_CLIENTS })
    /** Resolves once `count` more connections were accepted than `from` and every socket is open. */
    const back = (from, count) =>
      until(
        () => accepted() >= from + count && server.status().connections.ack === HEAP_CLIENTS,
        10_000,
        'every socket open',
      )
    await back(base, HEAP_CLIENTS)
    const cycles = () => accepted() - base - HEAP_CLIENTS
    const checkpoints = [...new Set([1000, 2000, 3000, 4000, options.cycles])].filter((n) => n <= options.cycles)
    for (const checkpoint of checkpoints) {
      while (cycles() < checkpoint) {
        const before = accepted()
        server.faults.dropAll()
        await back(before, HEAP_CLIENTS)
      }
      heaps[checkpoint] = await child.request({ type: 'heap' })
      log(`heap after ${cycles()} reconnect cycles: ${(heaps[checkpoint].heapUsed / 2 ** 20).toFixed(2)} MB`)
    }
    const last = await child.request({ type: 'close' })
    return {
      cycles: options.cycles,
      at1000: heaps[1000].heapUsed,
      atEnd: heaps[options.cycles].heapUsed,
      series: Object.fromEntries(Object.entries(heaps).map(([n, h]) => [n, h.heapUsed])),
      spaces: Object.fromEntries(Object.entries(heaps).map(([n, h]) => [n, h.spaces])),
      opens: last.opens,
      acks: last.acks,
      unhandled: last.unhandled,
    }
  } finally {
    await child.stop()
  }
}

async function main() {
  const order = new ArrivalOrder()
  // Arrivals count while the fleet runs; the heap phase's clients are another story.
  let recording = true
  const onAck = (m, connection) => {
    if (recording) order.add(m.client, m.n, connection)
  }
  const server = await startServer({ tickInterval: 50, history: 2000, onAck })
  try {
    log(`example server on ${server.url}`)
    const chaosFigures = await chaos(server)
    recording = false
    const heap = await heapPhase(server)
    return {
      ...chaosFigures,
      order: { arrivals: order.arrivals, duplicates: order.duplicates, outOfOrder: order.outOfOrder.slice(0, 10) },
      heap,
      unhandled,
    }
  } finally {
    await server.close()
  }
}

let figures
try {
  figures = await main()
} catch (error) {
  console.error('The soak could not run:', error)
  process.exit(1)
}

const checks = evaluate(figures, { heartbeat: HEARTBEAT, exitWithinMs: EXIT_WITHIN_MS })
const { fleet } = figures
const detections = figures.halfOpen.flatMap((w) => w.detectedMs)
console.log(`
Soak: ${options.clients} clients (${options.large} sending large messages) and ${options.feeds} feeds, ${options.duration} s, ${figures.schedule.length} faults
  sent ${fleet.sent}, acknowledged ${fleet.acked}, dropped ${JSON.stringify(fleet.dropped)}, lost ${fleet.lost}
  acks repeated ${fleet.duplicateAcks}, acks after a drop ${fleet.ackedAfterDrop}; server saw ${figures.order.arrivals} arrivals, ${figures.order.duplicates} repeats
  send() false ${fleet.sendFalse}, drain ${fleet.drains}; opens ${fleet.opens}
  half-open detection, ms of silence: ${detections.map((ms) => ms.toFixed(0)).join(' ') || '-'}
  clients' event loop delay: p99 ${fleet.eventLoopDelayMs.p99.toFixed(0)} ms, max ${fleet.eventLoopDelayMs.max.toFixed(0)} ms
  heartbeat-timeout closes in all: ${fleet.heartbeatCloses.length}
  feed: ${fleet.feed.received} received, ${fleet.feed.gaps} gaps, ${fleet.feed.duplicates} repeats
  errors seen by clients: ${
    Object.entries(fleet.errors)
      .map(([text, n]) => `${n}× ${text}`)
      .join('; ') || 'none'
  }
  heap (MB) by reconnect cycles: ${Object.entries(figures.heap.series)
    .map(([n, bytes]) => `${n}: ${(bytes / 2 ** 20).toFixed(2)}`)
    .join(', ')}
`)
for (const { check, ok, detail } of checks) console.log(`${ok ? 'ok  ' : 'FAIL'}  ${check}: ${detail}`)
const failed = checks.filter((c) => !c.ok).length
console.log(
  `\nSoak checks: ${checks.length - failed} of ${checks.length} held${failed > 0 ? `, ${failed} failed` : ''}`,
)
if (options.json) {
  const machine = { cores: cpus().length, node: process.version }
  writeFileSync(
    options.json,
    `${JSON.stringify({ date: new Date().toISOString(), machine, options, checks, figures }, null, 2)}\n`,
  )
  console.log(`Figures written to ${options.json}`)
}
process.exit(failed === 0 ? 0 : 1)

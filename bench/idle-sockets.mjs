// 10,000 open, idle sockets in one Node process against a `ws` server in another process (a process may hold
// 20,000 descriptors here, so the two ends cannot share one). Client processes, one after the other:
//   raw ws             SOCKETS `ws` sockets: JS heap per socket; CPU while idle; then CPU with the heartbeat `ws`'s
//                      README recommends (one timer pings every socket each FAST ms and drops those that did not
//                      answer the previous ping): what a heartbeat costs with `ws` alone
//   raw ws, 25 s       the same README heartbeat every 25 s, lifeline's default interval: the floor lifeline's
//                      default is compared with (one ping frame out and one pong in per socket and interval)
//   lifeline, fast     SOCKETS lifeline sockets, protocol-ping heartbeat, interval = timeout = FAST ms
//   lifeline, defaults SOCKETS lifeline sockets with the default heartbeat (protocol pings, 25 s / 10 s)
// The two 25 s cases run in turn, DEFAULT_ROUNDS times each (the median round is reported, with the range), each
// measured over two whole intervals once the first round of pings has gone by: the first
// round also compiles the ping and pong paths, a one-off cost a process holding idle sockets does not pay again.
// Nothing listens to lifeline's `latency` events (as in an app that does not read them): the pongs are counted
// where `ws` emits them.
// CPU is process.cpuUsage() over wall time, in % of one core, GC included (the GC pauses that started in the window
// are shown too). Heap is heapUsed after full GCs (--expose-gc) minus heapUsed before the first socket, divided by
// SOCKETS; lifeline's is taken after its CPU window, raw ws's before its idle window, so that no forced GC comes
// right before a measured window. The client processes run with --no-memory-reducer: otherwise V8's one-off
// heap-shrinking collections, which follow the burst of allocation while 10,000 sockets open by 8–16 s, land in the
// window and add 100–200 ms of CPU that a process in its steady state does not spend. Scavenges and the
// mark-compacts the allocation itself triggers still run.
// Where the machine allows (Linux, `taskset`, two CPUs or more), the server process is pinned to the last CPU and each
// client process to the first (testing/src/cpu-pin.ts), as when the server is another machine: unpinned on a 2-core
// machine, the same case moved by ±0.25 points between runs, with whichever core the scheduler put the server on.
import { constants, PerformanceObserver } from 'node:perf_hooks'
import { isMain, report, runChild } from '@lifeline/testing/child-process'
import { CLIENT_CPU, pinToCpu, SERVER_CPU } from '@lifeline/testing/cpu-pin'
import { startServerProcess } from '@lifeline/testing/server-process'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { sleep } from './stats.mjs'

/** How many sockets: 10,000, or 2,000 with --quick (set in the child from its arguments). */
let SOCKETS = 10_000
const BATCH = 500
const FAST = 5000
const WINDOW = 20_000
const DEFAULT_INTERVAL = 25_000
/** Two whole default intervals. */
const DEFAULT_WINDOW = 2 * DEFAULT_INTERVAL
/** From the last socket's opening until the first round of pings at the default interval has gone by. */
const FIRST_ROUND = DEFAULT_INTERVAL + 3000
const IDLE_WINDOW = 5000
/** One-off timers (lifeline's stableAfter, 5000 ms) fire before anything is measured. */
const SETTLE = 6000

function heapAfterGc() {
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

/** GC pauses as the observer hears of them (later than they happen: a forced GC's entry may come after it). */
let gcEntries = []
new PerformanceObserver((list) => {
  gcEntries.push(...list.getEntries())
}).observe({ entryTypes: ['gc'] })

/** % of one core the process used over `ms` of wall time, and the GC pauses that started in it (all, mark-compact). */
async function cpuOver(ms) {
  const cpu = process.cpuUsage()
  const start = performance.now()
  gcEntries = []
  await sleep(ms)
  const used = process.cpuUsage(cpu)
  const end = performance.now()
  await sleep(100)
  const gc = { ms: 0, majorMs: 0, count: 0 }
  for (const entry of gcEntries) {
    if (entry.startTime < start || entry.startTime >= end) continue
    gc.ms += entry.duration
    gc.count++
    if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.majorMs += entry.duration
  }
  return { percent: ((used.user + used.system) / 1000 / (end - start)) * 100, gc }
}

async function openAll(create) {
  const sockets = []
  const started = performance.now()
  for (let i = 0; i < SOCKETS; i += BATCH) {
    const batch = []
    for (let j = i; j < Math.min(i + BATCH, SOCKETS); j++) {
      const socket = create()
      sockets.push(socket)
      batch.push(
        new Promise((resolve, reject) => {
          socket.onopen = resolve
          socket.onerror = (event) => reject(event.error ?? new Error('socket error'))
        }),
      )
    }
    await Promise.all(batch)
  }
  for (const socket of sockets) {
    socket.onopen = null
    socket.onerror = null
  }
  return { sockets, openMs: performance.now() - started }
}

/** `ws`'s README heartbeat: every `every` ms, drops the sockets that did not answer the last ping, pings the rest. */
function readmeHeartbeat(sockets, every) {
  return setInterval(() => {
    for (const socket of sockets) {
      if (socket.isAlive === false) socket.terminate()
      socket.isAlive = false
      socket.ping()
    }
  }, every)
}

/** Opens SOCKETS raw `ws` sockets that count their closes and pongs (in `counts`) and take note of each pong. */
async function openRaw(url) {
  const { sockets, openMs } = await openAll(() => new WebSocket(url))
  const counts = { closes: 0, pongs: 0 }
  for (const socket of sockets) {
    socket.on('close', () => counts.closes++)
    socket.on('pong', () => {
      socket.isAlive = true
      counts.pongs++
    })
  }
  return { sockets, openMs, counts }
}

async function measureRaw(url) {
  const heapBefore = heapAfterGc()
  const { sockets, openMs, counts } = await openRaw(url)
  await sleep(SETTLE)
  const heapPerSocket = (heapAfterGc() - heapBefore) / SOCKETS
  const idleCpu = await cpuOver(IDLE_WINDOW)
  const heartbeat = readmeHeartbeat(sockets, FAST)
  await sleep(1000)
  counts.pongs = 0
  const cpu = await cpuOver(WINDOW)
  clearInterval(heartbeat)
  return { openMs, heapPerSocket, idleCpu, cpu, pongsPerSecond: counts.pongs / (WINDOW / 1000), closes: counts.closes }
}

async function measureRawDefaultInterval(url) {
  const { sockets, openMs, counts } = await openRaw(url)
  const heartbeat = readmeHeartbeat(sockets, DEFAULT_INTERVAL)
  await sleep(FIRST_ROUND)
  counts.pongs = 0
  const cpu = await cpuOver(DEFAULT_WINDOW)
  clearInterval(heartbeat)
  return { openMs, cpu, pongsPerSecond: counts.pongs / (DEFAULT_WINDOW / 1000), closes: counts.closes }
}

/** Pongs lifeline's sockets received, counted where `ws` emits them. */
let lifelinePongs = 0

/** `ws`'s WebSocket counting the pongs it emits, without a listener more per socket. */
class PongCountingWebSocket extends WebSocket {
  emit(type, ...args) {
    if (type === 'pong') lifelinePongs++
    return super.emit(type, ...args)
  }
}

/** Lifeline's sockets with `heartbeat` (the default if undefined), measured over `window` ms after `wait` ms. */
async function measureLifeline(url, heartbeat, wait, window) {
  const heapBefore = heapAfterGc()
  const options = heartbeat === undefined ? {} : { heartbeat }
  const { sockets, openMs } = await openAll(() => clients.lifeline.create(url, PongCountingWebSocket, options))
  let closes = 0
  for (const socket of sockets) socket.on('close', () => closes++)
  await sleep(wait)
  lifelinePongs = 0
  const cpu = await cpuOver(window)
  const pongsPerSecond = lifelinePongs / (window / 1000)
  const heapPerSocket = (heapAfterGc() - heapBefore) / SOCKETS
  return { openMs, heapPerSocket, cpu, pongsPerSecond, closes }
}

const MODES = {
  'raw ws': (url) => measureRaw(url),
  'raw ws, 25 s': (url) => measureRawDefaultInterval(url),
  'lifeline, fast': (url) => measureLifeline(url, { interval: FAST, timeout: FAST }, SETTLE, WINDOW),
  'lifeline, defaults': (url) => measureLifeline(url, undefined, FIRST_ROUND, DEFAULT_WINDOW),
}

/** Rounds of the two 25 s cases, taken in turn (ws, lifeline, ws, ...): their spread between runs is wider than the gap. */
const DEFAULT_ROUNDS = 3

/** The round whose CPU figure is the median, with the range of all rounds. */
function medianRound(rounds) {
  const sorted = [...rounds].sort((a, b) => a.cpu.percent - b.cpu.percent)
  const median = sorted[(sorted.length - 1) >> 1]
  return { ...median, range: [sorted[0].cpu.percent, sorted.at(-1).cpu.percent], rounds: rounds.length }
}

export async function run({ quick = false } = {}) {
  SOCKETS = quick ? 2000 : 10_000
  const once = ['raw ws', 'lifeline, fast']
  const paired = quick ? [] : ['raw ws, 25 s', 'lifeline, defaults']
  const server = await startServerProcess()
  const serverCpu = pinToCpu(server.pid, SERVER_CPU())
  const pinned = serverCpu === undefined ? '' : String(CLIENT_CPU)
  const results = {}
  const child = (mode) =>
    runChild(new URL(import.meta.url).pathname, [mode, server.url('/idle'), String(SOCKETS), pinned], {
      execArgv: ['--expose-gc', '--no-memory-reducer'],
      timeout: 180_000,
    })
  try {
    for (const mode of once) results[mode] = await child(mode)
    for (let round = 0; round < DEFAULT_ROUNDS && paired.length > 0; round++) {
      for (const mode of paired) (results[mode] ??= []).push(await child(mode))
    }
  } finally {
    await server.stop()
  }
  const raw = results['raw ws']
  const raw25 = results['raw ws, 25 s'] && medianRound(results['raw ws, 25 s'])
  const fast = results['lifeline, fast']
  const defaults = results['lifeline, defaults'] && medianRound(results['lifeline, defaults'])
  const range = (r) => `${r.range[0].toFixed(2)}–${r.range[1].toFixed(2)} over ${r.rounds} rounds`
  const signed = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`
  const row = (r, cpu, window, heap) => ({
    'opened in s': r ? (r.openMs / 1000).toFixed(1) : '',
    'heap per socket': heap ?? '',
    'window s': window / 1000,
    'CPU % of a core': cpu.percent.toFixed(2),
    'GC ms in window (mark-compact)': `${cpu.gc.ms.toFixed(0)} (${cpu.gc.majorMs.toFixed(0)})`,
    'pongs/s': r ? r.pongsPerSecond.toFixed(0) : '0',
    'closes seen': r ? r.closes : '',
  })
  const placement =
    serverCpu === undefined
      ? 'not pinned to CPUs (needs Linux, taskset and two CPUs)'
      : `clients pinned to CPU ${CLIENT_CPU}, server to CPU ${serverCpu}`
  console.log(`\nIdle sockets: ${SOCKETS.toLocaleString('en')} open in one process, server in another; ${placement}`)
  console.table({
    'raw ws, no heartbeat': {
      ...row(null, raw.idleCpu, IDLE_WINDOW, kb(raw.heapPerSocket)),
      'opened in s': (raw.openMs / 1000).toFixed(1),
    },
    [`raw ws, README heartbeat every ${FAST / 1000} s`]: row(raw, raw.cpu, WINDOW),
    [`lifeline, heartbeat ${FAST / 1000} s / ${FAST / 1000} s`]: row(fast, fast.cpu, WINDOW, kb(fast.heapPerSocket)),
    ...(raw25 ? { 'raw ws, README heartbeat every 25 s': row(raw25, raw25.cpu, DEFAULT_WINDOW) } : {}),
    ...(defaults
      ? {
          'lifeline, default heartbeat 25 s / 10 s': row(
            defaults,
            defaults.cpu,
            DEFAULT_WINDOW,
            kb(defaults.heapPerSocket),
          ),
        }
      : {}),
  })
  const extraHeap = fast.heapPerSocket - raw.heapPerSocket
  const summary = []
  if (defaults && raw25) {
    summary.push({
      measure: `${SOCKETS / 1000}k idle sockets, default heartbeat every 25 s: CPU`,
      lifeline: `${defaults.cpu.percent.toFixed(2)} % of a core (median; ${range(defaults)})`,
      baseline: `${raw25.cpu.percent.toFixed(2)} % (ws README heartbeat every 25 s; ${range(raw25)})`,
      ratio: `${signed(defaults.cpu.percent - raw25.cpu.percent)} points; ${defaults.pongsPerSecond.toFixed(0)} vs ${raw25.pongsPerSecond.toFixed(0)} pings/s`,
      budget: '≤ 2 %',
      ok: defaults.cpu.percent <= 2,
    })
  }
  summary.push(
    {
      measure: `${SOCKETS / 1000}k idle sockets, heartbeat every ${FAST / 1000} s: CPU`,
      lifeline: `${fast.cpu.percent.toFixed(2)} % of a core`,
      baseline: `${raw.cpu.percent.toFixed(2)} % (ws README heartbeat every ${FAST / 1000} s)`,
      ratio: `${signed(fast.cpu.percent - raw.cpu.percent)} points; ${fast.pongsPerSecond.toFixed(0)} vs ${raw.pongsPerSecond.toFixed(0)} pings/s`,
      // The 2 % budget is for the default interval; pinging five times as often costs what `ws`'s own pings cost.
      budget: '—',
      ok: null,
    },
    {
      measure: `${SOCKETS / 1000}k idle sockets: JS heap per socket`,
      lifeline: kb(fast.heapPerSocket),
      baseline: `${kb(raw.heapPerSocket)} (ws)`,
      ratio: `${extraHeap >= 0 ? '+' : ''}${kb(extraHeap)}`,
      budget: '≤ +10 KB',
      ok: extraHeap <= 10 * 1024,
    },
  )
  const figures = {
    sockets: SOCKETS,
    placement,
    'raw ws': {
      heapPerSocketBytes: raw.heapPerSocket,
      idleCpuPercent: raw.idleCpu.percent,
      idleGcMs: raw.idleCpu.gc.ms,
      [`cpuPercent, ws README heartbeat every ${FAST} ms`]: raw.cpu.percent,
      [`gcMs, ws README heartbeat every ${FAST} ms`]: raw.cpu.gc.ms,
      ...(raw25
        ? {
            [`cpuPercent, ws README heartbeat every ${DEFAULT_INTERVAL} ms`]: raw25.cpu.percent,
            [`cpuPercentRange, ws README heartbeat every ${DEFAULT_INTERVAL} ms`]: raw25.range,
            [`gcMs, ws README heartbeat every ${DEFAULT_INTERVAL} ms`]: raw25.cpu.gc.ms,
          }
        : {}),
    },
    [`lifeline, heartbeat interval ${FAST} ms, timeout ${FAST} ms`]: {
      heapPerSocketBytes: fast.heapPerSocket,
      cpuPercent: fast.cpu.percent,
      gcMs: fast.cpu.gc.ms,
      pingsPerSecond: fast.pongsPerSecond,
    },
    ...(defaults
      ? {
          'lifeline, default heartbeat interval 25000 ms, timeout 10000 ms': {
            heapPerSocketBytes: defaults.heapPerSocket,
            cpuPercent: defaults.cpu.percent,
            cpuPercentRange: defaults.range,
            gcMs: defaults.cpu.gc.ms,
            pingsPerSecond: defaults.pongsPerSecond,
          },
        }
      : {}),
  }
  return { summary, figures }
}

if (isMain(import.meta.url)) {
  const [mode, url, sockets, cpu] = process.argv.slice(2)
  SOCKETS = Number(sockets)
  if (cpu) pinToCpu(process.pid, Number(cpu))
  report(await MODES[mode](url))
}

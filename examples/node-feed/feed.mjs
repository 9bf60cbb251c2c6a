/**
 * A Node worker that consumes the example server's ticker through lifeline and sends its own messages with
 * acknowledged delivery, injects every fault the server knows meanwhile, and proves both survived: every sequence
 * number arrived exactly once, and every message sent was acknowledged with none dropped.
 *
 * The ticker numbers its messages; on every reconnect lifeline's `resume` hook adds `since=<last seq seen>` to
 * the URL and the server replays what was missed. Half-open connections are found by lifeline's heartbeat
 * (protocol ping frames through `ws`); reconnection uses short backoff. The sending half is in sender.mjs.
 */
import { CloseCode, HEARTBEAT_TIMEOUT, ResilientWebSocket } from '@lifeline/core'
import { startServer } from '@lifeline/example-server'
import { WebSocket } from 'ws'
import { startSender } from './sender.mjs'
import { SequenceCheck } from './sequence-check.mjs'
import { sleep, waitFor } from './wait.mjs'

/** Milliseconds the demo waits, consumes, and lets each fault last. */
export const TIMINGS = {
  /** Consuming undisturbed before each fault and before the end. */
  settle: 1500,
  /** Half-open: longer than heartbeat interval + timeout, so only the heartbeat can notice. */
  halfOpen: 2500,
  slowRead: 2500,
  /** How long the listener stays down during a restart. */
  restart: 1500,
  /** Most time allowed, after a fault ends, to be open again and caught up. */
  recover: 10000,
}

/** The server's ticker period. */
const TICK = 100

/** ms between two of the worker's own messages. */
const SEND_EVERY = 100

/**
 * lifeline's settings for a feed that must not miss a message. The heartbeat interval is shorter than the ticker's
 * period so that a ping goes out between ticks and its round trip shows as latency; a real feed would use seconds.
 */
const SOCKET_OPTIONS = {
  WebSocket,
  reconnect: { minDelay: 100, maxDelay: 1000, stableAfter: 1000 },
  connectTimeout: 1000,
  heartbeat: { interval: 75, timeout: 500 },
}

/**
 * Runs the demo: starts the server in this process, consumes its ticker, injects drop / half-open / slow read /
 * restart in turn, then checks the sequence. Resolves with the result (`ok` says whether every check passed).
 *
 * @param {object} [options]
 * @param {(line: string) => void} [options.log] where the event log goes; `console.log` by default.
 * @param {Partial<typeof TIMINGS>} [options.timings] shorter or longer waits.
 */
export async function runFeed({ log = console.log, timings = {} } = {}) {
  const t = { ...TIMINGS, ...timings }
  const started = Date.now()
  const say = (line) => log(`[${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s] ${line}`)

  const server = await startServer({ tickInterval: TICK })
  say(`server listening on ${server.url}; ticker every ${TICK} ms`)
  const sender = startSender({ url: server.url, socketOptions: SOCKET_OPTIONS, every: SEND_EVERY, say })

  const check = new SequenceCheck()
  /** Every close event: `{ at, code, reason, wasOpen }` (`wasOpen`: a connection lost, not a failed attempt). */
  const closes = []
  let reconnects = 0
  let connected = false
  let afterOpen = false
  let stopping = false
  const latency = { lastLine: 0, max: 0, count: 0 }

  const socket = new ResilientWebSocket(`${server.url}/ticker`, {
    ...SOCKET_OPTIONS,
    resume(url) {
      if (check.last !== undefined) url.searchParams.set('since', String(check.last))
    },
  })
  socket.on('open', (event) => {
    if (event.reconnected) reconnects++
    connected = true
    afterOpen = true
    say(`open: ${event.reconnected ? 'reconnected' : 'connected'} (retry ${event.attempt}) to ${socket.url}`)
  })
  socket.on('close', (event) => {
    closes.push({ at: Date.now(), code: event.code, reason: event.reason, wasOpen: connected })
    const what = stopping ? 'closed' : connected ? 'connection lost' : 'attempt failed'
    connected = false
    const reason = event.reason ? ` "${event.reason}"` : ''
    const next = event.willReconnect ? 'will reconnect' : 'will not reconnect'
    say(`${what}: code ${event.code}${reason}, ${event.wasClean ? 'clean' : 'not clean'}, ${next}`)
  })
  socket.on('reconnecting', (event) => {
    say(`reconnecting: retry ${event.attempt} in ${Math.round(event.delay)} ms (reason: ${describe(event.reason)})`)
  })
  socket.on('error', (event) => say(`error: ${describe(event.error)}`))
  socket.on('latency', (event) => {
    latency.max = Math.max(latency.max, event.latency)
    latency.count++
    const now = Date.now()
    if (now - latency.lastLine < 1000) return
    say(`latency: ${event.latency} ms (max ${latency.max} ms over ${latency.count} ping(s) since the last line)`)
    latency.lastLine = now
    latency.max = 0
    latency.count = 0
  })
  socket.on('message', (event) => {
    const seq = seqOf(event.data)
    if (seq === undefined) {
      say(`✗ unexpected message: ${String(event.data).slice(0, 80)}`)
      return
    }
    const previous = check.last
    const outcome = check.add(seq)
    if (outcome === 'gap') say(`✗ gap: seq ${seq} after ${previous} (${seq - previous - 1} missing)`)
    else if (outcome === 'duplicate') say(`✗ duplicate: seq ${seq} after ${previous}`)
    else if (afterOpen) say(`first message: seq ${seq}${previous === undefined ? '' : ` (last seen ${previous})`}`)
    afterOpen = false
  })

  const faults = [
    {
      name: 'drop all connections',
      inject: () => server.faults.dropAll(),
      losesConnection: true,
      expect: (lost) => (lost.some((loss) => loss.code === CloseCode.Abnormal) ? '' : 'no 1006 close seen'),
    },
    {
      name: `half-open for ${t.halfOpen} ms`,
      inject: () => server.faults.halfOpen(t.halfOpen),
      losesConnection: true,
      expect: (lost, endedAt) =>
        lost.some((loss) => loss.reason === HEARTBEAT_TIMEOUT && loss.at <= endedAt)
          ? ''
          : 'the heartbeat did not notice the dead connection before the fault ended',
    },
    {
      name: `slow read for ${t.slowRead} ms`,
      inject: () => server.faults.slowRead(t.slowRead),
      expect: () => '',
    },
    {
      name: `restart with the listener down for ${t.restart} ms`,
      inject: () => server.faults.restart(t.restart),
      losesConnection: true,
      expect: (lost) =>
        lost.some((loss) => loss.code === CloseCode.ServiceRestart) ? '' : 'no 1012 (service restart) close seen',
    },
  ]

  const outcomes = []
  let caughtUp = false
  let sending
  try {
    if (!(await waitFor(() => check.last !== undefined, t.recover))) throw new Error('no ticker message arrived')
    for (const [index, fault] of faults.entries()) {
      await sleep(t.settle)
      const from = closes.length
      const reconnectsBefore = reconnects
      say(`── fault ${index + 1}/${faults.length}: ${fault.name} (last seq seen ${check.last})`)
      await fault.inject()
      const endedAt = Date.now()
      if (fault.losesConnection) await waitFor(() => closes.length > from, t.recover)
      const target = server.status().seq
      const recovered = await waitFor(
        () =>
          socket.readyState === socket.OPEN &&
          check.last >= target &&
          sender.socket.readyState === sender.socket.OPEN &&
          // Everything sent so far, what went before the fault included (the sender keeps sending meanwhile).
          sender.acknowledgedFirst(sender.sent),
        t.recover,
      )
      const seen = closes.slice(from)
      const lost = seen.filter((close) => close.wasOpen)
      const problem = recovered
        ? fault.expect(lost, endedAt)
        : `not open, caught up to seq ${target} and with every message sent acknowledged in time`
      outcomes.push({ name: fault.name, survived: problem === '', problem })
      const how =
        `${lost.length} connection(s) lost, ${seen.length - lost.length} failed attempt(s), ` +
        `${reconnects - reconnectsBefore} reconnect(s)`
      const seenNow = `last seq seen ${check.last}; ${sender.acknowledged} of ${sender.sent} sent acknowledged`
      if (problem) say(`✗ not survived: ${fault.name}: ${problem} (${how}; ${seenNow})`)
      else say(`✓ survived: ${fault.name} (${how}; ${seenNow})`)
    }
    await sleep(t.settle)
    const target = server.status().seq
    caughtUp = await waitFor(() => check.last >= target, t.recover)
  } finally {
    sending = await sender.stop(t.recover)
    stopping = true
    const closed = new Promise((resolve) => socket.once('close', resolve))
    socket.close(1000, 'demo finished')
    await Promise.race([closed, sleep(1000)])
    await server.close()
  }

  const survived = outcomes.filter((outcome) => outcome.survived).length
  const result = {
    caughtUp,
    received: check.received,
    first: check.first,
    last: check.last,
    reconnects,
    faults: outcomes,
    survived,
    gaps: check.gaps,
    missing: check.missing,
    duplicates: check.duplicates,
    sent: sending.sent,
    acknowledged: sending.acknowledged,
    lost: sending.lost,
    drops: sending.drops,
    repeatedAcks: sending.repeatedAcks,
    seconds: (Date.now() - started) / 1000,
  }
  result.ok = passed(result)
  printResult(result, log)
  return result
}

/**
 * Whether a run passed: caught up at the end, every fault survived, no gap, no duplicate, nothing sent lost and
 * nothing dropped.
 */
export function passed(result) {
  return (
    result.caughtUp &&
    result.survived === result.faults.length &&
    result.gaps === 0 &&
    result.duplicates === 0 &&
    result.lost === 0 &&
    result.drops === 0
  )
}

function printResult(result, log) {
  const row = (label, value) => log(`  ${label.padEnd(18)}${value}`)
  log('')
  log('── result')
  row('messages received', `${result.received} (seq ${result.first} to ${result.last})`)
  row('reconnects', result.reconnects)
  row('faults survived', `${result.survived} of ${result.faults.length}`)
  row('gaps', result.gaps === 0 ? 0 : `${result.gaps} (${result.missing} message(s) missing)`)
  row('duplicates', result.duplicates)
  row(
    'outgoing',
    `sent ${result.sent}, acknowledged ${result.acknowledged}, lost ${result.lost}, drops ${result.drops}`,
  )
  if (result.repeatedAcks > 0) row('', `${result.repeatedAcks} acknowledged twice (sent again after a lost ack)`)
  row('took', `${result.seconds.toFixed(1)} s`)
  log(result.ok ? 'PASS: every message arrived exactly once; every message sent was acknowledged' : 'FAIL')
}

/** A ticker message's `seq`, or `undefined` for anything else. */
function seqOf(data) {
  try {
    const seq = JSON.parse(String(data)).seq
    return Number.isInteger(seq) ? seq : undefined
  } catch {
    return undefined
  }
}

/** A close event or error, in a few words. */
function describe(reason) {
  if (reason && typeof reason === 'object' && reason.type === 'close') {
    return `close ${reason.code}${reason.reason ? ` "${reason.reason}"` : ''}`
  }
  if (reason instanceof Error || (reason && typeof reason.message === 'string')) return reason.message
  return String(reason)
}

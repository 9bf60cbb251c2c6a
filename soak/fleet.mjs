// The soak's clients, in a child process of their own (so that the parent can see this process end by itself
// after close()): `clients` lifeline sockets with acknowledged delivery on the example server's /ack, each sending
// a small message every SMALL_EVERY ms, `large` of them also sending LARGE_BYTES messages in bursts, faster than
// the connection takes them while it is down or slow (their queue is small, so it overflows: drop events); and
// `feeds` sockets on /ticker that resume after the last sequence number seen. Heartbeat: settings.mjs.
// Requests from the parent (answered as `{ type: 'answer', value }`):
//   start { url, clients, large, feeds }   connects everything, starts sending; answers once all are open
//   half-open                              notes the sockets open now: a half-open fault is about to start
//   half-open-over                         how many of those were dropped by the heartbeat, and how fast
//   stop-sending, settle { timeout }       stops the senders; waits until nothing is pending (acked or dropped)
//   report                                 the figures
//   close                                  close() on every socket; then this process must end by itself

import { monitorEventLoopDelay } from 'node:perf_hooks'
import { until } from '@lifeline/testing/wait'
import { WebSocket } from 'ws'
import { SequenceCheck } from '../examples/node-feed/sequence-check.mjs'
import { ackOf, DeliveryLedger, idOf, message } from './ledger.mjs'
import { acknowledged, HEARTBEAT_TIMEOUT, ResilientWebSocket } from './lifeline.mjs'
import { HEARTBEAT } from './settings.mjs'

const RECONNECT = { minDelay: 100, maxDelay: 2000 }
const CONNECT_TIMEOUT = 3000
const SMALL_EVERY = 100
const SMALL_BYTES = 100
const LARGE_EVERY = 100
const LARGE_BURST = 4
const LARGE_BYTES = 64 * 1024
const LARGE_QUEUE = { maxMessages: 100, maxBytes: 2 * 1024 * 1024 }

/** How late this process's event loop runs: late timers make late detections, so the report says. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

const unhandled = []
process.on('uncaughtException', (error) => unhandled.push(`uncaught: ${error?.stack ?? error}`))
process.on('unhandledRejection', (reason) => unhandled.push(`unhandled rejection: ${reason?.stack ?? reason}`))

/** Every socket: `{ socket, kind, lastHeard, opens, watch }` (+ ledger and counters for senders, check for feeds). */
const entries = []
const timers = []
const errors = {}
/** Heartbeat-timeout closes: ms of silence before each. */
const heartbeatCloses = []
let watching = []

function track(entry) {
  const { socket } = entry
  const heard = () => (entry.lastHeard = performance.now())
  socket.on('open', () => {
    entry.opens++
    heard()
  })
  socket.on('message', heard)
  socket.on('latency', heard)
  socket.on('error', (event) => {
    const text = String(event.error?.message ?? event.error ?? 'error').replace(/\d+/g, 'N')
    errors[text] = (errors[text] ?? 0) + 1
  })
  socket.on('close', (event) => {
    if (event.reason !== HEARTBEAT_TIMEOUT) return
    const silentMs = performance.now() - entry.lastHeard
    heartbeatCloses.push(silentMs)
    if (entry.watch) entry.watch.detectedMs = silentMs
  })
  entries.push(entry)
  return entry
}

function sender(url, index, large) {
  const ledger = new DeliveryLedger()
  const socket = new ResilientWebSocket(`${url}/ack`, {
    WebSocket,
    heartbeat: HEARTBEAT,
    reconnect: RECONNECT,
    connectTimeout: CONNECT_TIMEOUT,
    ...(large ? { queue: LARGE_QUEUE } : {}),
    delivery: acknowledged({ id: idOf, ackOf }),
  })
  const entry = track({ socket, kind: 'sender', index, large, ledger, n: 0, sendFalse: 0, drains: 0, opens: 0 })
  socket.on('message', (event) => {
    const id = ackOf(event.data)
    if (id !== undefined) ledger.ack(id)
  })
  socket.on('drop', (event) => ledger.drop(idOf(event.data), event.reason))
  socket.on('drain', () => entry.drains++)
  return entry
}

function send(entry, bytes) {
  const text = message(entry.index, ++entry.n, bytes)
  entry.ledger.sentMessage(idOf(text))
  const accepted = entry.socket.send(text)
  if (!accepted) entry.sendFalse++
  return accepted
}

function feed(url) {
  const check = new SequenceCheck()
  const socket = new ResilientWebSocket(`${url}/ticker`, {
    WebSocket,
    heartbeat: HEARTBEAT,
    reconnect: RECONNECT,
    connectTimeout: CONNECT_TIMEOUT,
    resume: (next) => {
      if (check.last !== undefined) next.searchParams.set('since', String(check.last))
    },
  })
  const entry = track({ socket, kind: 'feed', check, opens: 0 })
  socket.on('message', (event) => {
    const seq = JSON.parse(String(event.data)).seq
    if (seq !== undefined) check.add(seq)
  })
  return entry
}

/** Whether `condition()` came to hold within `ms`. */
function reached(condition, ms) {
  return until(condition, ms).then(
    () => true,
    () => false,
  )
}

const senders = () => entries.filter((entry) => entry.kind === 'sender')

const handlers = {
  async start({ url, clients, large, feeds }) {
    for (let i = 1; i <= clients; i++) sender(url, i, i <= large)
    for (let i = 0; i < feeds; i++) feed(url)
    if (!(await reached(() => entries.every((entry) => entry.opens > 0), 20_000))) {
      throw new Error(`only ${entries.filter((entry) => entry.opens > 0).length} of ${entries.length} sockets opened`)
    }
    timers.push(
      setInterval(() => {
        for (const entry of senders()) send(entry, SMALL_BYTES)
      }, SMALL_EVERY),
    )
    timers.push(
      setInterval(() => {
        for (const entry of senders()) {
          if (!entry.large) continue
          for (let i = 0; i < LARGE_BURST; i++) if (!send(entry, LARGE_BYTES)) break
        }
      }, LARGE_EVERY),
    )
    return entries.length
  },

  'half-open'() {
    watching = entries.filter((entry) => entry.socket.readyState === 1)
    for (const entry of watching) entry.watch = { detectedMs: undefined }
    return watching.length
  },

  'half-open-over'() {
    const detected = watching.filter((entry) => entry.watch.detectedMs !== undefined)
    const result = {
      watched: watching.length,
      detected: detected.length,
      detectedMs: detected.map((e) => e.watch.detectedMs),
    }
    for (const entry of watching) entry.watch = undefined
    watching = []
    return result
  },

  'stop-sending'() {
    for (const timer of timers.splice(0)) clearInterval(timer)
    return true
  },

  async settle({ timeout }) {
    return reached(() => senders().every((entry) => entry.ledger.pending === 0), timeout)
  },

  report() {
    const all = senders()
    const sum = (pick) => all.reduce((total, entry) => total + pick(entry), 0)
    const dropped = {}
    for (const entry of all) {
      for (const [reason, count] of Object.entries(entry.ledger.dropped))
        dropped[reason] = (dropped[reason] ?? 0) + count
    }
    const feedsOnly = entries.filter((entry) => entry.kind === 'feed')
    return {
      sockets: entries.length,
      sent: sum((e) => e.ledger.sent),
      sentLarge: all.filter((e) => e.large).length,
      acked: sum((e) => e.ledger.acked),
      dropped,
      duplicateAcks: sum((e) => e.ledger.duplicateAcks),
      ackedAfterDrop: sum((e) => e.ledger.ackedAfterDrop),
      unknownAcks: sum((e) => e.ledger.unknownAcks),
      lost: sum((e) => e.ledger.pending),
      lostExamples: all.flatMap((e) => e.ledger.pendingIds(2)).slice(0, 6),
      sendFalse: sum((e) => e.sendFalse),
      drains: sum((e) => e.drains),
      opens: entries.reduce((total, entry) => total + entry.opens, 0),
      heartbeatCloses,
      errors,
      feed: {
        received: feedsOnly.reduce((total, e) => total + e.check.received, 0),
        gaps: feedsOnly.reduce((total, e) => total + e.check.gaps, 0),
        missing: feedsOnly.reduce((total, e) => total + e.check.missing, 0),
        duplicates: feedsOnly.reduce((total, e) => total + e.check.duplicates, 0),
      },
      eventLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      unhandled,
    }
  },

  close() {
    for (const timer of timers.splice(0)) clearInterval(timer)
    loopDelay.disable()
    for (const { socket } of entries) socket.close()
    return true
  },
}

process.on('message', async (request) => {
  let answer
  try {
    answer = { type: 'answer', value: await handlers[request.type](request) }
  } catch (error) {
    answer = { type: 'answer', error: String(error?.stack ?? error) }
  }
  // After close() nothing may keep this process alive: the channel to the parent goes too.
  process.send(answer, () => {
    if (request.type === 'close') process.disconnect()
  })
})
// The parent went away before asking for close(): end with it.
process.on('disconnect', () => {
  if (!closing()) process.exit(1)
})

function closing() {
  return entries.length > 0 && entries.every((entry) => entry.socket.readyState >= 2)
}

// A dead connection: clients reach a `ws` server (another process) through a TCP proxy that can freeze. lifeline
// runs with a 1000 ms interval and 1000 ms timeout, once with application pings (the server answers 'pong') and once
// with protocol pings. Each trial freezes the connection right after a pong arrived, the worst moment: the next
// ping is due a whole interval later. Measured: time from the freeze to lifeline's close event (reason
// HEARTBEAT_TIMEOUT) and to its next open (through a fresh proxy connection). The other clients are frozen the same
// way and watched for 3 × (interval + timeout).
import { WebSocket } from 'ws'
import { isMain } from './child.mjs'
import { clients } from './clients.mjs'
import { HEARTBEAT_TIMEOUT } from './lifeline.mjs'
import { startServer } from './server-process.mjs'
import { median, sleep } from './stats.mjs'
import { TcpProxy } from './tcp-proxy.mjs'

const INTERVAL = 1000
const TIMEOUT = 1000
const TRIALS = 3
const WINDOW = INTERVAL + TIMEOUT
const BUDGET = WINDOW * 1.1

const HEARTBEATS = {
  'application pings': { interval: INTERVAL, timeout: TIMEOUT, message: 'ping', isPong: (data) => data === 'pong' },
  'protocol pings': { interval: INTERVAL, timeout: TIMEOUT },
}

function nextEvent(socket, type, timeout) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(type, listener)
      reject(new Error(`no ${type} event within ${timeout} ms`))
    }, timeout)
    const listener = (event) => {
      clearTimeout(timer)
      socket.off(type, listener)
      resolve(event)
    }
    socket.on(type, listener)
  })
}

/** Runs TRIALS freezes on one lifeline socket; resolves with the detection and reopen times in ms. */
async function lifelineTrials(server, heartbeat) {
  const proxy = new TcpProxy(server.port)
  const port = await proxy.listen()
  const socket = clients.lifeline.create(`ws://127.0.0.1:${port}/pong`, WebSocket, { heartbeat })
  const trials = []
  try {
    await nextEvent(socket, 'open', 5000)
    for (let i = 0; i < TRIALS; i++) {
      await nextEvent(socket, 'latency', 5 * WINDOW)
      proxy.freeze()
      const frozenAt = performance.now()
      const closed = await nextEvent(socket, 'close', 5 * WINDOW)
      const deadAt = performance.now()
      if (closed.reason !== HEARTBEAT_TIMEOUT) throw new Error(`closed for '${closed.reason}', not a heartbeat timeout`)
      await nextEvent(socket, 'open', 5 * WINDOW)
      trials.push({ dead: deadAt - frozenAt, reopened: performance.now() - frozenAt })
    }
  } finally {
    socket.close()
    await proxy.close()
  }
  return trials
}

/** Freezes a client's connection and reports whether it saw a close within 3 × (interval + timeout). */
async function watchOther(server, name) {
  const client = clients[name]
  const proxy = new TcpProxy(server.port)
  const port = await proxy.listen()
  const socket = client.create(`ws://127.0.0.1:${port}/pong`, WebSocket)
  let closedAt
  try {
    await new Promise((resolve) => client.on(socket, 'open', resolve))
    client.on(socket, 'close', () => (closedAt ??= performance.now()))
    proxy.freeze()
    const frozenAt = performance.now()
    await sleep(3 * WINDOW)
    return closedAt === undefined ? null : closedAt - frozenAt
  } finally {
    socket.close()
    await proxy.close()
  }
}

export async function run() {
  const server = await startServer()
  let lifeline
  let others
  try {
    const names = ['raw ws', 'reconnecting-websocket', 'partysocket', 'websocket-ts']
    ;[lifeline, others] = await Promise.all([
      Promise.all(Object.values(HEARTBEATS).map((heartbeat) => lifelineTrials(server, heartbeat))),
      Promise.all(names.map(async (name) => [name, await watchOther(server, name)])),
    ])
    lifeline = Object.fromEntries(Object.keys(HEARTBEATS).map((mode, i) => [mode, lifeline[i]]))
    others = Object.fromEntries(others)
  } finally {
    await server.stop()
  }
  console.log(
    `\nDead connection: interval ${INTERVAL} ms + timeout ${TIMEOUT} ms = ${WINDOW} ms; frozen right after a pong`,
  )
  const table = {}
  for (const [mode, trials] of Object.entries(lifeline)) {
    table[`lifeline, ${mode}`] = {
      'dead after ms (each trial)': trials.map((t) => t.dead.toFixed(0)).join(' '),
      'open again after ms': trials.map((t) => t.reopened.toFixed(0)).join(' '),
    }
  }
  for (const [name, closedAfter] of Object.entries(others)) {
    table[name] = {
      'dead after ms (each trial)':
        closedAfter === null ? `not noticed within ${3 * WINDOW} ms` : `closed after ${closedAfter.toFixed(0)}`,
      'open again after ms': '',
    }
  }
  console.table(table)
  return Object.entries(lifeline).map(([mode, trials]) => {
    const worst = Math.max(...trials.map((t) => t.dead))
    return {
      measure: `dead connection detected, ${mode} (worst of ${TRIALS})`,
      lifeline: `${worst.toFixed(0)} ms`,
      baseline: `${WINDOW} ms`,
      ratio: `× ${(worst / WINDOW).toFixed(3)}; reopen ${median(trials.map((t) => t.reopened)).toFixed(0)} ms`,
      budget: `≤ ${BUDGET.toFixed(0)} ms`,
      ok: worst <= BUDGET,
    }
  })
}

if (isMain(import.meta.url)) console.table(await run())

// A dead connection: clients reach a `ws` server (another process) through a TCP proxy that can freeze (both TCP
// connections stay open, nothing is forwarded: a dead route or a hung peer). lifeline runs with a 1000 ms interval
// and 1000 ms timeout, once with application pings (the server answers 'pong') and once with protocol pings, and
// (unless --quick) with its default heartbeat, protocol pings every 25 s + 10 s timeout. Each trial freezes the
// connection right after a pong arrived, the worst moment: the next ping is due a whole interval later. Measured:
// time from the freeze to lifeline's close event (reason HEARTBEAT_TIMEOUT), and to its next open (the proxy
// forwards again once the close is seen). The other clients are frozen the same way and watched for 3 × (1000 +
// 1000) ms. All of it runs at the same time.
import { startServerProcess } from '@lifeline/testing/server-process'
import { TcpProxy } from '@lifeline/testing/tcp-proxy'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { HEARTBEAT_TIMEOUT } from './lifeline.mjs'
import { sleep, summarize } from './stats.mjs'

const SHORT = { interval: 1000, timeout: 1000 }
const OTHERS_WATCHED = 3 * (SHORT.interval + SHORT.timeout)

/** lifeline's heartbeat settings measured, the window they promise, how many trials each. */
function modes(quick) {
  const all = {
    'application pings 1 s + 1 s': {
      heartbeat: { ...SHORT, message: 'ping', isPong: (data) => data === 'pong' },
      window: SHORT.interval + SHORT.timeout,
      trials: 3,
    },
    'protocol pings 1 s + 1 s': { heartbeat: { ...SHORT }, window: SHORT.interval + SHORT.timeout, trials: 3 },
    'default heartbeat 25 s + 10 s': { heartbeat: undefined, window: 35_000, trials: 2 },
  }
  if (quick) delete all['default heartbeat 25 s + 10 s']
  return all
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

/** Runs the trials of one mode on one lifeline socket; resolves with the detection and reopen times in ms. */
async function lifelineTrials(server, { heartbeat, window, trials: count }) {
  const proxy = await TcpProxy.start(server.port)
  const socket = clients.lifeline.create(`${proxy.url}/pong`, WebSocket, heartbeat ? { heartbeat } : {})
  const trials = []
  try {
    await nextEvent(socket, 'open', 5000)
    for (let i = 0; i < count; i++) {
      await nextEvent(socket, 'latency', 2 * window)
      proxy.freeze()
      const frozenAt = performance.now()
      const closed = await nextEvent(socket, 'close', 2 * window)
      const deadAt = performance.now()
      if (closed.reason !== HEARTBEAT_TIMEOUT) throw new Error(`closed for '${closed.reason}', not a heartbeat timeout`)
      proxy.unfreeze()
      await nextEvent(socket, 'open', 20_000)
      trials.push({ dead: deadAt - frozenAt, reopened: performance.now() - frozenAt })
    }
  } finally {
    socket.close()
    await proxy.close()
  }
  return trials
}

/** Freezes a client's connection and reports whether it saw a close within OTHERS_WATCHED ms. */
async function watchOther(server, name) {
  const client = clients[name]
  const proxy = await TcpProxy.start(server.port)
  const socket = client.create(`${proxy.url}/pong`, WebSocket)
  let closedAt
  try {
    await new Promise((resolve) => client.on(socket, 'open', resolve))
    client.on(socket, 'close', () => (closedAt ??= performance.now()))
    proxy.freeze()
    const frozenAt = performance.now()
    await sleep(OTHERS_WATCHED)
    return closedAt === undefined ? null : closedAt - frozenAt
  } finally {
    socket.close()
    await proxy.close()
  }
}

export async function run({ quick = false } = {}) {
  const measured = modes(quick)
  const server = await startServerProcess()
  let lifeline
  let others
  try {
    const names = ['raw ws', 'reconnecting-websocket', 'partysocket', 'websocket-ts']
    ;[lifeline, others] = await Promise.all([
      Promise.all(Object.values(measured).map((mode) => lifelineTrials(server, mode))),
      Promise.all(names.map(async (name) => [name, await watchOther(server, name)])),
    ])
    lifeline = Object.fromEntries(Object.keys(measured).map((mode, i) => [mode, lifeline[i]]))
    others = Object.fromEntries(others)
  } finally {
    await server.stop()
  }
  console.log('\nDead connection: frozen right after a pong; budget interval + timeout + 10 %')
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
        closedAfter === null ? `not noticed within ${OTHERS_WATCHED} ms` : `closed after ${closedAfter.toFixed(0)}`,
      'open again after ms': '',
    }
  }
  console.table(table)
  const figures = {
    lifeline: Object.fromEntries(
      Object.entries(lifeline).map(([mode, trials]) => [
        mode,
        {
          windowMs: measured[mode].window,
          deadMs: summarize(trials.map((t) => t.dead)),
          reopenedMs: summarize(trials.map((t) => t.reopened)),
        },
      ]),
    ),
    others: Object.fromEntries(
      Object.entries(others).map(([name, closedAfter]) => [
        name,
        { closedAfterMs: closedAfter, watchedMs: OTHERS_WATCHED },
      ]),
    ),
  }
  const summary = Object.entries(lifeline).map(([mode, trials]) => {
    const { window } = measured[mode]
    const worst = Math.max(...trials.map((t) => t.dead))
    return {
      measure: `dead connection detected, ${mode} (worst of ${trials.length})`,
      lifeline: `${worst.toFixed(0)} ms`,
      baseline: `${window} ms`,
      ratio: `× ${(worst / window).toFixed(3)}; reopen ${figures.lifeline[mode].reopenedMs.median.toFixed(0)} ms`,
      budget: `≤ ${(window * 1.1).toFixed(0)} ms`,
      ok: worst <= window * 1.1,
    }
  })
  return { summary, figures }
}

// A server that stops reading: the server pauses the connection's TCP socket for WINDOW ms while the client sends
// 64 KiB messages as fast as it is allowed. Raw `ws` sends blindly (stopped at RAW_CAP buffered bytes so the machine
// survives); lifeline's loop honours `send() === false` and waits for `drained()`. Each client runs in a child
// process of its own and samples its memory; the peaks' growth over the memory just after opening is compared with
// lifeline's bound: highWaterMark + queue.maxBytes + 10 MB.

import { isMain, report, runChild } from '@lifeline/testing/child-process'
import { startServerProcess } from '@lifeline/testing/server-process'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { formatMB, MB } from './stats.mjs'

/** ms the server stops reading: 10 s, or 4 s with --quick (set in the child from its arguments). */
let WINDOW = 10_000
/** The server stops reading when the connection opens and stays stopped a little past the client's window. */
const PAUSE_MARGIN = 2000
const MESSAGE_BYTES = 64 * 1024
const RAW_CAP = 2 * 1024 * MB
/** lifeline's defaults: highWaterMark 1 MiB, queue.maxBytes 8 MiB. */
const HIGH_WATER_MARK = 1 * MB
const QUEUE_MAX_BYTES = 8 * MB
const BUDGET = HIGH_WATER_MARK + QUEUE_MAX_BYTES + 10 * MB

function memory() {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
  return { rss, heapUsed, external, arrayBuffers }
}

async function sendWhileStalled(name, url) {
  const client = clients[name]
  const socket = client.create(url, WebSocket, name === 'lifeline' ? { reconnect: false } : undefined)
  await new Promise((resolve) => client.on(socket, 'open', resolve))
  const message = Buffer.alloc(MESSAGE_BYTES, 7)
  globalThis.gc?.()
  const base = memory()
  const peak = { ...base }
  let maxBuffered = 0
  const sample = () => {
    const now = memory()
    for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], now[key])
    maxBuffered = Math.max(maxBuffered, socket.bufferedAmount)
  }
  const sampler = setInterval(sample, 20)
  const start = performance.now()
  const deadline = start + WINDOW
  let sent = 0
  let refused = 0
  if (name === 'lifeline') {
    const timeUp = new Promise((resolve) => setTimeout(resolve, WINDOW))
    while (performance.now() < deadline) {
      sent++
      if (!socket.send(message)) {
        refused++
        await Promise.race([socket.drained(), timeUp])
      }
    }
  } else {
    while (performance.now() < deadline && socket.bufferedAmount < RAW_CAP) {
      for (let i = 0; i < 16; i++) socket.send(message)
      sent += 16
      sample()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const elapsed = performance.now() - start
  sample()
  clearInterval(sampler)
  const growth = Object.fromEntries(Object.keys(peak).map((key) => [key, peak[key] - base[key]]))
  return { sentBytes: sent * MESSAGE_BYTES, refused, maxBuffered, elapsed, growth }
}

export async function run({ quick = false } = {}) {
  WINDOW = quick ? 4000 : 10_000
  const server = await startServerProcess()
  const results = {}
  try {
    for (const name of ['raw ws', 'lifeline']) {
      results[name] = await runChild(
        new URL(import.meta.url).pathname,
        [name, server.url(`/pause?ms=${WINDOW + PAUSE_MARGIN}`), String(WINDOW)],
        {
          execArgv: ['--expose-gc'],
        },
      )
    }
  } finally {
    await server.stop()
  }
  console.log(
    `\nSlow consumer: the server stops reading for ${WINDOW / 1000} s; 64 KiB messages; peak growth over open`,
  )
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          'accepted by send()': formatMB(r.sentBytes),
          'send() false': r.refused,
          'max bufferedAmount': formatMB(r.maxBuffered),
          'seconds sending': (r.elapsed / 1000).toFixed(1),
          'peak rss': formatMB(r.growth.rss),
          'peak heapUsed': formatMB(r.growth.heapUsed),
          'peak external': formatMB(r.growth.external),
          'peak arrayBuffers': formatMB(r.growth.arrayBuffers),
        },
      ]),
    ),
  )
  const lifeline = results.lifeline.growth.rss
  const figures = Object.fromEntries(
    Object.entries(results).map(([name, r]) => [
      name,
      {
        acceptedBytes: r.sentBytes,
        sendFalse: r.refused,
        maxBufferedAmount: r.maxBuffered,
        peakGrowthBytes: r.growth,
      },
    ]),
  )
  figures.windowMs = WINDOW
  figures.budgetBytes = BUDGET
  const summary = [
    {
      measure: `peak memory growth, server not reading ${WINDOW / 1000} s (rss)`,
      lifeline: formatMB(lifeline),
      baseline: formatMB(results['raw ws'].growth.rss),
      ratio: `${((lifeline / BUDGET) * 100).toFixed(0)}% of budget`,
      budget: `≤ ${formatMB(BUDGET)}`,
      ok: lifeline <= BUDGET,
    },
  ]
  return { summary, figures }
}

if (isMain(import.meta.url)) {
  const [name, url, window] = process.argv.slice(2)
  WINDOW = Number(window)
  report(await sendWhileStalled(name, url))
}

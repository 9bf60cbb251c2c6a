// Echo, one message at a time: 50,000 messages of 32 B (10,000 with --quick), each sent only once the previous one
// came back from a `ws` echo server in another process. What a request/response protocol feels: the cost of a
// round trip through the client, both ways, with nothing to batch. Each client runs in a child process of its own
// that stays up for the whole case; after one untimed warm-up run each, ROUNDS rounds (5; 3 with --quick) run
// every client once, in an order that rotates from round to round. The ratio reported is the median over rounds of
// raw ws's time ÷ the client's time in the same round (the machine's speed drifts; a round's runs are close in time).

import { answerRequests, isMain, startChild } from '@lifeline/testing/child-process'
import { startServerProcess } from '@lifeline/testing/server-process'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { formatSummary, median, summarize } from './stats.mjs'

const MESSAGE = 'x'.repeat(32)
const CLIENTS = ['raw ws', 'lifeline', 'reconnecting-websocket', 'partysocket', 'websocket-ts']

/** Connects, echoes `messages` messages one by one; resolves with the ms it took. */
async function timeOneRun(name, url, messages) {
  const client = clients[name]
  const socket = client.create(url, WebSocket)
  let echoed
  client.on(socket, 'message', () => echoed())
  await new Promise((resolve) => client.on(socket, 'open', resolve))
  const start = performance.now()
  for (let i = 0; i < messages; i++) {
    const back = new Promise((resolve) => (echoed = resolve))
    socket.send(MESSAGE)
    await back
  }
  const ms = performance.now() - start
  const closed = new Promise((resolve) => client.on(socket, 'close', resolve))
  socket.close()
  await closed
  return ms
}

export async function run({ quick = false } = {}) {
  const messages = quick ? 10_000 : 50_000
  const rounds = quick ? 3 : 5
  const server = await startServerProcess()
  const url = server.url('/echo')
  const children = Object.fromEntries(
    CLIENTS.map((name) => [name, startChild(new URL(import.meta.url).pathname, [name, url, String(messages)])]),
  )
  const runs = Object.fromEntries(CLIENTS.map((name) => [name, []]))
  const ratios = Object.fromEntries(CLIENTS.map((name) => [name, []]))
  try {
    for (const name of CLIENTS) await children[name].request('run')
    for (let round = 0; round < rounds; round++) {
      const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length])
      const times = {}
      for (const name of order) times[name] = await children[name].request('run')
      for (const name of CLIENTS) {
        runs[name].push(times[name])
        ratios[name].push(times['raw ws'] / times[name])
      }
    }
  } finally {
    await Promise.all(Object.values(children).map((child) => child.stop()))
    await server.stop()
  }
  const figures = {
    messages,
    messageBytes: MESSAGE.length,
    rounds,
    clients: Object.fromEntries(
      CLIENTS.map((name) => [name, { ms: summarize(runs[name]), rawMsOverMs: summarize(ratios[name]) }]),
    ),
  }
  console.log(`\nEcho: ${messages.toLocaleString('en')} × 32 B, each awaited; ${rounds} rounds after a warm-up`)
  console.table(
    Object.fromEntries(
      CLIENTS.map((name) => {
        const f = figures.clients[name]
        return [
          name,
          {
            'ms, median (min–max)': formatSummary(f.ms),
            'round trips/s': Math.round((messages / f.ms.median) * 1000).toLocaleString('en'),
            'raw ms ÷ ms, median (min–max)': formatSummary(f.rawMsOverMs, 3),
          },
        ]
      }),
    ),
  )
  const ratio = median(ratios.lifeline)
  const perSecond = (name) => Math.round((messages / figures.clients[name].ms.median) * 1000).toLocaleString('en')
  return {
    summary: [
      {
        measure: `echo, ${messages.toLocaleString('en')} × 32 B awaited one by one (round trips/s)`,
        lifeline: perSecond('lifeline'),
        baseline: perSecond('raw ws'),
        ratio: `× ${ratio.toFixed(3)} (median of ${rounds} rounds)`,
        budget: '≥ × 0.95',
        ok: ratio >= 0.95,
      },
    ],
    figures,
  }
}

if (isMain(import.meta.url)) {
  const [name, url, messages] = process.argv.slice(2)
  answerRequests(() => timeOneRun(name, url, Number(messages)))
}

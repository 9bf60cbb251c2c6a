// Open-connection throughput: 200,000 messages (50,000 with --quick) of 32 bytes sent in a loop over a real connection to a `ws` server
// in another process, timed until the server says it has them all. lifeline's loop honours `send() === false` by
// awaiting `drained()`; the other clients just send. Each client runs in a child process of its own that stays up
// for the whole case; after one untimed warm-up run each, raw ws and lifeline run in pairs, ROUNDS times (12; 3
// with --quick), taking turns at going first; the other libraries run OTHER_RUNS times (5; 1 with --quick) between
// the first pairs.
// Single runs of the same client vary by ±15% on these two shared cores (the client's CPU time moves with its wall
// time: the loop is bound by one write system call per message, and the machine's speed drifts over a minute), so
// the ratio reported is the median of the pairs' ratios: the two runs of a pair ran under the same conditions.

import { answerRequests, isMain, startChild } from '@lifeline/testing/child-process'
import { startServerProcess } from '@lifeline/testing/server-process'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { median, summarize } from './stats.mjs'

const MESSAGE = 'x'.repeat(32)
const OTHERS = ['reconnecting-websocket', 'partysocket', 'websocket-ts']
const CLIENTS = ['raw ws', 'lifeline', ...OTHERS]

/** Connects, sends MESSAGES messages; resolves with the ms until the server had them all and the CPU ms spent. */
async function timeOneRun(name, url, messages) {
  const MESSAGES = messages
  const client = clients[name]
  const socket = client.create(url, WebSocket, name === 'lifeline' ? { reconnect: false } : undefined)
  let done
  const allReceived = new Promise((resolve) => (done = resolve))
  const opened = new Promise((resolve) => client.on(socket, 'open', resolve))
  client.on(socket, 'message', (event) => {
    if (String(event.data) === 'done') done(performance.now())
  })
  await opened
  const cpu = process.cpuUsage()
  const start = performance.now()
  if (name === 'lifeline') {
    for (let i = 0; i < MESSAGES; i++) {
      if (!socket.send(MESSAGE)) await socket.drained()
    }
  } else {
    for (let i = 0; i < MESSAGES; i++) socket.send(MESSAGE)
  }
  const end = await allReceived
  const used = process.cpuUsage(cpu)
  const closed = new Promise((resolve) => client.on(socket, 'close', resolve))
  socket.close()
  await closed
  return { ms: end - start, cpuMs: (used.user + used.system) / 1000 }
}

export async function run({ quick = false } = {}) {
  const MESSAGES = quick ? 50_000 : 200_000
  const ROUNDS = quick ? 3 : 12
  const OTHER_RUNS = quick ? 1 : 5
  const server = await startServerProcess()
  const url = server.url(`/count?n=${MESSAGES}`)
  const runs = Object.fromEntries(CLIENTS.map((name) => [name, []]))
  const pairRatios = []
  const children = Object.fromEntries(
    CLIENTS.map((name) => [name, startChild(new URL(import.meta.url).pathname, [name, url, String(MESSAGES)])]),
  )
  const once = async (name) => {
    const result = await children[name].request('run')
    runs[name].push(result)
    return result
  }
  try {
    for (const name of CLIENTS) await children[name].request('run')
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['raw ws', 'lifeline'] : ['lifeline', 'raw ws']
      const pair = {}
      for (const name of order) pair[name] = await once(name)
      pairRatios.push(pair['raw ws'].ms / pair.lifeline.ms)
      if (round < OTHER_RUNS) for (const name of OTHERS) await once(name)
    }
  } finally {
    await Promise.all(Object.values(children).map((child) => child.stop()))
    await server.stop()
  }
  const medianMs = (name) => median(runs[name].map((r) => r.ms))
  const raw = medianMs('raw ws')
  console.log(
    `\nThroughput: ${MESSAGES.toLocaleString('en')} × 32 B; medians of ${ROUNDS} runs (${OTHER_RUNS} for the other libraries)`,
  )
  console.table(
    Object.fromEntries(
      CLIENTS.map((name) => [
        name,
        {
          ms: medianMs(name).toFixed(0),
          'min–max ms': `${Math.min(...runs[name].map((r) => r.ms)).toFixed(0)}–${Math.max(...runs[name].map((r) => r.ms)).toFixed(0)}`,
          'messages/s': Math.round((MESSAGES / medianMs(name)) * 1000).toLocaleString('en'),
          'raw ms ÷ ms': (raw / medianMs(name)).toFixed(3),
          'client CPU ms': median(runs[name].map((r) => r.cpuMs)).toFixed(0),
          runs: runs[name].map((r) => r.ms.toFixed(0)).join(' '),
        },
      ]),
    ),
  )
  console.log(`raw ÷ lifeline per pair: ${pairRatios.map((ratio) => ratio.toFixed(3)).join(' ')}`)
  const ratio = median(pairRatios)
  const figures = {
    messages: MESSAGES,
    messageBytes: MESSAGE.length,
    clients: Object.fromEntries(
      CLIENTS.map((name) => [
        name,
        {
          ms: summarize(runs[name].map((r) => r.ms)),
          clientCpuMs: summarize(runs[name].map((r) => r.cpuMs)),
          rawMsOverMs: raw / medianMs(name),
        },
      ]),
    ),
    rawOverLifelinePerPair: summarize(pairRatios),
  }
  const summary = [
    {
      measure: `throughput, ${MESSAGES.toLocaleString('en')} × 32 B (messages/s)`,
      lifeline: Math.round((MESSAGES / medianMs('lifeline')) * 1000).toLocaleString('en'),
      baseline: Math.round((MESSAGES / raw) * 1000).toLocaleString('en'),
      ratio: `× ${ratio.toFixed(3)} (median of ${ROUNDS} pairs)`,
      budget: '≥ × 0.97',
      ok: ratio >= 0.97,
    },
  ]
  return { summary, figures }
}

if (isMain(import.meta.url)) {
  const [name, url, messages] = process.argv.slice(2)
  answerRequests(() => timeOneRun(name, url, Number(messages)))
}

// Cost per send() and per received message, with no I/O: each client is built over a fake socket that dispatches
// as `ws` does (DispatchingWebSocket from @lifeline/testing), opened, then timed. "raw ws" uses the fake directly. Every client runs in a
// child process of its own so that no client's code shapes the JIT's view of another's; the whole set runs
// ROUNDS times and the medians of the rounds are reported.

import { isMain, report, runChild } from '@lifeline/testing/child-process'
import { DispatchingPingWebSocket, DispatchingWebSocket } from '@lifeline/testing/dispatching-websocket'
import { Bench } from 'tinybench'
import { clients } from './clients.mjs'
import { summarize } from './stats.mjs'

const FakeSocket = DispatchingWebSocket
const FakePingSocket = DispatchingPingWebSocket
/** Operations per timed call: the timer's own cost spreads over this many. */
const BATCH = 1000
const MESSAGE = 'x'.repeat(32)

/** What runs in each child: a client, over which fake, with which options. */
const SUBJECTS = {
  'raw ws': { client: 'raw ws', Fake: FakeSocket },
  'lifeline (heartbeat: false)': { client: 'lifeline', Fake: FakeSocket, options: { heartbeat: false } },
  'lifeline (defaults)': { client: 'lifeline', Fake: FakeSocket },
  'lifeline (defaults, pings)': { client: 'lifeline', Fake: FakePingSocket },
  'reconnecting-websocket': { client: 'reconnecting-websocket', Fake: FakeSocket },
  partysocket: { client: 'partysocket', Fake: FakeSocket },
  'websocket-ts': { client: 'websocket-ts', Fake: FakeSocket },
}

async function openSubject(name) {
  const { client, Fake, options } = SUBJECTS[name]
  FakeSocket.last = null
  const socket = clients[client].create('ws://127.0.0.1:9/bench', Fake, options)
  while (FakeSocket.last === null) await new Promise((resolve) => setImmediate(resolve))
  const fake = FakeSocket.last
  fake.open()
  await new Promise((resolve) => setImmediate(resolve))
  return { socket, fake }
}

/** Checks that one send() reaches the fake and one message reaches the listener: nothing is queued or lost. */
function checkWiring(socket, fake, received) {
  let sent = 0
  fake.send = () => sent++
  socket.send(MESSAGE)
  delete fake.send
  const before = received()
  fake.receive(MESSAGE)
  if (sent !== 1 || received() !== before + 1) {
    throw new Error(`not wired: ${sent} sent, ${received() - before} received`)
  }
}

async function measure(name) {
  const { socket, fake } = await openSubject(name)
  let count = 0
  let last
  const listener = (event) => {
    last = event.data
    count++
  }
  if (SUBJECTS[name].client === 'websocket-ts') {
    socket.addEventListener('message', (_socket, event) => {
      last = event.data
      count++
    })
  } else socket.onmessage = listener
  checkWiring(socket, fake, () => count)

  const bench = new Bench({ time: 600, warmupTime: 200 })
  bench.add('send', () => {
    for (let i = 0; i < BATCH; i++) socket.send(MESSAGE)
  })
  bench.add('receive', () => {
    for (let i = 0; i < BATCH; i++) fake.receive(MESSAGE)
  })
  bench.runSync()
  if (last !== MESSAGE) throw new Error('the listener did not see the messages')
  const nsPerOp = (task) => (task.result.latency.p50 * 1e6) / BATCH
  return { send: nsPerOp(bench.getTask('send')), receive: nsPerOp(bench.getTask('receive')) }
}

/** `+1.5` or `−0.3`: an overhead in ns, its sign always shown. */
function signed(ns) {
  return `${ns < 0 ? '−' : '+'}${Math.abs(ns).toFixed(1)}`
}

export async function run({ quick = false } = {}) {
  const ROUNDS = quick ? 2 : 5
  const samples = Object.fromEntries(Object.keys(SUBJECTS).map((name) => [name, { send: [], receive: [] }]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(SUBJECTS)) {
      const result = await runChild(new URL(import.meta.url).pathname, [name])
      samples[name].send.push(result.send)
      samples[name].receive.push(result.receive)
    }
  }
  const figures = Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, { sendNs: summarize(s.send), receiveNs: summarize(s.receive) }]),
  )
  const results = Object.fromEntries(
    Object.entries(figures).map(([name, f]) => [name, { send: f.sendNs.median, receive: f.receiveNs.median }]),
  )
  const raw = results['raw ws']
  const range = (summary) => `${summary.min.toFixed(1)}–${summary.max.toFixed(1)}`
  console.log(`\nDispatch, no I/O: ns per operation, median of ${ROUNDS} rounds (overhead = client − raw ws)`)
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          'send ns': r.send.toFixed(1),
          'send min–max': range(figures[name].sendNs),
          'send +ns': (r.send - raw.send).toFixed(1),
          'receive ns': r.receive.toFixed(1),
          'receive min–max': range(figures[name].receiveNs),
          'receive +ns': (r.receive - raw.receive).toFixed(1),
        },
      ]),
    ),
  )
  const rows = []
  for (const [label, subject] of [
    ['lifeline', 'lifeline (defaults)'],
    ['lifeline, protocol pings', 'lifeline (defaults, pings)'],
  ]) {
    const r = results[subject]
    rows.push({
      measure: `send() over raw ws, ${label}`,
      lifeline: `${r.send.toFixed(1)} ns`,
      baseline: `${raw.send.toFixed(1)} ns`,
      ratio: `${signed(r.send - raw.send)} ns`,
      budget: '≤ +10 ns',
      ok: r.send - raw.send <= 10,
    })
    rows.push({
      measure: `received message over raw ws, ${label}`,
      lifeline: `${r.receive.toFixed(1)} ns`,
      baseline: `${raw.receive.toFixed(1)} ns`,
      ratio: `${signed(r.receive - raw.receive)} ns`,
      budget: '≤ +15 ns',
      ok: r.receive - raw.receive <= 15,
    })
  }
  return { summary: rows, figures: { rounds: ROUNDS, batch: BATCH, clients: figures } }
}

if (isMain(import.meta.url)) report(await measure(process.argv[2]))

// Server down, then back: CLIENTS clients of each library (10; 5 with --quick) hold connections to a `ws` server
// in another process; the server process is killed (connections drop, code 1006), stays down DOWN seconds (40; 10
// with --quick; --down <s> sets it), and listens again on the same port. Measured: for every client, the time from
// the server listening again to the client's open, with each library's default reconnection settings
// (websocket-ts's as its README shows: a constant 1 s). All libraries run at the same time against the same
// outage, each in a child process of its own; after a warm-up round with a 1 s outage, ROUNDS rounds (5; 1 with
// --quick). A client that does not reopen within REOPEN_LIMIT ms is counted as such and left out of the figures.

import { isMain, startChild } from '@lifeline/testing/child-process'
import { now, startServerProcess } from '@lifeline/testing/server-process'
import { LIBRARIES } from './clients.mjs'
import { serveReconnectingClients } from './reconnecting-clients.mjs'
import { formatSummary, summarize } from './stats.mjs'

const REOPEN_LIMIT = 30_000
const WARM_UP_DOWN = 1000

/** One outage: every library connected, the server killed, back after `down` ms; resolves with ms to reopen. */
async function outage(server, children, count, down) {
  await Promise.all(
    Object.values(children).map((child) => child.request({ type: 'connect', url: server.url('/'), count })),
  )
  const killedAt = now()
  await server.kill()
  const back = await startServerProcess({ port: server.port, listenAt: killedAt + down })
  const reopened = await Promise.all(
    Object.values(children).map((child) =>
      child.request({ type: 'reopened', after: killedAt, timeout: down + REOPEN_LIMIT }),
    ),
  )
  await Promise.all(Object.values(children).map((child) => child.request({ type: 'close' })))
  const times = Object.fromEntries(
    Object.keys(children).map((name, i) => [
      name,
      reopened[i].map((at) => (at === null ? null : at - back.listeningAt)),
    ]),
  )
  return { server: back, times }
}

export async function run({ quick = false, downSeconds } = {}) {
  const count = quick ? 5 : 10
  const rounds = quick ? 1 : 5
  const down = (downSeconds ?? (quick ? 10 : 40)) * 1000
  let server = await startServerProcess()
  const children = Object.fromEntries(
    LIBRARIES.map((name) => [name, startChild(new URL(import.meta.url).pathname, [name])]),
  )
  const samples = Object.fromEntries(LIBRARIES.map((name) => [name, []]))
  const missing = Object.fromEntries(LIBRARIES.map((name) => [name, 0]))
  try {
    ;({ server } = await outage(server, children, count, WARM_UP_DOWN))
    for (let round = 0; round < rounds; round++) {
      const result = await outage(server, children, count, down)
      server = result.server
      for (const [name, times] of Object.entries(result.times)) {
        for (const ms of times) {
          if (ms === null) missing[name]++
          else samples[name].push(ms)
        }
      }
    }
  } finally {
    await Promise.all(Object.values(children).map((child) => child.stop()))
    await server.stop()
  }
  const figures = {
    downMs: down,
    clientsPerLibrary: count,
    rounds,
    libraries: Object.fromEntries(
      LIBRARIES.map((name) => [
        name,
        {
          reopenMs: samples[name].length > 0 ? summarize(samples[name]) : null,
          notBackWithinMs: { limit: REOPEN_LIMIT, count: missing[name] },
        },
      ]),
    ),
  }
  const label = (name) => (name === 'websocket-ts' ? 'websocket-ts (ConstantBackoff 1 s)' : `${name} (defaults)`)
  console.log(
    `\nServer down ${down / 1000} s, then back: ms from listening again to open; ${count} clients each, ${rounds} rounds`,
  )
  console.table(
    Object.fromEntries(
      LIBRARIES.map((name) => {
        const f = figures.libraries[name]
        return [
          label(name),
          {
            'ms to open, median (min–max)': f.reopenMs ? formatSummary(f.reopenMs) : '',
            [`not back within ${REOPEN_LIMIT / 1000} s`]: missing[name],
          },
        ]
      }),
    ),
  )
  const lifeline = figures.libraries.lifeline.reopenMs
  const peers = LIBRARIES.filter((name) => name !== 'lifeline')
    .map((name) => `${name} ${figures.libraries[name].reopenMs?.median.toFixed(0) ?? '-'}`)
    .join('; ')
  return {
    summary: [
      {
        measure: `server down ${down / 1000} s, then back: to open (median of ${samples.lifeline.length})`,
        lifeline: lifeline ? `${lifeline.median.toFixed(0)} ms` : 'never',
        baseline: `${peers} ms (raw ws does not reconnect)`,
        ratio: lifeline ? `${lifeline.min.toFixed(0)}–${lifeline.max.toFixed(0)} ms; ${missing.lifeline} not back` : '',
        budget: '≤ 5000 ms',
        ok: lifeline !== null && missing.lifeline === 0 && lifeline.median <= 5000,
      },
    ],
    figures,
  }
}

if (isMain(import.meta.url)) serveReconnectingClients(process.argv[2])

// Reconnect storm: CLIENTS clients (500; 100 with --quick) of one library hold connections to a `ws` server in
// another process; the server process is killed (every connection drops, code 1006) and listens again on the same
// port 2 s later. Measured, from the server's side: TCP connections accepted in each 100 ms after it listens again
// (the peak bucket, as % of the clients, is the load a restarted server must take at once; counted at TCP accept, as
// the clients arrive, not when the cold server finishes each upgrade), and, from the clients' side, when the last
// one was open again. Two ways to hold the clients, each in a fresh child process per run:
//   one module          all clients built from one import of the library, as in one Node process
//   module instances    each client from its own instance of the library (bundled, imported as file?i=N): nothing
//                       shared between them, as with separate pages or processes
// Every library with its default reconnection settings (websocket-ts: a constant 1 s, as its README shows). After a
// warm-up run of each subject with CLIENTS / 5 clients, ROUNDS rounds (5; 1 with --quick) run every subject once,
// in an order that rotates. Budget for lifeline: peak ≤ 10 % of the clients in any 100 ms, all back within
// maxDelay (10 s by default) + 1 s.

import { isMain, startChild } from '@lifeline/testing/child-process'
import { now, startServerProcess } from '@lifeline/testing/server-process'
import { bucketCounts } from './buckets.mjs'
import { LIBRARIES } from './clients.mjs'
import { bundleLibrary } from './fresh-modules.mjs'
import { serveReconnectingClients } from './reconnecting-clients.mjs'
import { formatSummary, median, summarize } from './stats.mjs'

const DOWN = 2000
const BUCKET = 100
const MAX_DELAY = 10_000
/** How long after listening again the clients are waited for. */
const WATCH = MAX_DELAY + 10_000
const PATH = '/storm'

const SUBJECTS = LIBRARIES.flatMap((library) => [
  { name: `${library}, one module`, library, fresh: false },
  { name: `${library}, module instances`, library, fresh: true },
])

/** One storm: returns the server's accept counts per bucket and the clients' times back (ms after listening). */
async function storm(server, subject, count, bundle) {
  const child = startChild(new URL(import.meta.url).pathname, [subject.library])
  try {
    await child.request({ type: 'connect', url: server.url(PATH), count, bundle: subject.fresh ? bundle : undefined })
    const killedAt = now()
    await server.kill()
    const back = await startServerProcess({ port: server.port, listenAt: killedAt + DOWN })
    const reopened = await child.request({ type: 'reopened', after: killedAt, timeout: DOWN + WATCH })
    const accepted = await back.tcpAccepted()
    const backMs = reopened.filter((at) => at !== null).map((at) => at - back.listeningAt)
    return {
      server: back,
      buckets: bucketCounts(accepted, back.listeningAt, WATCH, BUCKET),
      lastBackMs: backMs.length > 0 ? Math.max(...backMs) : null,
      notBack: reopened.filter((at) => at === null).length,
    }
  } finally {
    await child.stop()
  }
}

export async function run({ quick = false } = {}) {
  const count = quick ? 100 : 500
  const rounds = quick ? 1 : 5
  const bundles = Object.fromEntries(
    await Promise.all(LIBRARIES.map(async (library) => [library, await bundleLibrary(library)])),
  )
  let server = await startServerProcess()
  const runs = Object.fromEntries(SUBJECTS.map((subject) => [subject.name, []]))
  try {
    for (const subject of SUBJECTS) {
      ;({ server } = await storm(server, subject, Math.round(count / 5), bundles[subject.library].file))
    }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < SUBJECTS.length; i++) {
        const subject = SUBJECTS[(i + round) % SUBJECTS.length]
        const result = await storm(server, subject, count, bundles[subject.library].file)
        server = result.server
        runs[subject.name].push(result)
      }
    }
  } finally {
    await server.stop()
    for (const { remove } of Object.values(bundles)) remove()
  }
  const peakPercent = (result) => (Math.max(...result.buckets) / count) * 100
  const figures = {
    clients: count,
    downMs: DOWN,
    bucketMs: BUCKET,
    rounds,
    subjects: Object.fromEntries(
      SUBJECTS.map(({ name }) => [
        name,
        {
          peakPercentOfClients: summarize(runs[name].map(peakPercent)),
          lastBackMs: summarize(runs[name].map((r) => r.lastBackMs ?? Number.POSITIVE_INFINITY)),
          notBack: runs[name].reduce((sum, r) => sum + r.notBack, 0),
          bucketsOfMedianRun: medianRun(runs[name], peakPercent).buckets,
        },
      ]),
    ),
  }
  console.log(
    `\nReconnect storm: ${count} clients, server killed and back after ${DOWN / 1000} s; connections accepted per ${BUCKET} ms; ${rounds} rounds`,
  )
  console.table(
    Object.fromEntries(
      SUBJECTS.map(({ name }) => {
        const f = figures.subjects[name]
        return [
          name,
          {
            'peak % of clients in 100 ms, median (min–max)': formatSummary(f.peakPercentOfClients),
            'last back, ms after listening, median (min–max)': formatSummary(f.lastBackMs),
            'not back': f.notBack,
          },
        ]
      }),
    ),
  )
  const peers = (mode) =>
    LIBRARIES.filter((library) => library !== 'lifeline')
      .map(
        (library) => `${library} ${figures.subjects[`${library}, ${mode}`].peakPercentOfClients.median.toFixed(0)} %`,
      )
      .join('; ')
  const summary = ['one module', 'module instances'].flatMap((mode) => {
    const f = figures.subjects[`lifeline, ${mode}`]
    const worstPeak = f.peakPercentOfClients.max
    const worstBack = f.lastBackMs.max
    return [
      {
        measure: `reconnect storm, ${count} clients, ${mode}: peak accepted in 100 ms (worst of ${rounds})`,
        lifeline: `${worstPeak.toFixed(1)} % (median ${f.peakPercentOfClients.median.toFixed(1)} %)`,
        baseline: peers(mode),
        ratio: '',
        budget: '≤ 10 %',
        ok: worstPeak <= 10,
      },
      {
        measure: `reconnect storm, ${count} clients, ${mode}: all back (worst of ${rounds})`,
        lifeline: Number.isFinite(worstBack) ? `${worstBack.toFixed(0)} ms` : `${f.notBack} not back`,
        baseline: '',
        ratio: `median ${f.lastBackMs.median.toFixed(0)} ms`,
        budget: `≤ ${MAX_DELAY + 1000} ms`,
        ok: worstBack <= MAX_DELAY + 1000,
      },
    ]
  })
  return { summary, figures }
}

/** The run whose `measure` is the median (the lower middle one for an even count). */
function medianRun(results, measure) {
  const middle = median(results.map(measure))
  return results.reduce((best, r) => (Math.abs(measure(r) - middle) < Math.abs(measure(best) - middle) ? r : best))
}

if (isMain(import.meta.url)) serveReconnectingClients(process.argv[2])

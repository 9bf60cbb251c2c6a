// A handshake that is never answered: the server (in this process) accepts the TCP connection and reads the
// upgrade request but never answers it, as a hung server or a proxy with no backend does. Each client (default
// options; websocket-ts with its README's constant 1 s backoff) runs in a child process of its own for WINDOW ms
// (25 s; 12 s with --quick) — a client may crash its process here — and reports its events as they happen. Told for
// each: when it first gave up on the attempt (its own `error`/`close`), how many upgrade requests the server saw in
// the window (did it retry?), and whether its process crashed, with the error. All clients run at the same time;
// ROUNDS rounds (5; 1 with --quick).

import { isMain, report, watchChild } from '@lifeline/testing/child-process'
import { UpgradeServer } from '@lifeline/testing/upgrade-server'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { summarize } from './stats.mjs'

const CLIENTS = ['raw ws', 'lifeline', 'reconnecting-websocket', 'partysocket', 'websocket-ts']

/** The child: one client against `url`, its events sent to the parent as they happen, for `window` ms. */
function watchClient(name, url, window) {
  const client = clients[name]
  const start = performance.now()
  const tell = (type, detail = {}) =>
    process.send({ type: 'event', event: type, ms: performance.now() - start, ...detail })
  const socket = client.create(url, WebSocket)
  client.on(socket, 'open', () => tell('open'))
  client.on(socket, 'error', (event) =>
    tell('error', { message: String(event?.error?.message ?? event?.message ?? '') }),
  )
  client.on(socket, 'close', (event) => tell('close', { code: event?.code, reason: String(event?.reason ?? '') }))
  setTimeout(() => report({ ms: performance.now() - start }), window)
}

/** What a child's run says about the client: gave up after, retries, crash. */
function describeRun(run, attempts) {
  const firstGiveUp = run.events.find((e) => e.event === 'error' || e.event === 'close')
  const crashed = run.result === undefined && !run.timedOut
  const crashLine = run.stderr
    .split('\n')
    .find((line) => /Error/.test(line))
    ?.trim()
  return {
    firstGaveUpMs: firstGiveUp?.ms ?? null,
    firstGaveUpWith: firstGiveUp
      ? firstGiveUp.event === 'close'
        ? `close ${firstGiveUp.code ?? ''} ${firstGiveUp.reason ?? ''}`.trim()
        : `error ${firstGiveUp.message}`.trim()
      : null,
    attempts,
    crashed,
    crash: crashed ? (crashLine ?? `exit ${run.signal ?? run.code}`) : null,
  }
}

export async function run({ quick = false } = {}) {
  const window = quick ? 12_000 : 25_000
  const rounds = quick ? 1 : 5
  const runs = Object.fromEntries(CLIENTS.map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    const server = await UpgradeServer.start({ hold: true })
    try {
      const pathOf = (name) => `/hold/${encodeURIComponent(name)}`
      const results = await Promise.all(
        CLIENTS.map((name) =>
          watchChild(new URL(import.meta.url).pathname, [name, `${server.url}${pathOf(name)}`, String(window)], {
            timeout: window + 20_000,
          }),
        ),
      )
      CLIENTS.forEach((name, i) => {
        const attempts = server.attempts.filter((attempt) => attempt.request.url === pathOf(name)).length
        runs[name].push(describeRun(results[i], attempts))
      })
    } finally {
      await server.stop()
    }
  }
  const figures = {
    windowMs: window,
    rounds,
    clients: Object.fromEntries(
      CLIENTS.map((name) => {
        const list = runs[name]
        const gaveUp = list.map((r) => r.firstGaveUpMs).filter((ms) => ms !== null)
        return [
          name,
          {
            firstGaveUpMs: gaveUp.length > 0 ? summarize(gaveUp) : null,
            firstGaveUpWith: [...new Set(list.map((r) => r.firstGaveUpWith).filter(Boolean))],
            attemptsInWindow: summarize(list.map((r) => r.attempts)),
            crashedRuns: list.filter((r) => r.crashed).length,
            crashes: [...new Set(list.map((r) => r.crash).filter(Boolean))],
          },
        ]
      }),
    ),
  }
  console.log(`\nHandshake never answered: each client watched ${window / 1000} s in a child process; ${rounds} rounds`)
  const behaviour = (f) => {
    if (f.crashedRuns > 0) return `crashed the process in ${f.crashedRuns} of ${rounds} runs`
    if (f.firstGaveUpMs === null) return `waits: no event in ${window / 1000} s`
    return f.attemptsInWindow.median > 1 ? 'times out and retries' : 'times out, no retry'
  }
  console.table(
    Object.fromEntries(
      CLIENTS.map((name) => {
        const f = figures.clients[name]
        return [
          name,
          {
            behaviour: behaviour(f),
            'first gave up after ms, median': f.firstGaveUpMs ? f.firstGaveUpMs.median.toFixed(0) : 'never',
            'with event': f.firstGaveUpWith.join(' / ').slice(0, 40),
            [`attempts in ${window / 1000} s, median`]: f.attemptsInWindow.median,
            crash: f.crashes.join(' / ').slice(0, 70),
          },
        ]
      }),
    ),
  )
  const lifeline = figures.clients.lifeline
  const peers = CLIENTS.filter((name) => name !== 'lifeline')
    .map((name) => `${name}: ${behaviour(figures.clients[name])}`)
    .join('; ')
  return {
    summary: [
      {
        measure: 'handshake never answered: lifeline gives up on the attempt after',
        lifeline: lifeline.firstGaveUpMs ? `${lifeline.firstGaveUpMs.median.toFixed(0)} ms, retries` : 'never',
        baseline: peers,
        ratio: `${lifeline.attemptsInWindow.median} attempts in ${window / 1000} s`,
        budget: 'connectTimeout 10000 ms, no crash',
        ok:
          lifeline.crashedRuns === 0 &&
          lifeline.firstGaveUpMs !== null &&
          lifeline.firstGaveUpMs.max <= 11_000 &&
          (quick || lifeline.attemptsInWindow.min > 1),
      },
    ],
    figures,
  }
}

if (isMain(import.meta.url)) {
  const [name, url, window] = process.argv.slice(2)
  watchClient(name, url, Number(window))
}

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { Heartbeat, type HeartbeatHooks, type HeartbeatSettings } from '../src/heartbeat'
import { advanceUntil, heartbeatSlack } from './liveness/fake-clock'

const INTERVAL = 1000
const TIMEOUT = 500
const SLEEP_THRESHOLD = 2000
/** What the heartbeat promises beyond `interval` (for a ping) and `interval + timeout` (for dead()). */
const slackOf = (settings: { interval: number; timeout: number }) => heartbeatSlack(settings.interval, settings.timeout)
const SLACK = slackOf({ interval: INTERVAL, timeout: TIMEOUT })

interface Probe {
  heartbeat: Heartbeat
  /** `Date.now()` at each ping. */
  pings: number[]
  /** `Date.now()` at each dead() call. */
  deaths: number[]
  latency: ReturnType<typeof vi.fn>
}

/** Every heartbeat a test made: stopped after it, so that the shared timer is left with nothing. */
const made: Heartbeat[] = []

function probe(settings: Partial<HeartbeatSettings> = {}): Probe {
  const pings: number[] = []
  const deaths: number[] = []
  const latency = vi.fn()
  const hooks: HeartbeatHooks = {
    ping: () => pings.push(Date.now()),
    dead: () => deaths.push(Date.now()),
    latency,
  }
  const heartbeat = new Heartbeat(
    { interval: INTERVAL, timeout: TIMEOUT, sleepThreshold: SLEEP_THRESHOLD, ...settings },
    hooks,
  )
  made.push(heartbeat)
  return { heartbeat, pings, deaths, latency }
}

/** Keeps the connection talking: one inbound message every `every` ms for `duration` ms. */
async function chatter(heartbeat: Heartbeat, duration: number, every: number): Promise<void> {
  for (let elapsed = 0; elapsed < duration; elapsed += every) {
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(every)
  }
}

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  for (const heartbeat of made.splice(0)) heartbeat.stop()
  const left = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  expect(left, 'timers left after stopping every heartbeat').toBe(0)
})

describe('pinging after silence', () => {
  test('pings once `interval` of silence has passed, not before, and at most the slack later', async () => {
    const { heartbeat, pings } = probe()
    const started = Date.now()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(pings).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(pings).toHaveLength(1)
    expect(pings[0]! - started).toBeGreaterThanOrEqual(INTERVAL)
    expect(pings[0]! - started).toBeLessThanOrEqual(INTERVAL + SLACK)
  })

  test('a chatty connection sends no pings at all', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await chatter(heartbeat, 30 * INTERVAL, INTERVAL / 10)
    expect(pings).toHaveLength(0)
    expect(deaths).toHaveLength(0)
  })

  test('traffic now and then postpones the ping', async () => {
    const { heartbeat, pings } = probe()
    heartbeat.start()
    await chatter(heartbeat, 10 * INTERVAL, INTERVAL * 0.9)
    expect(pings).toHaveLength(0)
  })

  test('after traffic stops, a ping follows between interval and interval + slack of silence', async () => {
    // Stop the traffic at every phase of the heartbeat's looks and of the shared timer's grid.
    for (let offset = 0; offset < INTERVAL / 2; offset += 7) {
      const { heartbeat, pings } = probe()
      heartbeat.start()
      await chatter(heartbeat, 3 * INTERVAL, 100)
      await vi.advanceTimersByTimeAsync(offset)
      heartbeat.hear()
      const lastHeard = Date.now()
      await vi.advanceTimersByTimeAsync(2 * INTERVAL)
      expect(pings.length, `offset ${offset}`).toBeGreaterThan(0)
      const silence = pings[0]! - lastHeard
      expect(silence, `offset ${offset}`).toBeGreaterThanOrEqual(INTERVAL)
      expect(silence, `offset ${offset}`).toBeLessThanOrEqual(INTERVAL + SLACK)
      heartbeat.stop()
    }
  })

  test('after a ping answered by ordinary traffic, the next ping follows the same silence bounds', async () => {
    // The answer is no recognised pong (no pong() call): only `hear()` tells the heartbeat about it.
    for (let delay = 1; delay < TIMEOUT; delay += 49) {
      const { heartbeat, pings } = probe()
      heartbeat.start()
      await advanceUntil(() => pings.length === 1, INTERVAL + SLACK)
      await vi.advanceTimersByTimeAsync(delay)
      heartbeat.hear()
      const lastHeard = Date.now()
      await vi.advanceTimersByTimeAsync(2 * INTERVAL)
      expect(pings.length, `answer after ${delay} ms`).toBeGreaterThan(1)
      const silence = pings[1]! - lastHeard
      expect(silence, `answer after ${delay} ms`).toBeGreaterThanOrEqual(INTERVAL)
      expect(silence, `answer after ${delay} ms`).toBeLessThanOrEqual(INTERVAL + SLACK)
      heartbeat.stop()
    }
  })

  test('an idle connection keeps pinging once per interval as long as answers come', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    let answered = Date.now()
    for (let round = 1; round <= 5; round++) {
      await vi.advanceTimersByTimeAsync(answered + INTERVAL + SLACK - Date.now())
      expect(pings).toHaveLength(round)
      expect(pings.at(-1)! - answered).toBeGreaterThanOrEqual(INTERVAL)
      await vi.advanceTimersByTimeAsync(10)
      heartbeat.pong()
      answered = Date.now()
    }
    expect(deaths).toHaveLength(0)
  })

  test('while traffic flows, hear() reads no clock', async () => {
    const { heartbeat } = probe()
    heartbeat.start()
    await chatter(heartbeat, 2 * INTERVAL, 5)
    const now = vi.spyOn(Date, 'now')
    for (let i = 0; i < 1000; i++) heartbeat.hear()
    expect(now).not.toHaveBeenCalled()
    now.mockRestore()
  })
})

/**
 * The promise: a dead peer is found within `interval + timeout` (+ slack) of the last message heard from it, wherever
 * it dies relative to the heartbeat's own timing, and never before `interval + timeout` of silence.
 */
describe('the detection bound', () => {
  const SETTINGS = [
    { name: 'defaults', interval: 25_000, timeout: 10_000 },
    { name: 'short', interval: 1000, timeout: 500 },
    { name: 'very short', interval: 75, timeout: 500 },
    { name: 'timeout longer than interval', interval: 200, timeout: 2000 },
  ]

  function expectFound(deaths: number[], lastHeard: number, settings: HeartbeatSettings, label: string) {
    expect(deaths, label).toHaveLength(1)
    const after = deaths[0]! - lastHeard
    expect(after, label).toBeGreaterThanOrEqual(settings.interval + settings.timeout)
    expect(after, label).toBeLessThanOrEqual(settings.interval + settings.timeout + slackOf(settings))
  }

  for (const { name, interval, timeout } of SETTINGS) {
    const settings = { interval, timeout, sleepThreshold: 60_000 }
    const horizon = 2 * (interval + timeout)

    test(`${name} (${interval} + ${timeout} ms): a chatty peer that dies at any phase of the looks`, async () => {
      // Messages every `every` ms, then the peer dies `offset` ms after a last message: the offsets cover the
      // heartbeat's looks (right after one, just before the next, mid-way) and the shared timer's grid.
      const every = Math.max(1, Math.round(interval / 10))
      for (let i = 0; i < 24; i++) {
        const offset = Math.round((i * interval * 0.37) % interval)
        const { heartbeat, deaths } = probe(settings)
        heartbeat.start()
        await chatter(heartbeat, 3 * every, every)
        await vi.advanceTimersByTimeAsync(offset % every)
        heartbeat.hear()
        const lastHeard = Date.now()
        await vi.advanceTimersByTimeAsync(horizon)
        expectFound(deaths, lastHeard, settings, `${name}, offset ${offset % every}, round ${i}`)
        heartbeat.stop()
      }
    })

    test(`${name} (${interval} + ${timeout} ms): a quiet peer that dies anywhere in the interval`, async () => {
      // The peer answers pings, then dies: right after a pong, a little later, mid-interval, just before the next
      // ping, or right after it (the ping goes unanswered).
      const phases = [0, 1, 0.01, 0.25, 0.5, 0.75, 0.99].map((f) => (f < 1 && f > 0 ? f * interval : f))
      for (const phase of phases) {
        const { heartbeat, pings, deaths } = probe(settings)
        heartbeat.start()
        await vi.advanceTimersByTimeAsync(interval + slackOf(settings))
        expect(pings).toHaveLength(1)
        await vi.advanceTimersByTimeAsync(3)
        heartbeat.pong()
        let lastHeard = Date.now()
        // The peer still says something `phase` ms after the pong, then nothing more.
        if (phase > 0) {
          await vi.advanceTimersByTimeAsync(phase)
          heartbeat.hear()
          lastHeard = Date.now()
        }
        await vi.advanceTimersByTimeAsync(horizon)
        expectFound(deaths, lastHeard, settings, `${name}, last heard ${phase} ms after a pong`)
        heartbeat.stop()
      }
    })

    test(`${name} (${interval} + ${timeout} ms): the first ping of a connection that never speaks`, async () => {
      const { heartbeat, deaths } = probe(settings)
      const started = Date.now()
      heartbeat.start()
      await vi.advanceTimersByTimeAsync(horizon)
      expectFound(deaths, started, settings, `${name}, silent from the start`)
    })
  }

  test('heartbeats started at different times within a step ping together (one wake-up of the process)', async () => {
    const probes: Probe[] = []
    for (let i = 0; i < 100; i++) {
      const p = probe({ interval: 25_000, timeout: 10_000 })
      p.heartbeat.start()
      probes.push(p)
      await vi.advanceTimersByTimeAsync(1)
    }
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(25_000 + slackOf({ interval: 25_000, timeout: 10_000 }))
    const pingTimes = new Set(probes.map((p) => p.pings[0]))
    expect(probes.every((p) => p.pings.length === 1)).toBe(true)
    expect(pingTimes.size).toBeLessThanOrEqual(2)
  })
})

describe('declaring the connection dead', () => {
  test('no traffic within `timeout` after a ping → dead()', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await advanceUntil(() => pings.length === 1, INTERVAL + SLACK)
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    expect(deaths).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(deaths).toHaveLength(1)
    expect(deaths[0]! - pings[0]!).toBeLessThanOrEqual(TIMEOUT + SLACK)
    // A dead heartbeat leaves nothing running and says nothing more.
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(pings).toHaveLength(1)
    expect(deaths).toHaveLength(1)
  })

  test('any inbound traffic after a ping proves the connection alive', async () => {
    const { heartbeat, pings, deaths, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT / 2)
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(0)
    // Ordinary traffic is no round trip: only pong() measures latency.
    expect(latency).not.toHaveBeenCalled()
    // The heartbeat keeps watching: the next silence brings the next ping, and its timeout counts again.
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(1)
  })

  test('traffic arriving right at the end of the timeout still counts', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await advanceUntil(() => pings.length === 1, INTERVAL + SLACK)
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(deaths).toHaveLength(0)
  })

  test('with a timeout shorter than a step, traffic after a ping still counts', async () => {
    // interval 10 s, timeout 50 ms: the timeout timer is no long wait, so hear() only sets the flag.
    const settings = { interval: 10_000, timeout: 50 }
    const { heartbeat, pings, deaths } = probe(settings)
    heartbeat.start()
    await advanceUntil(() => pings.length === 1, 10_000 + slackOf(settings))
    await vi.advanceTimersByTimeAsync(20)
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(50 + slackOf(settings))
    expect(deaths).toHaveLength(0)
    expect(pings).toHaveLength(1)
  })
})

describe('pong and latency', () => {
  test('pong() reports the round trip and re-arms the interval', async () => {
    const { heartbeat, pings, deaths, latency } = probe()
    heartbeat.start()
    await advanceUntil(() => pings.length === 1, INTERVAL + SLACK)
    await vi.advanceTimersByTimeAsync(120)
    heartbeat.pong()
    const answered = Date.now()
    expect(latency).toHaveBeenCalledTimes(1)
    expect(latency).toHaveBeenCalledWith(120)
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(deaths).toHaveLength(0)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(pings).toHaveLength(2)
    expect(pings[1]! - answered).toBeGreaterThanOrEqual(INTERVAL)
    await vi.advanceTimersByTimeAsync(45)
    heartbeat.pong()
    expect(latency).toHaveBeenLastCalledWith(Date.now() - pings[1]!)
  })

  test('a pong nobody asked for re-arms without reporting a latency', async () => {
    const { heartbeat, pings, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL / 2)
    heartbeat.pong()
    const answered = Date.now()
    expect(latency).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(pings).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(pings).toHaveLength(1)
    expect(pings[0]! - answered).toBeGreaterThanOrEqual(INTERVAL)
  })
})

describe('check()', () => {
  test('pings now, once while a ping is out, and the timeout applies', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(100)
    heartbeat.check()
    expect(pings).toEqual([Date.now()])
    heartbeat.check()
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    expect(deaths).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(deaths).toHaveLength(1)
  })

  test('pings even on a chatty connection, which then proves itself', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await chatter(heartbeat, INTERVAL, 50)
    heartbeat.check()
    expect(pings).toHaveLength(1)
    await chatter(heartbeat, 2 * TIMEOUT, 50)
    expect(deaths).toHaveLength(0)
  })

  test('does nothing before start() or after stop()', async () => {
    const { heartbeat, pings } = probe()
    heartbeat.check()
    expect(pings).toHaveLength(0)
    heartbeat.start()
    heartbeat.stop()
    heartbeat.check()
    expect(pings).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('silent', () => {
  test('true from a ping until anything is heard, false otherwise', async () => {
    const { heartbeat, pings } = probe()
    expect(heartbeat.silent).toBe(false)
    heartbeat.start()
    expect(heartbeat.silent).toBe(false)
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(pings).toHaveLength(1)
    expect(heartbeat.silent).toBe(true)
    heartbeat.hear()
    expect(heartbeat.silent).toBe(false)

    await vi.advanceTimersByTimeAsync(INTERVAL + 2 * SLACK)
    expect(pings).toHaveLength(2)
    expect(heartbeat.silent).toBe(true)
    heartbeat.pong()
    expect(heartbeat.silent).toBe(false)

    heartbeat.check()
    expect(heartbeat.silent).toBe(true)
    heartbeat.stop()
    expect(heartbeat.silent).toBe(false)
  })

  test('with a timeout shorter than a step, a message after the ping ends the silence at once', async () => {
    const settings = { interval: 10_000, timeout: 50 }
    const { heartbeat } = probe(settings)
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(10_000 + slackOf(settings))
    expect(heartbeat.silent).toBe(true)
    heartbeat.hear()
    expect(heartbeat.silent).toBe(false)
  })

  test('stays true once the connection is declared dead', async () => {
    const { heartbeat, deaths } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + TIMEOUT + 2 * SLACK)
    expect(deaths).toHaveLength(1)
    expect(heartbeat.silent).toBe(true)
  })
})

describe('stop()', () => {
  test('clears every timer, whether idle or waiting for a pong', async () => {
    const idle = probe()
    idle.heartbeat.start()
    expect(vi.getTimerCount()).toBe(1)
    idle.heartbeat.stop()
    expect(vi.getTimerCount()).toBe(0)

    const waiting = probe()
    waiting.heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(waiting.pings).toHaveLength(1)
    waiting.heartbeat.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(waiting.deaths).toHaveLength(0)
    expect(waiting.pings).toHaveLength(1)
  })

  test('stopping one heartbeat leaves the others running on the shared timer', async () => {
    const stopped = probe()
    const running = probe()
    stopped.heartbeat.start()
    running.heartbeat.start()
    stopped.heartbeat.stop()
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(running.pings).toHaveLength(1)
    expect(stopped.pings).toHaveLength(0)
  })

  test('a pong after stop() starts nothing again', async () => {
    const { heartbeat, pings, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    heartbeat.stop()
    heartbeat.pong()
    heartbeat.hear()
    expect(latency).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(pings).toHaveLength(1)
  })

  test('start() after stop() watches afresh', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    heartbeat.stop()
    heartbeat.start()
    const restarted = Date.now()
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(INTERVAL - TIMEOUT)
    expect(pings).toHaveLength(2)
    expect(pings[1]! - restarted).toBeGreaterThanOrEqual(INTERVAL)
  })
})

describe('sleep and throttled timers', () => {
  test('a timeout timer that fires far too late pings afresh instead of declaring death', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(pings).toHaveLength(1)
    // The machine sleeps: the clock moves on, the timer has not run yet.
    vi.setSystemTime(Date.now() + 60_000)
    await advanceUntil(() => pings.length === 2, TIMEOUT + SLACK)
    expect(deaths).toHaveLength(0)
    expect(pings[1]! - pings[0]!).toBeGreaterThanOrEqual(60_000 + TIMEOUT)
    // The fresh ping gets a full timeout of its own, judged by a punctual timer.
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    expect(deaths).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SLACK + 1)
    expect(deaths).toHaveLength(1)
  })

  test('after a sleep, an answer to the fresh ping keeps the connection', async () => {
    const { heartbeat, pings, deaths, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    vi.setSystemTime(Date.now() + 10 * SLEEP_THRESHOLD)
    await advanceUntil(() => pings.length === 2, TIMEOUT + SLACK)
    await vi.advanceTimersByTimeAsync(30)
    heartbeat.pong()
    expect(latency).toHaveBeenCalledWith(30)
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(0)
  })

  test('an idle timer that fires far too late pings at once', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    vi.setSystemTime(Date.now() + 60_000)
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(1)
  })

  test('a timer late by less than sleepThreshold is trusted', async () => {
    const { heartbeat, pings, deaths } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    vi.setSystemTime(Date.now() + SLEEP_THRESHOLD - 100)
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(1)
    expect(pings).toHaveLength(1)
  })

  test('sleepThreshold is a setting', async () => {
    const { heartbeat, pings, deaths } = probe({ sleepThreshold: 100 })
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL + SLACK)
    vi.setSystemTime(Date.now() + 500)
    await vi.advanceTimersByTimeAsync(TIMEOUT + SLACK)
    expect(deaths).toHaveLength(0)
    expect(pings).toHaveLength(2)
  })
})

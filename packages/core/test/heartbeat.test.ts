import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { Heartbeat, type HeartbeatHooks, type HeartbeatSettings } from '../src/heartbeat'

const INTERVAL = 1000
const TIMEOUT = 500
const SLEEP_THRESHOLD = 2000

interface Probe {
  heartbeat: Heartbeat
  /** `Date.now()` at each ping. */
  pings: number[]
  dead: ReturnType<typeof vi.fn>
  latency: ReturnType<typeof vi.fn>
}

function probe(settings: Partial<HeartbeatSettings> = {}): Probe {
  const pings: number[] = []
  const dead = vi.fn()
  const latency = vi.fn()
  const hooks: HeartbeatHooks = {
    ping: () => pings.push(Date.now()),
    dead,
    latency,
  }
  const heartbeat = new Heartbeat(
    { interval: INTERVAL, timeout: TIMEOUT, sleepThreshold: SLEEP_THRESHOLD, ...settings },
    hooks,
  )
  return { heartbeat, pings, dead, latency }
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
  vi.clearAllTimers()
  vi.useRealTimers()
})

describe('pinging after silence', () => {
  test('pings once `interval` of silence has passed, not before', async () => {
    const { heartbeat, pings } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(pings).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(pings).toHaveLength(1)
    heartbeat.stop()
  })

  test('a chatty connection sends no pings at all', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await chatter(heartbeat, 30 * INTERVAL, INTERVAL / 10)
    expect(pings).toHaveLength(0)
    expect(dead).not.toHaveBeenCalled()
    heartbeat.stop()
  })

  test('traffic now and then postpones the ping', async () => {
    const { heartbeat, pings } = probe()
    heartbeat.start()
    await chatter(heartbeat, 10 * INTERVAL, INTERVAL * 0.9)
    expect(pings).toHaveLength(0)
    heartbeat.stop()
  })

  test('after traffic stops, a ping follows between interval and 1.25 × interval of silence', async () => {
    // Stop the traffic at different points of the heartbeat's own timer period.
    for (let offset = 0; offset < INTERVAL / 2; offset += 25) {
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
      expect(silence, `offset ${offset}`).toBeLessThanOrEqual(1.25 * INTERVAL)
      heartbeat.stop()
    }
  })

  test('after a ping answered by ordinary traffic, the next ping follows the same silence bounds', async () => {
    // The answer is no recognised pong (no pong() call): only `heard` tells the heartbeat about it.
    for (let delay = 1; delay < TIMEOUT; delay += 49) {
      const { heartbeat, pings } = probe()
      heartbeat.start()
      await vi.advanceTimersByTimeAsync(INTERVAL)
      expect(pings).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(delay)
      heartbeat.hear()
      const lastHeard = Date.now()
      await vi.advanceTimersByTimeAsync(2 * INTERVAL)
      expect(pings.length, `answer after ${delay} ms`).toBeGreaterThan(1)
      const silence = pings[1]! - lastHeard
      expect(silence, `answer after ${delay} ms`).toBeGreaterThanOrEqual(INTERVAL)
      expect(silence, `answer after ${delay} ms`).toBeLessThanOrEqual(1.25 * INTERVAL)
      heartbeat.stop()
    }
  })

  test('an idle connection keeps pinging once per interval as long as answers come', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    for (let round = 1; round <= 5; round++) {
      await vi.advanceTimersByTimeAsync(INTERVAL)
      expect(pings).toHaveLength(round)
      await vi.advanceTimersByTimeAsync(10)
      heartbeat.pong()
    }
    expect(dead).not.toHaveBeenCalled()
    heartbeat.stop()
  })
})

describe('declaring the connection dead', () => {
  test('no traffic within `timeout` after a ping → dead()', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    expect(dead).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(dead).toHaveBeenCalledTimes(1)
    // A dead heartbeat leaves nothing running and says nothing more.
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(pings).toHaveLength(1)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  test('any inbound traffic after a ping proves the connection alive', async () => {
    const { heartbeat, pings, dead, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT / 2)
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).not.toHaveBeenCalled()
    // Ordinary traffic is no round trip: only pong() measures latency.
    expect(latency).not.toHaveBeenCalled()
    // The heartbeat keeps watching: the next silence brings the next ping, and its timeout counts again.
    await vi.advanceTimersByTimeAsync(2 * INTERVAL)
    expect(pings).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  test('traffic arriving right at the end of the timeout still counts', async () => {
    const { heartbeat, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    heartbeat.hear()
    await vi.advanceTimersByTimeAsync(1)
    expect(dead).not.toHaveBeenCalled()
    heartbeat.stop()
  })
})

describe('pong and latency', () => {
  test('pong() reports the round trip and re-arms the interval', async () => {
    const { heartbeat, pings, dead, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(120)
    heartbeat.pong()
    expect(latency).toHaveBeenCalledTimes(1)
    expect(latency).toHaveBeenCalledWith(120)
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(dead).not.toHaveBeenCalled()
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(pings).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(45)
    heartbeat.pong()
    expect(latency).toHaveBeenLastCalledWith(45)
    heartbeat.stop()
  })

  test('a pong nobody asked for re-arms without reporting a latency', async () => {
    const { heartbeat, pings, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL / 2)
    heartbeat.pong()
    expect(latency).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(INTERVAL - 1)
    expect(pings).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(pings).toHaveLength(1)
    heartbeat.stop()
  })
})

describe('check()', () => {
  test('pings now, once while a ping is out, and the timeout applies', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(100)
    heartbeat.check()
    expect(pings).toEqual([Date.now()])
    heartbeat.check()
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  test('pings even on a chatty connection, which then proves itself', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await chatter(heartbeat, INTERVAL, 50)
    heartbeat.check()
    expect(pings).toHaveLength(1)
    await chatter(heartbeat, 2 * TIMEOUT, 50)
    expect(dead).not.toHaveBeenCalled()
    heartbeat.stop()
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

describe('stop()', () => {
  test('clears every timer, whether idle or waiting for a pong', async () => {
    const idle = probe()
    idle.heartbeat.start()
    expect(vi.getTimerCount()).toBe(1)
    idle.heartbeat.stop()
    expect(vi.getTimerCount()).toBe(0)

    const waiting = probe()
    waiting.heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(waiting.pings).toHaveLength(1)
    waiting.heartbeat.stop()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(waiting.dead).not.toHaveBeenCalled()
    expect(waiting.pings).toHaveLength(1)
  })

  test('a pong after stop() starts nothing again', async () => {
    const { heartbeat, pings, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    heartbeat.stop()
    heartbeat.pong()
    expect(latency).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10 * INTERVAL)
    expect(pings).toHaveLength(1)
  })

  test('start() after stop() watches afresh', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    heartbeat.stop()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(INTERVAL - TIMEOUT)
    expect(pings).toHaveLength(2)
    heartbeat.stop()
  })
})

describe('sleep and throttled timers', () => {
  test('a timeout timer that fires far too late pings afresh instead of declaring death', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(1)
    // The machine sleeps: the clock moves on, the timer has not run yet.
    vi.setSystemTime(Date.now() + 60_000)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).not.toHaveBeenCalled()
    expect(pings).toHaveLength(2)
    expect(pings[1]! - pings[0]!).toBe(60_000 + TIMEOUT)
    // The fresh ping gets a full timeout of its own, judged by a punctual timer.
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1)
    expect(dead).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  test('after a sleep, an answer to the fresh ping keeps the connection', async () => {
    const { heartbeat, pings, dead, latency } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    vi.setSystemTime(Date.now() + 10 * SLEEP_THRESHOLD)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(pings).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(30)
    heartbeat.pong()
    expect(latency).toHaveBeenCalledWith(30)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).not.toHaveBeenCalled()
    heartbeat.stop()
  })

  test('an idle timer that fires far too late pings at once', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    vi.setSystemTime(Date.now() + 60_000)
    await vi.advanceTimersByTimeAsync(INTERVAL)
    expect(pings).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).toHaveBeenCalledTimes(1)
  })

  test('a timer late by less than sleepThreshold is trusted', async () => {
    const { heartbeat, pings, dead } = probe()
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    vi.setSystemTime(Date.now() + SLEEP_THRESHOLD - 100)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).toHaveBeenCalledTimes(1)
    expect(pings).toHaveLength(1)
  })

  test('sleepThreshold is a setting', async () => {
    const { heartbeat, pings, dead } = probe({ sleepThreshold: 100 })
    heartbeat.start()
    await vi.advanceTimersByTimeAsync(INTERVAL)
    vi.setSystemTime(Date.now() + 500)
    await vi.advanceTimersByTimeAsync(TIMEOUT)
    expect(dead).not.toHaveBeenCalled()
    expect(pings).toHaveLength(2)
    heartbeat.stop()
  })
})

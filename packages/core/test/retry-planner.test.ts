import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { type RetryContext, SocketCloseEvent } from '../src'
import type { ResilientWebSocketOptions } from '../src/options'
import { RetryPlanner } from '../src/retry-planner'
import { resolveSettings } from '../src/settings'
import { seededRandom } from './resilient-websocket/seeded-random'

const START = 1_700_000_000_000

/** Hooks that threw or answered nonsense, as the planner reported them: [hook, error]. */
let reports: [string, unknown][] = []

/** A planner over the options as a socket resolves them. */
function plannerOf(options: ResilientWebSocketOptions = {}): RetryPlanner {
  return new RetryPlanner(resolveSettings(options), (error, hook) => reports.push([hook, error]))
}

function closeEvent(code = 1006): SocketCloseEvent {
  return new SocketCloseEvent(null, { code, reason: '', wasClean: false, willReconnect: false })
}

/** Plans after an ordinary failed attempt (code 1006, not stable, online unknown). */
function fail(planner: RetryPlanner, online?: boolean) {
  const event = closeEvent()
  return planner.plan(event, event, false, online)
}

/** Plans `count` failures in a row and returns [attempt, delay] for each (null when giving up). */
function failures(planner: RetryPlanner, count: number): ([number, number] | null)[] {
  return Array.from({ length: count }, () => {
    const retry = fail(planner)
    return retry && [retry.attempt, retry.delay]
  })
}

function at(ms: number): void {
  vi.setSystemTime(START + ms)
}

beforeEach(() => {
  vi.useFakeTimers()
  at(0)
  reports = []
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('backoff', () => {
  test('default options: attempts 1, 2, 3… with full jitter, random × cap, caps 1000 doubling up to 10000', () => {
    const planner = plannerOf({ reconnect: { random: seededRandom(42) } })
    const draws = seededRandom(42)
    const caps = [1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000]
    const planned = failures(planner, caps.length)
    expect(planned.map((retry) => retry?.[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    caps.forEach((cap, i) => {
      const delay = planned[i]![1]
      expect(delay).toBe(draws() * cap)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(cap)
    })
    expect(planner.retries).toBe(8)
  })

  test('without random, Math.random is used (as seen when the planner is made)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const planner = plannerOf({})
    expect(failures(planner, 6)).toEqual([
      [1, 500],
      [2, 1000],
      [3, 2000],
      [4, 4000],
      [5, 5000],
      [6, 5000],
    ])
  })

  test("jitter 'none': exactly 1000, 2000, 4000, 8000, then maxDelay", () => {
    const planner = plannerOf({ reconnect: { jitter: 'none' } })
    expect(failures(planner, 7)).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [4, 8000],
      [5, 10000],
      [6, 10000],
      [7, 10000],
    ])
  })

  test("jitter 'none' with other minDelay, factor and maxDelay", () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', minDelay: 100, factor: 3, maxDelay: 5000 } })
    expect(failures(planner, 6).map((retry) => retry?.[1])).toEqual([100, 300, 900, 2700, 5000, 5000])
  })

  test("jitter 'equal' stays within [cap / 2, cap]", () => {
    const planner = plannerOf({ reconnect: { jitter: 'equal', random: seededRandom(3) } })
    const draws = seededRandom(3)
    const caps = [1000, 2000, 4000, 8000, 10000]
    failures(planner, caps.length).forEach((retry, i) => {
      const cap = caps[i]!
      expect(retry![1]).toBe(cap / 2 + (draws() * cap) / 2)
      expect(retry![1]).toBeGreaterThanOrEqual(cap / 2)
      expect(retry![1]).toBeLessThanOrEqual(cap)
    })
  })

  test("jitter 'decorrelated' is told the previous delay", () => {
    const planner = plannerOf({ reconnect: { jitter: 'decorrelated', random: () => 0.5 } })
    // minDelay first, then minDelay + 0.5 × (3 × previous − minDelay), never above maxDelay.
    expect(failures(planner, 6).map((retry) => retry?.[1])).toEqual([1000, 2000, 3500, 5750, 9125, 10000])
  })
})

describe('maxAttempts', () => {
  test('counts failed attempts, the first connection included', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', maxAttempts: 3 } })
    expect(failures(planner, 4)).toEqual([[1, 1000], [2, 2000], null, null])
    expect(planner.retries).toBe(2)
  })

  test('maxAttempts 1: the first failure gives up', () => {
    const planner = plannerOf({ reconnect: { maxAttempts: 1 } })
    expect(fail(planner)).toBeNull()
    expect(planner.retries).toBe(0)
  })

  test('the default is unlimited', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none' } })
    const planned = failures(planner, 1000)
    expect(planned.every((retry) => retry !== null)).toBe(true)
    expect(planned[999]).toEqual([1000, 10000])
  })

  test('a stable loss is not a failure: after it, maxAttempts more failures are allowed', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', maxAttempts: 3 } })
    expect(failures(planner, 2)).toEqual([
      [1, 1000],
      [2, 2000],
    ])
    // The second retry opened and stayed open stableAfter ms: counts reset; then the connection is lost.
    planner.reset()
    const lost = closeEvent(1001)
    expect(planner.plan(lost, lost, true, undefined)).toEqual({ attempt: 1, delay: 1000 })
    expect(failures(planner, 3)).toEqual([[2, 2000], [3, 4000], null])
  })

  test('a stable loss adds no failure even to those counted before it', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', maxAttempts: 3 } })
    failures(planner, 2)
    const lost = closeEvent(1001)
    // Two failures counted: a third failure would give up, a stable loss does not.
    expect(planner.plan(lost, lost, true, undefined)).toEqual({ attempt: 3, delay: 4000 })
    expect(fail(planner)).toBeNull()
  })

  test('reset() gives back the whole budget', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', maxAttempts: 2 } })
    expect(failures(planner, 2)).toEqual([[1, 1000], null])
    planner.reset()
    expect(failures(planner, 2)).toEqual([[1, 1000], null])
  })
})

describe('reset', () => {
  test('restarts the numbering and the exponent', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none' } })
    expect(failures(planner, 3)).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ])
    expect(planner.retries).toBe(3)
    planner.reset()
    expect(planner.retries).toBe(0)
    expect(failures(planner, 2)).toEqual([
      [1, 1000],
      [2, 2000],
    ])
  })

  test("restarts 'decorrelated' from minDelay", () => {
    const planner = plannerOf({ reconnect: { jitter: 'decorrelated', random: () => 0.5 } })
    failures(planner, 4)
    planner.reset()
    expect(failures(planner, 2).map((retry) => retry?.[1])).toEqual([1000, 2000])
  })
})

describe('close codes and shouldReconnect', () => {
  test('1008 gives up by default; other codes retry', () => {
    for (const code of [1000, 1001, 1006, 1011, 4000]) {
      const event = closeEvent(code)
      expect(plannerOf({}).plan(event, event, false, undefined)).not.toBeNull()
    }
    const policyViolation = closeEvent(1008)
    expect(plannerOf({}).plan(policyViolation, policyViolation, false, undefined)).toBeNull()
  })

  test('custom fatalCloseCodes replace the default', () => {
    const planner = () => plannerOf({ fatalCloseCodes: [4001, 4002] })
    const plan = (code: number) => {
      const event = closeEvent(code)
      return planner().plan(event, event, false, undefined)
    }
    expect(plan(4001)).toBeNull()
    expect(plan(4002)).toBeNull()
    expect(plan(4003)).not.toBeNull()
    expect(plan(1008)).not.toBeNull()
    const none = plannerOf({ fatalCloseCodes: [] })
    const event = closeEvent(1008)
    expect(none.plan(event, event, false, undefined)).not.toBeNull()
  })

  test('a fatal close code gives up even on a stable loss and while offline', () => {
    const event = closeEvent(1008)
    expect(plannerOf({}).plan(event, event, true, undefined)).toBeNull()
    expect(plannerOf({}).plan(event, event, false, false)).toBeNull()
  })

  test('shouldReconnect overrides fatalCloseCodes, both ways', () => {
    const always = plannerOf({ fatalCloseCodes: [4001], shouldReconnect: () => true })
    for (const code of [1008, 4001]) {
      const event = closeEvent(code)
      expect(always.plan(event, event, false, undefined)).not.toBeNull()
    }
    const never = plannerOf({ shouldReconnect: () => false })
    const event = closeEvent(1006)
    expect(never.plan(event, event, false, undefined)).toBeNull()
  })

  test('shouldReconnect receives the close event and ctx { attempt, elapsed, reason, online }', () => {
    const shouldReconnect = vi.fn((_event: SocketCloseEvent, _ctx: RetryContext) => true)
    const planner = plannerOf({ shouldReconnect, reconnect: { jitter: 'none' } })
    const first = closeEvent(1006)
    const error = new Error('connect ECONNREFUSED')
    expect(planner.plan(first, error, false, true)).toEqual({ attempt: 1, delay: 1000 })
    at(1500)
    const second = closeEvent(1011)
    expect(planner.plan(second, second, false, undefined)).toEqual({ attempt: 2, delay: 2000 })

    expect(shouldReconnect).toHaveBeenCalledTimes(2)
    expect(shouldReconnect.mock.calls[0]![0]).toBe(first)
    expect(shouldReconnect.mock.calls[0]![1]).toEqual({ attempt: 1, elapsed: 0, reason: error, online: true })
    expect(shouldReconnect.mock.calls[0]![1].reason).toBe(error)
    expect(shouldReconnect.mock.calls[1]![0]).toBe(second)
    expect(shouldReconnect.mock.calls[1]![1]).toEqual({ attempt: 2, elapsed: 1500, reason: second, online: undefined })
  })

  test('maxAttempts still applies with shouldReconnect, which is still asked', () => {
    const shouldReconnect = vi.fn(() => true)
    const planner = plannerOf({ shouldReconnect, reconnect: { maxAttempts: 2 } })
    expect(failures(planner, 2).map((retry) => retry?.[0] ?? null)).toEqual([1, null])
    expect(shouldReconnect).toHaveBeenCalledTimes(2)
  })

  test('shouldReconnect may decide by the context', () => {
    const planner = plannerOf({
      reconnect: { jitter: 'none' },
      shouldReconnect: (event, ctx) => event.code !== 4000 && ctx.elapsed < 3000,
    })
    expect(fail(planner)).toEqual({ attempt: 1, delay: 1000 })
    at(2999)
    expect(fail(planner)).toEqual({ attempt: 2, delay: 2000 })
    at(3000)
    expect(fail(planner)).toBeNull()
  })
})

describe('elapsed', () => {
  function recording(options: ResilientWebSocketOptions = {}) {
    const contexts: RetryContext[] = []
    const planner = plannerOf({
      ...options,
      shouldReconnect: (_event, ctx) => {
        contexts.push(ctx)
        return true
      },
    })
    return { planner, elapsed: () => contexts.map((ctx) => ctx.elapsed) }
  }

  test('grows from the first loss of a run, and a reset starts a new run', () => {
    const { planner, elapsed } = recording()
    fail(planner)
    at(1500)
    fail(planner)
    at(4000)
    fail(planner)
    expect(elapsed()).toEqual([0, 1500, 4000])

    at(10000)
    planner.reset()
    at(12000)
    fail(planner)
    at(12250)
    fail(planner)
    expect(elapsed()).toEqual([0, 1500, 4000, 0, 250])
  })

  test('a stable loss starts a run too', () => {
    const { planner, elapsed } = recording()
    fail(planner)
    at(800)
    planner.reset()
    at(6000)
    const lost = closeEvent(1001)
    planner.plan(lost, lost, true, undefined)
    at(6700)
    fail(planner)
    expect(elapsed()).toEqual([0, 0, 700])
  })

  test('counts while offline from the first loss, also when the run began offline', () => {
    const { planner, elapsed } = recording()
    fail(planner, false)
    at(10000)
    fail(planner, false)
    at(20000)
    fail(planner, true)
    at(21000)
    fail(planner, true)
    expect(elapsed()).toEqual([0, 10000, 20000, 21000])
  })
})

describe('retry policy function', () => {
  test('its number is the delay, its null gives up', () => {
    const policy = vi.fn((ctx: RetryContext) => (ctx.attempt <= 2 ? ctx.attempt * 150 : null))
    const planner = plannerOf({ reconnect: policy })
    expect(failures(planner, 3)).toEqual([[1, 150], [2, 300], null])
    expect(policy).toHaveBeenCalledTimes(3)
    expect(planner.retries).toBe(2)
  })

  test('receives ctx { attempt, elapsed, reason, online }', () => {
    const contexts: RetryContext[] = []
    const planner = plannerOf({
      reconnect: (ctx) => {
        contexts.push(ctx)
        return 250
      },
    })
    const first = closeEvent(1006)
    planner.plan(first, 'first reason', false, true)
    at(300)
    const second = closeEvent(1001)
    planner.plan(second, second, false, undefined)
    expect(contexts).toEqual([
      { attempt: 1, elapsed: 0, reason: 'first reason', online: true },
      { attempt: 2, elapsed: 300, reason: second, online: undefined },
    ])
    expect(contexts[1]!.reason).toBe(second)
  })

  test('0 is a retry; a delay above what a timer can wait is capped at 2^31 - 1 ms', () => {
    const delays = [0, 40 * 24 * 3600 * 1000]
    const planner = plannerOf({ reconnect: () => delays.shift() ?? null })
    expect(failures(planner, 3)).toEqual([[1, 0], [2, 2 ** 31 - 1], null])
    expect(reports).toEqual([])
  })

  test.each([
    ['a negative delay', -50],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '100'],
    ['undefined', undefined],
  ])('answering %s is reported (hook reconnect) and gives up, never a tight loop', (_what, answer) => {
    const planner = plannerOf({ reconnect: () => answer as number })
    expect(fail(planner)).toBeNull()
    expect(reports).toHaveLength(1)
    expect(reports[0]![0]).toBe('reconnect')
    expect(reports[0]![1]).toBeInstanceOf(RangeError)
    expect(String((reports[0]![1] as Error).message)).toContain(String(answer))
  })

  test('a policy that throws is reported (hook reconnect) and gives up', () => {
    const bug = new Error('policy bug')
    const planner = plannerOf({
      reconnect: () => {
        throw bug
      },
    })
    expect(fail(planner)).toBeNull()
    expect(reports).toEqual([['reconnect', bug]])
  })

  test('a shouldReconnect that throws is reported (hook shouldReconnect) and gives up', () => {
    const bug = new Error('decider bug')
    const planner = plannerOf({
      shouldReconnect: () => {
        throw bug
      },
    })
    expect(fail(planner)).toBeNull()
    expect(reports).toEqual([['shouldReconnect', bug]])
  })

  test('fatal close codes give up before the policy is asked; shouldReconnect still decides first', () => {
    const policy = vi.fn(() => 100)
    const planner = plannerOf({ reconnect: policy })
    const fatal = closeEvent(1008)
    expect(planner.plan(fatal, fatal, false, undefined)).toBeNull()
    expect(policy).not.toHaveBeenCalled()

    const refused = plannerOf({ reconnect: policy, shouldReconnect: () => false })
    expect(fail(refused)).toBeNull()
    expect(policy).not.toHaveBeenCalled()
  })

  test('is not limited by a maxAttempts it cannot carry', () => {
    const planner = plannerOf({ reconnect: () => 10 })
    const planned = failures(planner, 100)
    expect(planned.every((retry) => retry !== null)).toBe(true)
    expect(planned[99]).toEqual([100, 10])
  })

  test('offline, the policy still decides the delay and the attempt number repeats', () => {
    const contexts: RetryContext[] = []
    const planner = plannerOf({
      reconnect: (ctx) => {
        contexts.push(ctx)
        return ctx.online === false ? 7000 : 100
      },
    })
    expect(fail(planner, false)).toEqual({ attempt: 1, delay: 7000 })
    expect(fail(planner, false)).toEqual({ attempt: 1, delay: 7000 })
    expect(fail(planner, true)).toEqual({ attempt: 1, delay: 100 })
    expect(fail(planner, true)).toEqual({ attempt: 2, delay: 100 })
    expect(contexts.map((ctx) => ctx.online)).toEqual([false, false, true, true])
  })
})

describe('reconnect: false', () => {
  test('always gives up, without asking shouldReconnect', () => {
    const shouldReconnect = vi.fn(() => true)
    const planner = plannerOf({ reconnect: false, shouldReconnect })
    expect(fail(planner)).toBeNull()
    const lost = closeEvent(1001)
    expect(planner.plan(lost, lost, true, true)).toBeNull()
    expect(fail(planner, false)).toBeNull()
    expect(shouldReconnect).not.toHaveBeenCalled()
    expect(planner.retries).toBe(0)
  })
})

describe('offline', () => {
  test('online: false spends nothing and waits maxDelay; the attempt number repeats', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none' } })
    expect(fail(planner)).toEqual({ attempt: 1, delay: 1000 })
    expect(fail(planner, false)).toEqual({ attempt: 2, delay: 10000 })
    expect(fail(planner, false)).toEqual({ attempt: 2, delay: 10000 })
    expect(planner.retries).toBe(1)
    // Back online, the backoff goes on where it stopped.
    expect(fail(planner, true)).toEqual({ attempt: 2, delay: 2000 })
    expect(fail(planner, undefined)).toEqual({ attempt: 3, delay: 4000 })
  })

  test('waits a custom maxDelay, whatever the jitter', () => {
    for (const jitter of ['full', 'equal', 'decorrelated', 'none'] as const) {
      const planner = plannerOf({ reconnect: { jitter, maxDelay: 3000, random: () => 0.5 } })
      expect(fail(planner, false)).toEqual({ attempt: 1, delay: 3000 })
    }
  })

  test('maxAttempts is not consumed while offline', () => {
    const planner = plannerOf({ reconnect: { jitter: 'none', maxAttempts: 2 } })
    for (let i = 0; i < 10; i++) expect(fail(planner, false)).toEqual({ attempt: 1, delay: 10000 })
    expect(fail(planner, true)).toEqual({ attempt: 1, delay: 1000 })
    expect(fail(planner, true)).toBeNull()
  })

  test("an offline wait does not count as the previous delay for 'decorrelated'", () => {
    const planner = plannerOf({ reconnect: { jitter: 'decorrelated', random: () => 0.5 } })
    expect(fail(planner)?.delay).toBe(1000)
    expect(fail(planner, false)?.delay).toBe(10000)
    // Had 10000 counted, this would be min(10000, 1000 + 0.5 × 29000) = 10000.
    expect(fail(planner)?.delay).toBe(2000)
  })
})

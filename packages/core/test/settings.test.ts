import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { ResilientWebSocket, type ResilientWebSocketOptions } from '../src'
import { acknowledged } from '../src/delivery'
import { DEFAULTS, MAX_DELAY, resolveSettings } from '../src/settings'

const DAY = 24 * 3600 * 1000

/** The error the constructor throws for `options` (fails the test when it does not throw). */
function rejection(options: unknown): Error {
  try {
    new ResilientWebSocket('ws://example.test/', { WebSocket: FakeWebSocket, ...(options as object) }).close()
  } catch (error) {
    return error as Error
  }
  throw new Error(`options ${JSON.stringify(options)} were accepted`)
}

describe('a bad option throws in the constructor, naming the option and the value', () => {
  test.each<[string, ResilientWebSocketOptions, string, string]>([
    ['a negative minDelay', { reconnect: { minDelay: -100 } }, 'reconnect.minDelay', '-100'],
    ['a negative maxDelay', { reconnect: { maxDelay: -1 } }, 'reconnect.maxDelay', '-1'],
    ['factor 0', { reconnect: { factor: 0 } }, 'reconnect.factor', '0'],
    ['factor below 1', { reconnect: { factor: 0.5 } }, 'reconnect.factor', '0.5'],
    ['a NaN minDelay', { reconnect: { minDelay: Number.NaN } }, 'reconnect.minDelay', 'NaN'],
    [
      'a maxDelay of 30 days (beyond a timer)',
      { reconnect: { maxDelay: 30 * DAY } },
      'reconnect.maxDelay',
      '2592000000',
    ],
    ['an infinite maxDelay', { reconnect: { maxDelay: Number.POSITIVE_INFINITY } }, 'reconnect.maxDelay', 'Infinity'],
    ['maxAttempts 0', { reconnect: { maxAttempts: 0 } }, 'reconnect.maxAttempts', '0'],
    ['maxAttempts NaN', { reconnect: { maxAttempts: Number.NaN } }, 'reconnect.maxAttempts', 'NaN'],
    ['a negative stableAfter', { reconnect: { stableAfter: -1 } }, 'reconnect.stableAfter', '-1'],
    ['a negative connectTimeout', { connectTimeout: -5 }, 'connectTimeout', '-5'],
    ['a NaN connectTimeout', { connectTimeout: Number.NaN }, 'connectTimeout', 'NaN'],
    ['a connectTimeout beyond a timer', { connectTimeout: 30 * DAY }, 'connectTimeout', '2592000000'],
    ['a negative closeTimeout', { closeTimeout: -1 }, 'closeTimeout', '-1'],
    ['heartbeat.interval 0', { heartbeat: { interval: 0 } }, 'heartbeat.interval', '0'],
    ['heartbeat.timeout 0', { heartbeat: { timeout: 0 } }, 'heartbeat.timeout', '0'],
    [
      'an infinite heartbeat.interval',
      { heartbeat: { interval: Number.POSITIVE_INFINITY } },
      'heartbeat.interval',
      'Infinity',
    ],
    ['highWaterMark 0', { highWaterMark: 0 }, 'highWaterMark', '0'],
    ['a negative lowWaterMark', { lowWaterMark: -1 }, 'lowWaterMark', '-1'],
    ['queue.maxMessages 0', { queue: { maxMessages: 0 } }, 'queue.maxMessages', '0'],
    ['queue.maxBytes 0', { queue: { maxBytes: 0 } }, 'queue.maxBytes', '0'],
    ['a negative queue.ttl', { queue: { ttl: -1 } }, 'queue.ttl', '-1'],
    ['a negative sleepThreshold', { lifecycle: { sleepThreshold: -1 } }, 'lifecycle.sleepThreshold', '-1'],
  ])('%s: RangeError', (_what, options, name, value) => {
    const error = rejection(options)
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toContain(name)
    expect(error.message).toContain(value)
  })

  test.each<[string, unknown, string]>([
    ["jitter 'bogus'", { reconnect: { jitter: 'bogus' } }, 'reconnect.jitter'],
    ["overflow 'bogus'", { queue: { overflow: 'bogus' } }, 'queue.overflow'],
  ])('%s: RangeError listing what is allowed', (_what, options, name) => {
    const error = rejection(options)
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toContain(name)
    expect(error.message).toContain("'bogus'")
    expect(error.message).toMatch(/one of '/)
  })

  test('minDelay above maxDelay: RangeError naming both', () => {
    const error = rejection({ reconnect: { minDelay: 5000, maxDelay: 1000 } })
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toContain('reconnect.minDelay (5000)')
    expect(error.message).toContain('reconnect.maxDelay (1000)')
  })

  test('lowWaterMark above highWaterMark: RangeError naming both', () => {
    const error = rejection({ highWaterMark: 1000, lowWaterMark: 2000 })
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toContain('lowWaterMark (2000)')
    expect(error.message).toContain('highWaterMark (1000)')
  })

  test.each<[string, unknown, string]>([
    ['WebSocket: {} (not a constructor)', { WebSocket: {} }, 'WebSocket'],
    ['createWebSocket: a string', { createWebSocket: 'ws' }, 'createWebSocket'],
    ['a string where a number goes', { connectTimeout: '1000' }, 'connectTimeout'],
    ['shouldReconnect: true', { shouldReconnect: true }, 'shouldReconnect'],
    ['handshake: an object', { handshake: {} }, 'handshake'],
    ['resume: a string', { resume: 'since' }, 'resume'],
    ['reconnect: a number', { reconnect: 5 }, 'reconnect'],
    ['reconnect.random: a number', { reconnect: { random: 0.5 } }, 'reconnect.random'],
    ['queue: a number', { queue: 10 }, 'queue'],
    ['heartbeat: a string', { heartbeat: 'on' }, 'heartbeat'],
    ['heartbeat.isPong: a string', { heartbeat: { message: 'ping', isPong: 'pong' } }, 'heartbeat.isPong'],
    ['fatalCloseCodes: a number', { fatalCloseCodes: 1008 }, 'fatalCloseCodes'],
  ])('%s: TypeError', (_what, options, name) => {
    const error = rejection(options)
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain(name)
  })

  test('delivery given the options object instead of acknowledged(): a TypeError that says how', () => {
    const error = rejection({ delivery: { id: () => undefined, ackOf: () => undefined } })
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain("acknowledged() from '@lifeline/core/delivery'")
  })

  test('nothing is created, and no timer armed, when the options are rejected', () => {
    FakeWebSocket.reset()
    rejection({ highWaterMark: -1 })
    expect(FakeWebSocket.instances).toEqual([])
  })
})

describe('accepted values', () => {
  test('Infinity means never where that makes sense; limits may be unbounded', () => {
    const s = resolveSettings({
      connectTimeout: Number.POSITIVE_INFINITY,
      closeTimeout: Number.POSITIVE_INFINITY,
      reconnect: { stableAfter: Number.POSITIVE_INFINITY, maxAttempts: Number.POSITIVE_INFINITY },
      queue: { maxMessages: Number.POSITIVE_INFINITY, maxBytes: Number.POSITIVE_INFINITY },
      highWaterMark: Number.POSITIVE_INFINITY,
    })
    expect(s.connectTimeout).toBe(Number.POSITIVE_INFINITY)
    expect(s.closeTimeout).toBe(Number.POSITIVE_INFINITY)
    expect(s.backoff.stableAfter).toBe(Number.POSITIVE_INFINITY)
    expect(s.queue.maxMessages).toBe(Number.POSITIVE_INFINITY)
    expect(s.highWaterMark).toBe(Number.POSITIVE_INFINITY)
  })

  test('the largest timer delay is accepted; zero delays and timeouts too', () => {
    const s = resolveSettings({
      reconnect: { minDelay: 0, maxDelay: MAX_DELAY, stableAfter: 0 },
      connectTimeout: 0,
      closeTimeout: 0,
    })
    expect(s.backoff).toMatchObject({ minDelay: 0, maxDelay: MAX_DELAY, stableAfter: 0 })
    expect(s.connectTimeout).toBe(0)
  })

  test('a minDelay above the default maxDelay, alone, raises maxDelay to it', () => {
    expect(resolveSettings({ reconnect: { minDelay: 20000 } }).backoff).toMatchObject({
      minDelay: 20000,
      maxDelay: 20000,
    })
  })

  test('a highWaterMark below the default lowWaterMark, alone, lowers lowWaterMark to it', () => {
    expect(resolveSettings({ highWaterMark: 1000 })).toMatchObject({ highWaterMark: 1000, lowWaterMark: 1000 })
  })

  test('reconnect: true and heartbeat: true mean the defaults', () => {
    const s = resolveSettings({ reconnect: true as never, heartbeat: true })
    expect(s.policy).toBeUndefined()
    expect(s.backoff).toMatchObject(DEFAULTS.reconnect)
    expect(s.heartbeat).toMatchObject({ ...DEFAULTS.heartbeat, auto: false })
  })

  test('acknowledged() is accepted as delivery', () => {
    const delivery = acknowledged({ id: () => undefined, ackOf: () => undefined })
    expect(resolveSettings({ delivery }).delivery).toBe(delivery)
  })
})

describe('resolved once, frozen', () => {
  test('the settings and their parts are frozen, and later changes to the options object change nothing', () => {
    const options: ResilientWebSocketOptions = { reconnect: { minDelay: 100 }, queue: { maxMessages: 5 } }
    const s = resolveSettings(options)
    expect(Object.isFrozen(s)).toBe(true)
    expect(Object.isFrozen(s.backoff)).toBe(true)
    expect(Object.isFrozen(s.queue)).toBe(true)
    expect(Object.isFrozen(s.fatalCloseCodes)).toBe(true)
    ;(options.reconnect as { minDelay: number }).minDelay = -1
    expect(s.backoff.minDelay).toBe(100)
  })

  test('the defaults are frozen', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.reconnect)).toBe(true)
    expect(Object.isFrozen(DEFAULTS.queue)).toBe(true)
    expect(() => {
      ;(DEFAULTS as { connectTimeout: number }).connectTimeout = 1
    }).toThrow(TypeError)
  })

  test('the defaults, with nothing given', () => {
    const s = resolveSettings({})
    expect(s.backoff).toMatchObject(DEFAULTS.reconnect)
    expect(s.queue).toEqual(DEFAULTS.queue)
    expect(s).toMatchObject({
      connectTimeout: DEFAULTS.connectTimeout,
      closeTimeout: DEFAULTS.closeTimeout,
      highWaterMark: DEFAULTS.highWaterMark,
      lowWaterMark: DEFAULTS.lowWaterMark,
      fatalCloseCodes: DEFAULTS.fatalCloseCodes,
      sleepThreshold: DEFAULTS.lifecycle.sleepThreshold,
      heartbeat: { ...DEFAULTS.heartbeat, auto: true },
    })
  })
})

import type { RetryContext, RetryPolicy, SocketCloseEvent } from '@lifeline/core'
import { describe, expect, test, vi } from 'vitest'
import { heartbeatOf, socketOptions, socketUrl } from '../src/options'

const ctx = (attempt: number): RetryContext => ({ attempt, elapsed: 0, reason: undefined, online: undefined })

describe('socketUrl', () => {
  test('appends query parameters, after an existing query with &', () => {
    expect(socketUrl('ws://h/feed', { token: 'a b', n: 3 })).toBe('ws://h/feed?token=a+b&n=3')
    expect(socketUrl('ws://h/feed?x=1', { y: 2 })).toBe('ws://h/feed?x=1&y=2')
  })

  test('without parameters the URL, string or function, is passed as it is', () => {
    const provider = () => 'ws://h/a'
    expect(socketUrl('ws://h/a', undefined)).toBe('ws://h/a')
    expect(socketUrl(provider, undefined)).toBe(provider)
  })

  test('a URL function gets the parameters appended to each of its answers', async () => {
    let n = 0
    const url = socketUrl(async () => `ws://h/${++n}`, { t: 'x' }) as () => Promise<string>
    expect(await url()).toBe('ws://h/1?t=x')
    expect(await url()).toBe('ws://h/2?t=x')
  })
})

describe('heartbeatOf', () => {
  test('true is an application ping with core’s intervals; false and undefined pass through', () => {
    expect(heartbeatOf(true)).toEqual({ message: 'ping' })
    expect(heartbeatOf(false)).toBe(false)
    expect(heartbeatOf(undefined)).toBeUndefined()
  })

  test('settings keep their values; returnMessage becomes the pong test', () => {
    const heartbeat = heartbeatOf({ message: 'hb', returnMessage: 'ack', interval: 100, timeout: 50 }) as any
    expect(heartbeat).toMatchObject({ message: 'hb', interval: 100, timeout: 50 })
    expect(heartbeat.isPong('ack')).toBe(true)
    expect(heartbeat.isPong('hb')).toBe(false)
  })

  test('the message defaults to "ping"; without returnMessage no message is a pong', () => {
    const heartbeat = heartbeatOf({ interval: 100 }) as any
    expect(heartbeat.message).toBe('ping')
    expect(heartbeat.isPong('pong')).toBe(false)
  })

  test('an isPong of its own wins over returnMessage', () => {
    const isPong = (data: unknown) => data === 'p'
    expect((heartbeatOf({ returnMessage: 'x', isPong }) as any).isPong).toBe(isPong)
  })
})

describe('socketOptions', () => {
  test('lifeline options pass through; no reconnect names leaves core’s backoff unlimited', () => {
    const options = socketOptions({ connectTimeout: 500, queue: { maxMessages: 3 } })
    expect(options).toMatchObject({ connectTimeout: 500, queue: { maxMessages: 3 } })
    expect(options.reconnect).toEqual({ maxAttempts: Number.POSITIVE_INFINITY })
  })

  test('reconnectAttempts n allows n retries after the first attempt: maxAttempts n + 1', () => {
    expect(socketOptions({ reconnectAttempts: 3 }).reconnect).toEqual({ maxAttempts: 4 })
    expect(socketOptions({ reconnectAttempts: 3, reconnect: { minDelay: 5 } }).reconnect).toEqual({
      maxAttempts: 4,
      minDelay: 5,
    })
  })

  test('a reconnect object’s own maxAttempts, false, or a policy wins', () => {
    expect(socketOptions({ reconnectAttempts: 3, reconnect: { maxAttempts: 9 } }).reconnect).toEqual({
      maxAttempts: 9,
    })
    expect(socketOptions({ reconnectAttempts: 3, reconnect: false }).reconnect).toBe(false)
    const policy: RetryPolicy = () => 5
    expect(socketOptions({ reconnectInterval: 100, reconnect: policy }).reconnect).toBe(policy)
  })

  test('a number reconnectInterval is spread by ±20%', () => {
    const policy = socketOptions({ reconnectInterval: 1000 }).reconnect as RetryPolicy
    const random = vi.spyOn(Math, 'random')
    random.mockReturnValue(0)
    expect(policy(ctx(1))).toBeCloseTo(800)
    random.mockReturnValue(0.999999)
    expect(policy(ctx(5))).toBeCloseTo(1200)
    random.mockRestore()
  })

  test('a function reconnectInterval gets the retry number from 0 and is used as given', () => {
    const interval = vi.fn((n: number) => n * 100)
    const policy = socketOptions({ reconnectInterval: interval }).reconnect as RetryPolicy
    expect(policy(ctx(1))).toBe(0)
    expect(policy(ctx(3))).toBe(200)
    expect(interval.mock.calls).toEqual([[0], [2]])
  })

  test('with reconnectInterval, reconnectAttempts n gives up on retry n + 1', () => {
    const policy = socketOptions({ reconnectInterval: () => 10, reconnectAttempts: 2 }).reconnect as RetryPolicy
    expect(policy(ctx(2))).toBe(10)
    expect(policy(ctx(3))).toBeNull()
  })

  test('shouldReconnect passes to the socket as it is, with react-use-websocket’s one-argument shape', () => {
    const shouldReconnect = (event: SocketCloseEvent) => event.code !== 4000
    expect(socketOptions({ shouldReconnect }).shouldReconnect).toBe(shouldReconnect)
  })
})

import { describe, expect, test } from 'vitest'
import { LatencyEvent, ReconnectingEvent, SocketCloseEvent, SocketErrorEvent, SocketOpenEvent } from '../../src'
import { eventFields, reviveEvent } from '../../src/tabs/wire'

const source = { name: 'the leader socket', send() {} }
const target = { name: 'this tab' }
/** What another tab receives: a structured clone (it throws on what cannot cross, as the platform does). */
const across = <T>(value: T): T => structuredClone(value)

describe('relayed events survive the trip to another tab', () => {
  test('open', () => {
    const event = reviveEvent(target, 'open', across(eventFields(new SocketOpenEvent(source, 2, true))))
    expect(event).toBeInstanceOf(SocketOpenEvent)
    expect(event).toMatchObject({ type: 'open', target, currentTarget: target, attempt: 2, reconnected: true })
    expect(typeof (event as SocketOpenEvent).timeStamp).toBe('number')
  })

  test('close', () => {
    const close = new SocketCloseEvent(source, { code: 4001, reason: 'r', wasClean: true, willReconnect: false })
    const event = reviveEvent(target, 'close', across(eventFields(close)))
    expect(event).toBeInstanceOf(SocketCloseEvent)
    expect(event).toMatchObject({
      type: 'close',
      target,
      code: 4001,
      reason: 'r',
      wasClean: true,
      willReconnect: false,
    })
  })

  test('error: an Error crosses as an Error, with the hook that threw; anything else (a platform event) as text', () => {
    const fromHook = reviveEvent(
      target,
      'error',
      across(eventFields(new SocketErrorEvent(source, new TypeError('no token'), 'url'))),
    ) as SocketErrorEvent
    expect(fromHook).toBeInstanceOf(SocketErrorEvent)
    expect(fromHook.error).toBeInstanceOf(Error)
    expect((fromHook.error as Error).message).toBe('no token')
    expect(fromHook.hook).toBe('url')
    expect(fromHook.message).toBe('url threw: no token')
    const platformEvent = { type: 'error', target: source }
    const withEvent = reviveEvent(
      target,
      'error',
      across(eventFields(new SocketErrorEvent(source, platformEvent))),
    ) as SocketErrorEvent
    expect(withEvent.error).toBe('[object Object]')
  })

  test('reconnecting: a close event as reason comes back as a close event of this tab', () => {
    const reason = new SocketCloseEvent(source, { code: 1006, reason: '', wasClean: false, willReconnect: true })
    const event = reviveEvent(
      target,
      'reconnecting',
      across(eventFields(new ReconnectingEvent(source, 3, 250, reason))),
    ) as ReconnectingEvent
    expect(event).toMatchObject({ type: 'reconnecting', attempt: 3, delay: 250 })
    expect(event.reason).toBeInstanceOf(SocketCloseEvent)
    expect((event.reason as SocketCloseEvent).target).toBe(target)
    expect((event.reason as SocketCloseEvent).code).toBe(1006)
    const fromError = reviveEvent(
      target,
      'reconnecting',
      across(eventFields(new ReconnectingEvent(source, 1, 5, new Error('provider down')))),
    ) as ReconnectingEvent
    expect((fromError.reason as Error).message).toBe('provider down')
  })

  test('latency', () => {
    const event = reviveEvent(target, 'latency', across(eventFields(new LatencyEvent(source, 42))))
    expect(event).toBeInstanceOf(LatencyEvent)
    expect(event).toMatchObject({ latency: 42, target })
  })
})

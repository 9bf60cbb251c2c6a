import { describe, expect, test } from 'vitest'
import { LatencyEvent, ReconnectingEvent, SocketCloseEvent, SocketErrorEvent, SocketOpenEvent } from '../../src'
import { eventArguments, reviveEvent } from '../../src/tabs/wire'

const source = { name: 'the leader socket' }
const target = { name: 'this tab' }
/** What another tab receives: a structured clone. */
const across = <T>(value: T): T => structuredClone(value)

describe('relayed events survive the trip to another tab', () => {
  test('open', () => {
    const event = reviveEvent(target, 'open', across(eventArguments('open', new SocketOpenEvent(source, 2, true))))
    expect(event).toBeInstanceOf(SocketOpenEvent)
    expect(event).toMatchObject({ type: 'open', target, attempt: 2, reconnected: true })
  })

  test('close', () => {
    const close = new SocketCloseEvent(source, { code: 4001, reason: 'r', wasClean: true, willReconnect: false })
    const event = reviveEvent(target, 'close', across(eventArguments('close', close)))
    expect(event).toBeInstanceOf(SocketCloseEvent)
    expect(event).toMatchObject({ target, code: 4001, reason: 'r', wasClean: true, willReconnect: false })
  })

  test('error: an Error crosses as an Error; anything else (a platform event) as its message', () => {
    const withError = reviveEvent(
      target,
      'error',
      across(eventArguments('error', new SocketErrorEvent(source, new TypeError('no WebSocket')))),
    ) as SocketErrorEvent
    expect(withError).toBeInstanceOf(SocketErrorEvent)
    expect(withError.error).toBeInstanceOf(Error)
    expect(withError.message).toBe('no WebSocket')
    const platformEvent = { type: 'error', target: { send() {} } }
    const args = eventArguments('error', new SocketErrorEvent(source, platformEvent))
    const withEvent = reviveEvent(target, 'error', across(args)) as SocketErrorEvent
    expect(withEvent.message).toBe('[object Object]')
  })

  test('reconnecting: a close event as reason comes back as a close event', () => {
    const reason = new SocketCloseEvent(source, { code: 1006, reason: '', wasClean: false, willReconnect: true })
    const event = reviveEvent(
      target,
      'reconnecting',
      across(eventArguments('reconnecting', new ReconnectingEvent(source, 3, 250, reason))),
    ) as ReconnectingEvent
    expect(event).toMatchObject({ attempt: 3, delay: 250 })
    expect(event.reason).toBeInstanceOf(SocketCloseEvent)
    expect((event.reason as SocketCloseEvent).target).toBe(target)
    expect((event.reason as SocketCloseEvent).code).toBe(1006)
    const fromError = reviveEvent(
      target,
      'reconnecting',
      across(eventArguments('reconnecting', new ReconnectingEvent(source, 1, 5, new Error('provider down')))),
    ) as ReconnectingEvent
    expect((fromError.reason as Error).message).toBe('provider down')
  })

  test('latency', () => {
    const event = reviveEvent(target, 'latency', across(eventArguments('latency', new LatencyEvent(source, 42))))
    expect(event).toBeInstanceOf(LatencyEvent)
    expect(event).toMatchObject({ latency: 42, target })
  })
})

// A listener that throws is the user's bug: it must not stop the other listeners nor lifeline's own next step, and
// its exception is reported as the platform reports listener exceptions.
import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { reportError } from '../../src/report-error'
import { flush, useFakeSockets } from '../helpers/fake-sockets'

let reported: unknown[]
let original: typeof globalThis.reportError
// Registered before the sockets' hooks, so the stand-in stays while they close the sockets after each test.
beforeEach(() => {
  reported = []
  original = globalThis.reportError
  globalThis.reportError = (error: unknown) => reported.push(error)
})
afterEach(() => {
  globalThis.reportError = original
})

const make = useFakeSockets()
const quick = { reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' as const } }

describe('a throwing listener', () => {
  test('an onopen that throws: the queue is still flushed, later sends go out, the error is reported', async () => {
    const socket = make()
    const bug = new Error('bug in onopen')
    socket.onopen = () => {
      throw bug
    }
    socket.send('queued before open')
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    expect(socket.state).toBe('open')
    expect(ws.sent).toEqual(['queued before open'])
    expect(socket.send('after open')).toBe(true)
    expect(ws.sent).toEqual(['queued before open', 'after open'])
    expect(socket.queued).toEqual([])
    expect(reported).toEqual([bug])
  })

  test('does not stop the listeners after it, whatever their kind', async () => {
    const socket = make()
    const calls: string[] = []
    socket.on('message', () => {
      calls.push('on')
      throw new Error('first')
    })
    socket.onmessage = () => {
      calls.push('onmessage')
      throw new Error('second')
    }
    socket.addEventListener('message', { handleEvent: () => calls.push('handleEvent') })
    socket.once('message', () => calls.push('once'))
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive('a')
    ws.receive('b')
    expect(calls).toEqual(['on', 'onmessage', 'handleEvent', 'once', 'on', 'onmessage', 'handleEvent'])
    expect(reported.map((error) => (error as Error).message)).toEqual(['first', 'second', 'first', 'second'])
  })

  test('a throwing close listener does not stop the retry', async () => {
    const socket = make(quick)
    socket.on('close', () => {
      throw new Error('bug in close listener')
    })
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    expect(socket.state).toBe('reconnecting')
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
    expect(reported).toHaveLength(1)
  })

  test('throwing state and error listeners do not leave an attempt stuck', async () => {
    const socket = make(quick)
    socket.on('state', () => {
      throw new Error('bug in state listener')
    })
    socket.onerror = () => {
      throw new Error('bug in error listener')
    }
    await flush()
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    await flush(100)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
    expect(reported.length).toBeGreaterThanOrEqual(4)
  })

  test('dispatchEvent() reports a throwing listener too', () => {
    const socket = make()
    const after = vi.fn()
    socket.addEventListener('drain', () => {
      throw new Error('bug')
    })
    socket.addEventListener('drain', after)
    expect(socket.dispatchEvent({ type: 'drain' })).toBe(true)
    expect(after).toHaveBeenCalledTimes(1)
    expect(reported).toHaveLength(1)
  })
})

describe('reportError()', () => {
  test('without a global reportError, the exception is thrown again in a later task', () => {
    globalThis.reportError = undefined as never
    const error = new Error('later')
    reportError(error)
    expect(vi.getTimerCount()).toBe(1)
    expect(() => vi.runOnlyPendingTimers()).toThrow(error)
  })

  test('with a global reportError, it is reported at once', () => {
    const error = new Error('now')
    reportError(error)
    expect(reported).toEqual([error])
    expect(vi.getTimerCount()).toBe(0)
  })
})

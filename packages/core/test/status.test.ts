import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test, vi } from 'vitest'
import { flush, useFakeSockets } from './helpers/fake-sockets'

const make = useFakeSockets()

describe('status and subscribe', () => {
  test('the snapshot keeps its identity until a field changes, and is frozen', async () => {
    const socket = make()
    const first = socket.status
    expect(socket.status).toBe(first)
    expect(Object.isFrozen(first)).toBe(true)
    expect(first).toMatchObject({
      state: 'connecting',
      readyState: 0,
      attempt: 0,
      queuedMessages: 0,
      lastClose: undefined,
    })
    await flush()
    expect(socket.status).toBe(first)
    FakeWebSocket.last().open('chat')
    const open = socket.status
    expect(open).not.toBe(first)
    expect(open).toMatchObject({ state: 'open', readyState: 1, protocol: 'chat', url: 'ws://example.test/feed' })
    expect(socket.status).toBe(open)
  })

  test('subscribers hear state changes at once, with the new snapshot readable inside', async () => {
    const socket = make()
    const seen: string[] = []
    socket.subscribe(() => {
      if (seen.at(-1) !== socket.status.state) seen.push(socket.status.state)
    })
    await flush()
    FakeWebSocket.last().open()
    expect(seen).toEqual(['open'])
    FakeWebSocket.last().serverClose(1006)
    expect(seen).toEqual(['open', 'reconnecting'])
    expect(socket.status.lastClose).toEqual({ code: 1006, reason: '', wasClean: false })
    expect(socket.status.attempt).toBe(1)
  })

  test('a burst of sends is reported once, in a microtask, with the queue figures', async () => {
    const socket = make()
    const listener = vi.fn()
    socket.subscribe(listener)
    for (let i = 0; i < 100; i++) socket.send('hello')
    expect(listener).not.toHaveBeenCalled()
    await Promise.resolve()
    expect(listener).toHaveBeenCalledTimes(1)
    expect(socket.status).toMatchObject({ queuedMessages: 100, bufferedAmount: 500 })
    await flush()
    FakeWebSocket.last().open()
    await flush(10)
    expect(socket.status).toMatchObject({ queuedMessages: 0, bufferedAmount: 0 })
  })

  test('reading status before the microtask does not swallow the notification', async () => {
    const socket = make()
    const listener = vi.fn()
    socket.subscribe(listener)
    socket.send('x')
    expect(socket.status.queuedMessages).toBe(1)
    await Promise.resolve()
    expect(listener).toHaveBeenCalledTimes(1)
  })

  test('unsubscribe stops the listener; a throwing listener does not stop the others', async () => {
    const errors: unknown[] = []
    const original = globalThis.reportError
    globalThis.reportError = (error: unknown) => errors.push(error)
    try {
      const socket = make()
      const calls: string[] = []
      socket.subscribe(() => {
        throw new Error('listener bug')
      })
      const stop = socket.subscribe(() => calls.push('second'))
      await flush()
      FakeWebSocket.last().open()
      expect(calls).toEqual(['second'])
      expect(errors).toHaveLength(1)
      expect(socket.state).toBe('open')
      stop()
      socket.close()
      FakeWebSocket.last().finishClose()
      expect(calls).toEqual(['second'])
      expect(errors.every((error) => (error as Error).message === 'listener bug')).toBe(true)
    } finally {
      globalThis.reportError = original
    }
  })

  test('close() ends in a closed snapshot with the close recorded', async () => {
    const socket = make()
    await flush()
    FakeWebSocket.last().open()
    socket.close(1000, 'bye')
    expect(socket.status.state).toBe('closing')
    FakeWebSocket.last().finishClose(1000, 'bye')
    expect(socket.status).toMatchObject({
      state: 'closed',
      readyState: 3,
      lastClose: { code: 1000, reason: 'bye', wasClean: true },
    })
  })
})

describe('the snapshot that says closed carries its close', () => {
  test('giving up', async () => {
    const socket = make({ reconnect: { maxAttempts: 1 } })
    const closed: unknown[] = []
    socket.subscribe(() => {
      if (socket.status.state === 'closed') closed.push(socket.status.lastClose)
    })
    await flush()
    FakeWebSocket.last().serverClose(1011, 'boom', true)
    expect(closed[0]).toEqual({ code: 1011, reason: 'boom', wasClean: true })
  })

  test('close() while waiting to retry', async () => {
    const socket = make()
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    const closed: unknown[] = []
    socket.subscribe(() => {
      if (socket.status.state === 'closed') closed.push(socket.status.lastClose)
    })
    socket.close(4000, 'leaving')
    expect(closed[0]).toEqual({ code: 4000, reason: 'leaving', wasClean: false })
  })
})

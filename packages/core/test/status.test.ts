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

describe('gaveUp tells a give-up from close()', () => {
  test('a give-up after a close frame that close() could also have given (4001, not clean) says gaveUp', async () => {
    const socket = make({ fatalCloseCodes: [4001] })
    const seen: unknown[] = []
    socket.subscribe(() => {
      if (socket.status.state === 'closed') seen.push({ ...socket.status })
    })
    await flush()
    FakeWebSocket.last().open()
    expect(socket.status.gaveUp).toBe(false)
    FakeWebSocket.last().serverClose(4001, 'unauthorized', false)
    // One notification: the close noted again as its event goes out does not make a new snapshot.
    expect(seen).toEqual([
      expect.objectContaining({ lastClose: { code: 4001, reason: 'unauthorized', wasClean: false }, gaveUp: true }),
    ])
  })

  test('giving up as attempts run out, or with reconnect: false, says gaveUp; close() afterwards changes nothing', async () => {
    const limited = make({ reconnect: { maxAttempts: 1 } })
    await flush()
    FakeWebSocket.last().fail()
    expect(limited.status).toMatchObject({ state: 'closed', gaveUp: true })
    const never = make({ reconnect: false })
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    expect(never.status).toMatchObject({ state: 'closed', gaveUp: true })
    const before = never.status
    never.close(4000)
    expect(never.status).toBe(before)
  })

  test('close() is not a give-up, in any state; reconnect() after a give-up clears it', async () => {
    const open = make()
    await flush()
    FakeWebSocket.last().open()
    open.close(4000, 'done')
    FakeWebSocket.last().serverClose(4000, 'done', false)
    expect(open.status).toMatchObject({ state: 'closed', gaveUp: false })
    const connecting = make()
    connecting.close()
    expect(connecting.status).toMatchObject({ state: 'closed', gaveUp: false })

    const socket = make({ reconnect: { maxAttempts: 1 } })
    await flush()
    FakeWebSocket.last().fail()
    expect(socket.status.gaveUp).toBe(true)
    socket.reconnect()
    expect(socket.status).toMatchObject({ state: 'connecting', gaveUp: false })
  })
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { describe, expect, test, vi } from 'vitest'
import { HANDSHAKE_FAILED, QueueFullError } from '../../src'
import { fakeClient, openNext, RETRY_DELAY, recordDrops } from '../helpers/fake-client'
import { useFakeSockets } from '../helpers/fake-sockets'

useFakeSockets()

describe('sending while not open', () => {
  test('send() while connecting queues in order and flushes on open', async () => {
    const socket = fakeClient()
    expect(socket.send('one')).toBe(true)
    expect(socket.send('二')).toBe(true)
    expect(socket.queued).toEqual(['one', '二'])
    expect(socket.bufferedAmount).toBe(6)
    const ws = await openNext()
    expect(ws.sent).toEqual(['one', '二'])
    expect(socket.queued).toEqual([])
    expect(socket.bufferedAmount).toBe(0)
  })

  test('send() before the first attempt has even started queues too', async () => {
    const socket = fakeClient()
    socket.send('early')
    expect(FakeWebSocket.instances).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    expect(ws.sent).toEqual([])
    ws.open()
    expect(ws.sent).toEqual(['early'])
  })

  test('send() while reconnecting queues and goes out on the next connection only', async () => {
    const socket = fakeClient()
    const first = await openNext()
    socket.send('before')
    first.serverClose(1006)
    expect(socket.state).toBe('reconnecting')
    socket.send('during-1')
    socket.send('during-2')
    expect(socket.queued).toEqual(['during-1', 'during-2'])
    const second = await openNext()
    expect(first.sent).toEqual(['before'])
    expect(second.sent).toEqual(['during-1', 'during-2'])
  })

  test('a message sent while older ones wait does not overtake them', async () => {
    const socket = fakeClient({ highWaterMark: 100 })
    const ws = await openNext()
    ws.bufferedAmount = 100
    socket.send('a')
    socket.send('b')
    expect(ws.sent).toEqual([])
    ws.bufferedAmount = 0
    // The socket has room now, but 'a' and 'b' still wait for the pump: 'c' must queue behind them.
    socket.send('c')
    expect(ws.sent).toEqual([])
    expect(socket.queued).toEqual(['a', 'b', 'c'])
    await vi.advanceTimersByTimeAsync(100)
    expect(ws.sent).toEqual(['a', 'b', 'c'])
    expect(socket.queued).toEqual([])
  })

  test('binary messages are queued as given and sent as the same objects', async () => {
    const socket = fakeClient()
    const buffer = new ArrayBuffer(3)
    const view = new Uint8Array([1, 2, 3, 4])
    const blob = new Blob(['12345'])
    socket.send(buffer)
    socket.send(view)
    socket.send(blob)
    expect(socket.bufferedAmount).toBe(12)
    expect(socket.queued).toEqual([buffer, view, blob])
    expect(socket.queued[2]).toBe(blob)
    const ws = await openNext()
    expect(ws.sent).toHaveLength(3)
    expect(ws.sent[0]).toBe(buffer)
    expect(ws.sent[1]).toBe(view)
    expect(ws.sent[2]).toBe(blob)
  })

  test('queued is a snapshot, oldest first', async () => {
    const socket = fakeClient()
    socket.send('a')
    const snapshot = socket.queued
    socket.send('b')
    expect(snapshot).toEqual(['a'])
    snapshot.push('mutated')
    expect(socket.queued).toEqual(['a', 'b'])
  })
})

describe('queue bounds', () => {
  test('drop-oldest drops the oldest and reports it with reason overflow', async () => {
    const socket = fakeClient({ queue: { maxMessages: 2 } })
    const drops = recordDrops(socket)
    socket.send('a')
    socket.send('b')
    // A sender that ignores send()'s false (the queue is half full) meets the bound.
    expect(socket.send('c')).toBe(false)
    expect(drops).toEqual([{ data: 'a', reason: 'overflow' }])
    expect(socket.queued).toEqual(['b', 'c'])
    const ws = await openNext()
    expect(ws.sent).toEqual(['b', 'c'])
  })

  test('drop-newest drops the incoming message and reports it', () => {
    const socket = fakeClient({ queue: { maxMessages: 2, overflow: 'drop-newest' } })
    const drops = recordDrops(socket)
    socket.send('a')
    socket.send('b')
    socket.send('c')
    expect(drops).toEqual([{ data: 'c', reason: 'overflow' }])
    expect(socket.queued).toEqual(['a', 'b'])
  })

  test('throw makes send() throw QueueFullError, queues nothing and emits no drop', () => {
    const socket = fakeClient({ queue: { maxMessages: 2, overflow: 'throw' } })
    const drops = recordDrops(socket)
    socket.send('a')
    socket.send('b')
    expect(() => socket!.send('c')).toThrow(QueueFullError)
    expect(drops).toEqual([])
    expect(socket.queued).toEqual(['a', 'b'])
    expect(socket.bufferedAmount).toBe(2)
  })

  test('maxBytes counts UTF-8 bytes of text', () => {
    const socket = fakeClient({ queue: { maxBytes: 8 } })
    const drops = recordDrops(socket)
    socket.send('€€') // 6 bytes
    socket.send('é') // 2 bytes: exactly at the bound
    expect(drops).toEqual([])
    expect(socket.bufferedAmount).toBe(8)
    socket.send('😀') // 4 bytes: the oldest must go
    expect(drops).toEqual([{ data: '€€', reason: 'overflow' }])
    expect(socket.queued).toEqual(['é', '😀'])
    expect(socket.bufferedAmount).toBe(6)
  })

  test('a single message larger than maxBytes is dropped with overflow, the queue stays', () => {
    const socket = fakeClient({ queue: { maxBytes: 5 } })
    const drops = recordDrops(socket)
    const big = new Uint8Array(6)
    socket.send('kept')
    socket.send(big)
    expect(drops).toEqual([{ data: big, reason: 'overflow' }])
    expect(drops[0]!.data).toBe(big)
    expect(socket.queued).toEqual(['kept'])
  })

  test('a single message larger than maxBytes throws with throw', () => {
    const socket = fakeClient({ queue: { maxBytes: 5, overflow: 'throw' } })
    const drops = recordDrops(socket)
    expect(() => socket!.send('€€')).toThrow(QueueFullError)
    expect(drops).toEqual([])
    expect(socket.queued).toEqual([])
  })

  test('messages older than ttl are dropped with reason expired when they would be sent', async () => {
    const socket = fakeClient({ queue: { ttl: 1000 } })
    const drops = recordDrops(socket)
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    socket.send('old')
    await vi.advanceTimersByTimeAsync(600)
    socket.send('fresh')
    await vi.advanceTimersByTimeAsync(600)
    expect(drops).toEqual([])
    ws.open()
    expect(drops).toEqual([{ data: 'old', reason: 'expired' }])
    expect(ws.sent).toEqual(['fresh'])
    expect(socket.queued).toEqual([])
  })

  test('ttl is also checked when a new message is queued', async () => {
    const socket = fakeClient({ queue: { ttl: 500 } })
    const drops = recordDrops(socket)
    socket.send('stale')
    await vi.advanceTimersByTimeAsync(501)
    socket.send('new')
    expect(drops).toEqual([{ data: 'stale', reason: 'expired' }])
    expect(socket.queued).toEqual(['new'])
  })
})

describe('what send() accepts', () => {
  test('a plain object or an array throws a TypeError, while connecting and while open', async () => {
    const socket = fakeClient()
    // @ts-expect-error a plain object is not sendable: the types say so too
    expect(() => socket!.send({ type: 'hello' })).toThrow(TypeError)
    // @ts-expect-error an array is not sendable either
    expect(() => socket!.send(['a'])).toThrow(/JSON\.stringify/)
    const ws = await openNext()
    // @ts-expect-error a plain object is not sendable
    expect(() => socket!.send({ type: 'hello' })).toThrow(TypeError)
    expect(ws.sent).toEqual([])
    expect(socket.queued).toEqual([])
  })

  test('numbers and other primitives are sent as String(value), as the platform does (untyped callers)', async () => {
    const socket = fakeClient()
    const untyped = socket as unknown as { send(data: unknown): boolean }
    untyped.send(42)
    const ws = await openNext()
    untyped.send(true)
    untyped.send(1.5)
    expect(ws.sent).toEqual(['42', 'true', '1.5'])
  })
})

describe('after close()', () => {
  test('send() throws InvalidStateError and queued stays readable', async () => {
    const socket = fakeClient()
    socket.send('a')
    socket.send('b')
    socket.close()
    expect(socket.readyState).toBe(socket.CLOSED)
    expect(() => socket!.send('c')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    expect(socket.queued).toEqual(['a', 'b'])
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeWebSocket.instances).toHaveLength(0)
    expect(socket.queued).toEqual(['a', 'b'])
  })

  test('closing an open socket keeps what is still waiting readable', async () => {
    const socket = fakeClient({ highWaterMark: 10 })
    const ws = await openNext()
    ws.bufferedAmount = 10
    socket.send('waiting-1')
    socket.send('waiting-2')
    ws.bufferedAmount = 0
    socket.close()
    ws.finishClose()
    expect(socket.state).toBe('closed')
    expect(socket.queued).toEqual(['waiting-1', 'waiting-2'])
    expect(() => socket!.send('more')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
    await vi.advanceTimersByTimeAsync(1000)
    expect(ws.sent).toEqual([])
  })
})

describe('handshake hook', () => {
  test('what a synchronous handshake sends goes out before anything queued; open fires after both', async () => {
    const log: string[] = []
    const socket = fakeClient({
      handshake: (send) => {
        log.push('handshake')
        send('auth')
      },
    })
    socket.on('open', () => log.push(`open with ${FakeWebSocket.last().sent.join(',')}`))
    socket.send('a')
    socket.send('b')
    const ws = await openNext()
    expect(ws.sent).toEqual(['auth', 'a', 'b'])
    // The queue is handed over before `open`, so what `open` listeners send follows it, straight to the socket.
    expect(log).toEqual(['handshake', 'open with auth,a,b'])
  })

  test('an asynchronous handshake holds everything queued until it resolves', async () => {
    let finish!: () => void
    const contexts: unknown[] = []
    const socket = fakeClient({
      handshake: async (send, ctx) => {
        contexts.push(ctx)
        send('auth')
        await new Promise<void>((resolve) => {
          finish = resolve
        })
        send('subscribe')
      },
    })
    const opened = recordEvents(socket, ['open'])
    socket.send('a')
    const ws = await openNext()
    expect(socket.state).toBe('connecting')
    socket.send('b')
    expect(ws.sent).toEqual(['auth'])
    expect(opened).toEqual([])
    finish()
    await vi.advanceTimersByTimeAsync(0)
    expect(ws.sent).toEqual(['auth', 'subscribe', 'a', 'b'])
    expect(opened).toEqual(['open:0:false'])
    expect(contexts).toEqual([{ attempt: 0, reconnected: false, url: 'ws://fake.test/feed', protocol: '' }])
  })

  test('the handshake runs again on every connection, before the replayed messages', async () => {
    let count = 0
    const socket = fakeClient({ handshake: (send) => send(`auth-${++count}`) })
    const first = await openNext()
    first.serverClose(1006)
    socket.send('replayed')
    const second = await openNext()
    expect(first.sent).toEqual(['auth-1'])
    expect(second.sent).toEqual(['auth-2', 'replayed'])
  })

  test('a throwing handshake drops the connection (1006, handshake failed) and retries', async () => {
    const failure = new Error('bad token')
    let calls = 0
    const socket = fakeClient({
      handshake: (send) => {
        calls++
        if (calls === 1) throw failure
        send('auth')
      },
    })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
    const errors: unknown[] = []
    const closes: { code: number; reason: string; willReconnect: boolean }[] = []
    socket.on('error', (event) => errors.push(event.error))
    socket.on('close', ({ code, reason, willReconnect }) => closes.push({ code, reason, willReconnect }))
    socket.send('a')
    const first = await openNext()
    expect(errors).toEqual([failure])
    expect(closes).toEqual([{ code: 1006, reason: HANDSHAKE_FAILED, willReconnect: true }])
    expect(first.closeCalls).toHaveLength(1)
    expect(first.sent).toEqual([])
    expect(socket.queued).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    second.open()
    expect(second.sent).toEqual(['auth', 'a'])
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1', 'open:1:false'])
  })

  test('a rejecting handshake drops the connection and retries too', async () => {
    let calls = 0
    const socket = fakeClient({
      handshake: async (send) => {
        calls++
        send(`hello-${calls}`)
        if (calls === 1) throw new Error('rejected')
      },
    })
    const closes: string[] = []
    socket.on('close', (event) => closes.push(`${event.code}:${event.reason}`))
    socket.send('a')
    const first = await openNext()
    await vi.advanceTimersByTimeAsync(0)
    expect(closes).toEqual([`1006:${HANDSHAKE_FAILED}`])
    expect(first.sent).toEqual(['hello-1'])
    expect(socket.state).toBe('reconnecting')
    const second = await openNext()
    await vi.advanceTimersByTimeAsync(0)
    expect(second.sent).toEqual(['hello-2', 'a'])
    expect(socket.state).toBe('open')
  })
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test, vi } from 'vitest'
import type { ResilientWebSocket, ResilientWebSocketOptions } from '../../src'
import { type AcknowledgedOptions, acknowledged } from '../../src/delivery'
import { FAKE_URL, fakeClient, openNext, RETRY_DELAY, recordDrops } from '../helpers/fake-client'
import { useFakeSockets } from '../helpers/fake-sockets'

/**
 * The wire format these tests make up: '#<id> <text>' carries an id; 'ack <id>' acknowledges one message and
 * 'acks <id>,<id>' several. Anything else is fire-and-forget.
 */
const format: AcknowledgedOptions = {
  id: (data) => (typeof data === 'string' && data.startsWith('#') ? data.slice(1).split(' ')[0] : undefined),
  ackOf: (data) => {
    if (typeof data !== 'string') return undefined
    if (data.startsWith('ack ')) return data.slice(4)
    if (data.startsWith('acks ')) return data.slice(5).split(',')
    return undefined
  },
}

const delivery = acknowledged(format)

useFakeSockets()

function client(options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  return fakeClient({ delivery, ...options })
}

describe('holding until acknowledged', () => {
  test('messages with an id are sent at once and held until acked', async () => {
    const socket = client()
    const ws = await openNext()
    socket.send('#1 one')
    socket.send('#2 two')
    expect(ws.sent).toEqual(['#1 one', '#2 two'])
    expect(socket.queued).toEqual(['#1 one', '#2 two'])
    ws.receive('ack 1')
    expect(socket.queued).toEqual(['#2 two'])
    ws.receive('ack 2')
    expect(socket.queued).toEqual([])
  })

  test('acks are still dispatched as message', async () => {
    const socket = client()
    const received: unknown[] = []
    socket.on('message', (event) => received.push(event.data))
    const ws = await openNext()
    socket.send('#1 one')
    ws.receive('ack 1')
    ws.receive('news')
    expect(received).toEqual(['ack 1', 'news'])
  })

  test('ackOf may return several ids at once', async () => {
    const socket = client()
    const ws = await openNext()
    for (const n of [1, 2, 3]) socket.send(`#${n} m`)
    ws.receive('acks 1,3,unknown')
    expect(socket.queued).toEqual(['#2 m'])
  })

  test('messages without an id are fire-and-forget', async () => {
    const socket = client()
    const ws = await openNext()
    socket.send('plain')
    socket.send(new Uint8Array(2))
    expect(ws.sent).toHaveLength(2)
    expect(socket.queued).toEqual([])
    const next = await dropAndReopenAfterRead(ws)
    expect(next.sent).toEqual([])
  })
})

/** The server read everything, then the connection dropped; resolves with the next connection. */
async function dropAndReopenAfterRead(ws: FakeWebSocket): Promise<FakeWebSocket> {
  ws.bufferedAmount = 0
  ws.serverClose(1006)
  return openNext()
}

describe('after a reconnect', () => {
  test('unacknowledged messages are sent again in their original order, before newer ones', async () => {
    const socket = client()
    const ws = await openNext()
    for (const n of [1, 2, 3, 4]) socket.send(`#${n} m`)
    ws.receive('ack 2')
    ws.serverClose(1006)
    socket.send('#5 m')
    socket.send('later')
    expect(socket.queued).toEqual(['#1 m', '#3 m', '#4 m', '#5 m', 'later'])
    const next = await openNext()
    expect(next.sent).toEqual(['#1 m', '#3 m', '#4 m', '#5 m', 'later'])
    expect(socket.queued).toEqual(['#1 m', '#3 m', '#4 m', '#5 m'])
  })

  test('they are sent again after every reconnect until acked', async () => {
    const socket = client()
    let ws = await openNext()
    socket.send('#1 m')
    for (let i = 0; i < 3; i++) {
      ws = await dropAndReopenAfterRead(ws)
      expect(ws.sent).toEqual(['#1 m'])
    }
    ws.receive('ack 1')
    ws = await dropAndReopenAfterRead(ws)
    expect(ws.sent).toEqual([])
  })

  test('order holds when acknowledged and fire-and-forget messages share the socket’s unsent tail', async () => {
    const socket = client()
    const ws = await openNext()
    ws.holdSends = true
    socket.send('#1 a')
    socket.send('plain b')
    socket.send('#3 c')
    socket.send('plain d')
    // Nothing was read: every message is still in the socket's buffer when it dies.
    ws.serverClose(1006)
    expect(socket.queued).toEqual(['#1 a', 'plain b', '#3 c', 'plain d'])
    const next = await openNext()
    expect(next.sent).toEqual(['#1 a', 'plain b', '#3 c', 'plain d'])
  })

  test('the handshake goes out before the resent messages', async () => {
    const socket = client({ handshake: (send) => send('auth') })
    const ws = await openNext()
    socket.send('#1 m')
    const next = await dropAndReopenAfterRead(ws)
    expect(next.sent).toEqual(['auth', '#1 m'])
  })
})

describe('delivery.timeout', () => {
  test('an unacknowledged message is sent again after timeout (resend by default)', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }) })
    const ws = await openNext()
    socket.send('#1 m')
    await vi.advanceTimersByTimeAsync(999)
    expect(ws.sent).toEqual(['#1 m'])
    await vi.advanceTimersByTimeAsync(1)
    expect(ws.sent).toEqual(['#1 m', '#1 m'])
    ws.receive('ack 1')
    await vi.advanceTimersByTimeAsync(5000)
    expect(ws.sent).toEqual(['#1 m', '#1 m'])
    expect(socket.queued).toEqual([])
  })

  test('each message gets its own timeout', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }) })
    const ws = await openNext()
    socket.send('#1 m')
    await vi.advanceTimersByTimeAsync(400)
    socket.send('#2 m')
    ws.receive('ack 2')
    await vi.advanceTimersByTimeAsync(600)
    expect(ws.sent).toEqual(['#1 m', '#2 m', '#1 m'])
    await vi.advanceTimersByTimeAsync(400)
    expect(ws.sent).toEqual(['#1 m', '#2 m', '#1 m'])
  })

  test('resent messages keep their original order across a reconnect', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }) })
    const ws = await openNext()
    socket.send('#1 m')
    await vi.advanceTimersByTimeAsync(500)
    socket.send('#2 m')
    await vi.advanceTimersByTimeAsync(500)
    expect(ws.sent).toEqual(['#1 m', '#2 m', '#1 m'])
    expect(socket.queued).toEqual(['#1 m', '#2 m'])
    ws.serverClose(1006)
    expect(socket.queued).toEqual(['#1 m', '#2 m'])
    const next = await openNext()
    expect(next.sent).toEqual(['#1 m', '#2 m'])
  })

  test('an ack that arrives while the message waits to be sent again releases it', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }), highWaterMark: 10 })
    const ws = await openNext()
    ws.holdSends = true
    socket.send('#1 first')
    expect(ws.bufferedAmount).toBe(8)
    socket.send('#2 second')
    expect(ws.sent).toEqual(['#1 first', '#2 second'])
    // The server reads slowly: the buffer is still above highWaterMark when the timeout puts both back.
    await vi.advanceTimersByTimeAsync(1000)
    expect(ws.sent).toHaveLength(2)
    expect(socket.queued).toEqual(['#1 first', '#2 second'])
    ws.receive('ack 1')
    expect(socket.queued).toEqual(['#2 second'])
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(100)
    expect(ws.sent).toEqual(['#1 first', '#2 second', '#2 second'])
  })

  test('messages waiting for their resend and the unsent tail go back in their original order', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }), highWaterMark: 10 })
    const ws = await openNext()
    ws.holdSends = true
    socket.send('#1 a')
    socket.send('plain')
    socket.send('#3 c')
    expect(ws.sent).toEqual(['#1 a', 'plain', '#3 c'])
    // Both timed out; the buffer (13 bytes) is above highWaterMark, so they wait at the front of the queue.
    await vi.advanceTimersByTimeAsync(1000)
    expect(ws.sent).toHaveLength(3)
    // The connection dies with all three unread: 'plain' comes back too, between the other two.
    ws.serverClose(1006)
    expect(socket.queued).toEqual(['#1 a', 'plain', '#3 c'])
    const next = await openNext()
    expect(next.sent).toEqual(['#1 a', 'plain', '#3 c'])
  })

  test("onTimeout 'drop' drops the message with reason unacknowledged", async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000, onTimeout: 'drop' }) })
    const drops = recordDrops(socket)
    const ws = await openNext()
    socket.send('#1 m')
    socket.send('#2 m')
    ws.receive('ack 2')
    await vi.advanceTimersByTimeAsync(1000)
    expect(drops).toEqual([{ data: '#1 m', reason: 'unacknowledged' }])
    expect(socket.queued).toEqual([])
    expect(ws.sent).toEqual(['#1 m', '#2 m'])
    const next = await dropAndReopenAfterRead(ws)
    expect(next.sent).toEqual([])
  })

  test('the timeout counts from when the message was handed to an open socket', async () => {
    const socket = client({ delivery: acknowledged({ ...format, timeout: 1000 }) })
    socket.send('#1 m')
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(3000)
    const ws = FakeWebSocket.last()
    ws.open()
    expect(ws.sent).toEqual(['#1 m'])
    await vi.advanceTimersByTimeAsync(999)
    expect(ws.sent).toEqual(['#1 m'])
    await vi.advanceTimersByTimeAsync(1)
    expect(ws.sent).toEqual(['#1 m', '#1 m'])
  })
})

describe('bounds', () => {
  test('unacknowledged messages count against maxMessages', async () => {
    const socket = client({ queue: { maxMessages: 2 } })
    const drops = recordDrops(socket)
    const ws = await openNext()
    socket.send('#1 m')
    socket.send('#2 m')
    socket.send('#3 m')
    expect(drops).toEqual([{ data: '#1 m', reason: 'overflow' }])
    expect(socket.queued).toEqual(['#2 m', '#3 m'])
    expect(ws.sent).toEqual(['#1 m', '#2 m', '#3 m'])
    const next = await dropAndReopenAfterRead(ws)
    expect(next.sent).toEqual(['#2 m', '#3 m'])
  })

  test('unacknowledged messages count against maxBytes', async () => {
    const socket = client({ queue: { maxBytes: 12 } })
    const drops = recordDrops(socket)
    await openNext()
    socket.send('#1 €') // 6 bytes
    socket.send('#2 €') // 6 bytes
    expect(drops).toEqual([])
    socket.send('#3 x')
    expect(drops).toEqual([{ data: '#1 €', reason: 'overflow' }])
    expect(socket.queued).toEqual(['#2 €', '#3 x'])
  })

  test("with overflow 'throw', send() throws and nothing more is held or sent", async () => {
    const socket = client({ queue: { maxMessages: 1, overflow: 'throw' } })
    const drops = recordDrops(socket)
    const ws = await openNext()
    socket.send('#1 m')
    expect(() => socket.send('#2 m')).toThrow(expect.objectContaining({ name: 'QueueFullError' }))
    expect(ws.sent).toEqual(['#1 m'])
    expect(socket.queued).toEqual(['#1 m'])
    expect(drops).toEqual([])
    ws.receive('ack 1')
    socket.send('#2 m')
    expect(ws.sent).toEqual(['#1 m', '#2 m'])
  })

  test("with overflow 'drop-newest', the new message is dropped and never sent", async () => {
    const socket = client({ queue: { maxMessages: 1, overflow: 'drop-newest' } })
    const drops = recordDrops(socket)
    const ws = await openNext()
    socket.send('#1 m')
    socket.send('#2 m')
    expect(drops).toEqual([{ data: '#2 m', reason: 'overflow' }])
    expect(ws.sent).toEqual(['#1 m'])
    expect(socket.queued).toEqual(['#1 m'])
  })

  test('fire-and-forget messages on an open socket are not held', async () => {
    const socket = client({ queue: { maxMessages: 1 } })
    const drops = recordDrops(socket)
    const ws = await openNext()
    socket.send('#1 m')
    socket.send('a')
    socket.send('b')
    expect(drops).toEqual([])
    expect(ws.sent).toEqual(['#1 m', 'a', 'b'])
    expect(socket.queued).toEqual(['#1 m'])
  })
})

describe('resume hook', () => {
  test('can add a since parameter to the next attempt’s URL', async () => {
    let lastSeen: string | undefined
    const contexts: unknown[] = []
    const socket = client({
      resume: (url, ctx) => {
        contexts.push(ctx)
        if (lastSeen !== undefined) url.searchParams.set('since', lastSeen)
      },
    })
    socket.on('message', (event) => {
      lastSeen = String(event.data).split(' ')[0]
    })
    const first = await openNext()
    expect(first.url).toBe(FAKE_URL)
    first.receive('41 tick')
    first.receive('42 tick')
    first.serverClose(1006)
    const second = await openNext()
    expect(second.url).toBe(`${FAKE_URL}?since=42`)
    expect(socket.url).toBe(`${FAKE_URL}?since=42`)
    expect(contexts).toEqual([
      { attempt: 0, reconnected: false },
      { attempt: 1, reconnected: true },
    ])
  })

  test('may answer asynchronously with a new URL', async () => {
    const socket = client({
      resume: async (url, ctx) => (ctx.reconnected ? `${url.href}?since=7` : undefined),
    })
    const first = await openNext()
    socket.send('#1 m')
    first.serverClose(1006)
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    expect(second.url).toBe(`${FAKE_URL}?since=7`)
    second.open()
    expect(second.sent).toEqual(['#1 m'])
  })
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { acknowledged } from '../src/delivery'
import { flush, useFakeSockets } from './helpers/fake-sockets'

const make = useFakeSockets()
const quick = { reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' as const } }

describe('stats', () => {
  test('start at zero, and each read is a fresh frozen snapshot', () => {
    const socket = make()
    const stats = socket.stats
    expect(stats).toEqual({
      connectionsOpened: 0,
      attemptsFailed: 0,
      messagesIn: 0,
      bytesIn: 0,
      messagesOut: 0,
      bytesOut: 0,
      drops: { overflow: 0, expired: 0, unacknowledged: 0 },
      msNotOpen: 0,
    })
    expect(Object.isFrozen(stats)).toBe(true)
    expect(Object.isFrozen(stats.drops)).toBe(true)
    socket.send('x')
    expect(socket.stats).not.toBe(stats)
  })

  test('count messages and their size in and out: text by length, binary by byteLength or size', async () => {
    const socket = make({ handshake: (send) => send('auth') })
    socket.send('queued')
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    socket.send(new Uint8Array(10))
    socket.send(new Blob(['abc']))
    ws.receive('hello')
    ws.receive(new ArrayBuffer(7))
    ws.receive(new Blob(['12345678']))
    expect(ws.sent).toHaveLength(4)
    expect(socket.stats).toMatchObject({
      messagesOut: 4,
      bytesOut: 4 + 6 + 10 + 3,
      messagesIn: 3,
      bytesIn: 5 + 7 + 8,
    })
  })

  test('count drops by reason', async () => {
    const socket = make({
      queue: { maxMessages: 3, ttl: 1000 },
      delivery: acknowledged({ id: (data) => String(data), ackOf: () => undefined, timeout: 500, onTimeout: 'drop' }),
    })
    for (const data of ['a', 'b', 'c', 'd']) socket.send(data) // over maxMessages: 'a' goes
    await flush(1001) // 'b', 'c' and 'd' are too old by the time the connection opens
    FakeWebSocket.last().open()
    socket.send('e')
    await flush(500) // 'e' is not acknowledged in time
    expect(socket.stats.drops).toEqual({ overflow: 1, expired: 3, unacknowledged: 1 })
  })

  test('count attempts that failed and connections that opened', async () => {
    const socket = make(quick)
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    await flush(100)
    FakeWebSocket.last().open()
    expect(socket.stats).toMatchObject({ attemptsFailed: 2, connectionsOpened: 2 })
  })

  test('count the time not open, until close() ends it', async () => {
    const socket = make(quick)
    await flush(300)
    FakeWebSocket.last().open()
    expect(socket.stats.msNotOpen).toBe(300)
    await flush(5000)
    expect(socket.stats.msNotOpen).toBe(300)
    FakeWebSocket.last().serverClose(1006)
    await flush(250)
    expect(socket.stats.msNotOpen).toBe(550)
    socket.close()
    await flush(10_000)
    expect(socket.stats.msNotOpen).toBe(550)
  })
})

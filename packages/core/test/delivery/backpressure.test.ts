import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test, vi } from 'vitest'
import { ascii, countDrains, fakeClient, openNext, RETRY_DELAY, recordDrops } from '../helpers/fake-client'
import { useFakeSockets } from '../helpers/fake-sockets'

const HIGH = 100
const LOW = 40
/** Long enough for the pump to look at the socket again, however far it has backed off. */
const PUMP_WAIT = 100

useFakeSockets()

/** An open client whose socket holds every byte sent until the test says the server read them. */
async function slowReader(options: Parameters<typeof fakeClient>[0] = {}) {
  const socket = fakeClient({ highWaterMark: HIGH, lowWaterMark: LOW, ...options })
  const ws = await openNext()
  ws.holdSends = true
  return { socket, ws }
}

describe('highWaterMark', () => {
  test('messages go to the socket only while its bufferedAmount is below highWaterMark', async () => {
    const { socket, ws } = await slowReader()
    const m = [1, 2, 3, 4, 5, 6].map((n) => ascii(`m${n}`, 30))
    expect(socket.send(m[0]!)).toBe(true)
    expect(socket.send(m[1]!)).toBe(true)
    expect(socket.send(m[2]!)).toBe(true)
    // 90 < 100: handed over, which takes the socket to 120.
    expect(socket.send(m[3]!)).toBe(false)
    expect(socket.send(m[4]!)).toBe(false)
    expect(socket.send(m[5]!)).toBe(false)
    expect(ws.sent).toEqual(m.slice(0, 4))
    expect(socket.queued).toEqual(m.slice(4))
    expect(socket.bufferedAmount).toBe(120 + 60)

    await vi.advanceTimersByTimeAsync(1000)
    expect(ws.sent).toHaveLength(4)

    ws.bufferedAmount = 99
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(ws.sent).toEqual(m.slice(0, 5))
    expect(ws.bufferedAmount).toBe(129)

    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(ws.sent).toEqual(m)
    expect(socket.queued).toEqual([])
    expect(socket.bufferedAmount).toBe(30)
  })

  test('send() returns false once socket plus queue reach highWaterMark, even while connecting', async () => {
    const socket = fakeClient({ highWaterMark: HIGH, lowWaterMark: LOW })
    expect(socket.send(ascii('a', 60))).toBe(true)
    expect(socket.send(ascii('b', 39))).toBe(true)
    expect(socket.bufferedAmount).toBe(99)
    expect(socket.send('c')).toBe(false)
    expect(socket.bufferedAmount).toBe(100)
  })

  test('bufferedAmount adds the UTF-8 bytes waiting in the queue to the socket’s own', async () => {
    const { socket, ws } = await slowReader()
    ws.bufferedAmount = HIGH
    socket.send('€uro')
    expect(socket.bufferedAmount).toBe(HIGH + 6)
  })
})

describe('drain', () => {
  test('fires once, when the total falls below lowWaterMark after send() returned false', async () => {
    const { socket, ws } = await slowReader()
    const drains = countDrains(socket)
    for (let i = 0; i < 3; i++) socket.send(ascii(`m${i}`, 30))
    expect(socket.send(ascii('m3', 30))).toBe(false)
    socket.send(ascii('m4', 30))

    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    // m4 went out: 30 bytes still buffered, which is below lowWaterMark.
    expect(ws.sent).toHaveLength(5)
    expect(drains.count).toBe(1)

    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(1000)
    expect(drains.count).toBe(1)
  })

  test('does not fire while the total is between lowWaterMark and highWaterMark', async () => {
    const { socket, ws } = await slowReader()
    const drains = countDrains(socket)
    expect(socket.send(ascii('big', 120))).toBe(false)
    ws.bufferedAmount = 60
    await vi.advanceTimersByTimeAsync(1000)
    expect(drains.count).toBe(0)
    ws.bufferedAmount = LOW
    await vi.advanceTimersByTimeAsync(1000)
    expect(drains.count).toBe(0)
    ws.bufferedAmount = LOW - 1
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(drains.count).toBe(1)
  })

  test('does not fire when no send() returned false', async () => {
    const { socket, ws } = await slowReader()
    const drains = countDrains(socket)
    expect(socket.send(ascii('a', 50))).toBe(true)
    expect(socket.send(ascii('b', 40))).toBe(true)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(1000)
    expect(drains.count).toBe(0)
  })

  test('fires again for each new episode of backpressure', async () => {
    const { socket, ws } = await slowReader()
    const drains = countDrains(socket)
    expect(socket.send(ascii('a', 100))).toBe(false)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(drains.count).toBe(1)
    expect(socket.send(ascii('b', 100))).toBe(false)
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(drains.count).toBe(1)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(drains.count).toBe(2)
  })

  test('fires after the queue filled while connecting is flushed on open', async () => {
    const socket = fakeClient({ highWaterMark: HIGH, lowWaterMark: LOW })
    const drains = countDrains(socket)
    expect(socket.send(ascii('a', 100))).toBe(false)
    await vi.advanceTimersByTimeAsync(1000)
    expect(drains.count).toBe(0)
    const ws = FakeWebSocket.last()
    ws.open()
    expect(ws.sent).toHaveLength(1)
    expect(drains.count).toBe(1)
  })
})

describe('backpressure before the queue bounds', () => {
  test('send() returns false once the queue is half full by messages, before any overflow', async () => {
    const socket = fakeClient({ queue: { maxMessages: 10 } })
    const drops = recordDrops(socket)
    const answers = Array.from({ length: 10 }, (_, i) => socket.send(`m${i}`))
    expect(answers).toEqual([true, true, true, true, false, false, false, false, false, false])
    expect(drops).toEqual([])
  })

  test('send() returns false once the queue is half full by bytes, before any overflow', async () => {
    const socket = fakeClient({ queue: { maxBytes: 100 } })
    const drops = recordDrops(socket)
    expect(socket.send(ascii('a', 30))).toBe(true)
    expect(socket.send(ascii('b', 30))).toBe(false)
    expect(drops).toEqual([])
  })

  test('drain fires once the queue has room again by both counts, not before', async () => {
    const socket = fakeClient({ queue: { maxMessages: 8 }, highWaterMark: HIGH, lowWaterMark: LOW })
    const drains = countDrains(socket)
    for (let i = 0; i < 4; i++) socket.send(`m${i}`)
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    ws.holdSends = true
    ws.bufferedAmount = HIGH
    ws.open()
    // The socket's buffer is full: nothing leaves the queue, which holds half its message bound.
    expect(ws.sent).toEqual([])
    expect(drains.count).toBe(0)
    ws.bufferedAmount = HIGH - 1
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    // One message left (socket at HIGH + 1): three still queued, more than a quarter of 8.
    expect(ws.sent).toEqual(['m0'])
    expect(drains.count).toBe(0)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(ws.sent).toEqual(['m0', 'm1', 'm2', 'm3'])
    expect(drains.count).toBe(1)
  })

  test('a sender that waits for drain whenever send() returns false never meets an overflow', async () => {
    const socket = fakeClient({ queue: { maxMessages: 20, maxBytes: 400 }, highWaterMark: 100, lowWaterMark: 50 })
    const drops = recordDrops(socket)
    const ws = await openNext()
    ws.holdSends = true
    let sent = 0
    const sender = (async () => {
      while (sent < 300) {
        if (!socket.send(ascii(`m${sent++}`, 10))) await socket.drained()
      }
    })()
    for (let round = 0; round < 200 && sent < 300; round++) {
      ws.bufferedAmount = Math.max(0, ws.bufferedAmount - 40)
      await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    }
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(1000)
    await sender
    expect(drops).toEqual([])
    expect(ws.sent).toHaveLength(300)
  })

  test('what an open listener sends goes straight to the socket, after what was queued', async () => {
    const socket = fakeClient()
    socket.send('queued')
    const seen: unknown[][] = []
    socket.on('open', () => {
      socket.send('from open')
      seen.push([...FakeWebSocket.last().sent])
    })
    await openNext()
    expect(seen).toEqual([['queued', 'from open']])
    expect(socket.queued).toEqual([])
  })
})

describe('drained()', () => {
  test('resolves at once when nothing is pending', async () => {
    const { socket } = await slowReader()
    await expect(socket.drained()).resolves.toBeUndefined()
    socket.send('small')
    await expect(socket.drained()).resolves.toBeUndefined()
  })

  test('resolves at the moment drain fires', async () => {
    const { socket, ws } = await slowReader()
    const order: string[] = []
    socket.send(ascii('a', 150))
    const drained = socket.drained().then(() => order.push('drained()'))
    socket.on('drain', () => order.push('drain'))
    ws.bufferedAmount = 50
    await vi.advanceTimersByTimeAsync(1000)
    expect(order).toEqual([])
    ws.bufferedAmount = 10
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    await drained
    expect(order).toEqual(['drain', 'drained()'])
  })

  test('rejects when close() is called while waiting, and after close()', async () => {
    const { socket } = await slowReader()
    socket.send(ascii('a', 150))
    const pending = socket.drained()
    socket.close()
    await expect(pending).rejects.toMatchObject({ name: 'InvalidStateError' })
    await expect(socket.drained()).rejects.toMatchObject({ name: 'InvalidStateError' })
  })

  test('rejects when the socket gives up reconnecting', async () => {
    const socket = fakeClient({
      highWaterMark: HIGH,
      lowWaterMark: LOW,
      reconnect: { minDelay: RETRY_DELAY, maxDelay: RETRY_DELAY, jitter: 'none', maxAttempts: 2 },
    })
    expect(socket.send(ascii('a', 150))).toBe(false)
    const pending = socket.drained()
    let settled = false
    pending.catch(() => {}).finally(() => (settled = true))
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    expect(settled).toBe(false)
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('closed')
    await expect(pending).rejects.toMatchObject({ name: 'InvalidStateError' })
    await expect(socket.drained()).rejects.toMatchObject({ name: 'InvalidStateError' })
    expect(socket.queued).toHaveLength(1)
  })
})

describe('the pump', () => {
  test('runs timers only while something waits', async () => {
    const { socket, ws } = await slowReader()
    const idle = vi.getTimerCount()
    socket.send(ascii('a', 120))
    socket.send(ascii('b', 30))
    expect(vi.getTimerCount()).toBe(idle + 1)
    await vi.advanceTimersByTimeAsync(500)
    expect(vi.getTimerCount()).toBe(idle + 1)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    // 'b' went out and sits in the socket's buffer: still watched.
    expect(ws.sent).toHaveLength(2)
    expect(vi.getTimerCount()).toBe(idle + 1)
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(vi.getTimerCount()).toBe(idle)
  })

  test('keeps looking every millisecond while the socket’s buffer shrinks, so drain is seen at once', async () => {
    const { socket, ws } = await slowReader()
    const drains = countDrains(socket)
    expect(socket.send(ascii('a', HIGH))).toBe(false)
    // The buffer sits still for a while: the pump backs off (its looks are now 50 ms apart).
    await vi.advanceTimersByTimeAsync(PUMP_WAIT + 7)
    // Then the server reads a byte every millisecond, with the queue empty.
    let elapsed = 0
    while (ws.bufferedAmount >= LOW) {
      ws.bufferedAmount--
      await vi.advanceTimersByTimeAsync(1)
      elapsed++
    }
    // At most one backed-off look (≤ 50 ms) before the pump sees the buffer move, then 1 ms looks.
    await vi.advanceTimersByTimeAsync(2)
    expect(elapsed).toBe(HIGH - LOW + 1)
    expect(drains.count).toBe(1)
  })

  test('sets no timer when the socket takes everything at once', async () => {
    const socket = fakeClient({ highWaterMark: HIGH, lowWaterMark: LOW })
    await openNext()
    const idle = vi.getTimerCount()
    for (let i = 0; i < 10; i++) socket.send(ascii(`m${i}`, 50))
    expect(vi.getTimerCount()).toBe(idle)
  })
})

describe('unsent tail', () => {
  test('messages still in the socket’s buffer when it dies go back to the front, before newer ones', async () => {
    const { socket, ws } = await slowReader({ highWaterMark: 1000 })
    const [a, b, c] = ['a', 'b', 'c'].map((label) => ascii(label, 10)) as [string, string, string]
    socket.send(a)
    socket.send(b)
    socket.send(c)
    // The server read 'a'; 'b' and 'c' are still in the buffer when the connection drops.
    ws.bufferedAmount = 20
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    ws.serverClose(1006)
    expect(socket.queued).toEqual([b, c])
    socket.send('d')
    const next = await openNext()
    expect(next.sent).toEqual([b, c, 'd'])
  })

  test('the last reading stands in when the implementation resets bufferedAmount on close (like ws)', async () => {
    const { socket, ws } = await slowReader({ highWaterMark: 1000 })
    const sent = ['a', 'b', 'c', 'd'].map((label) => ascii(label, 10))
    for (const message of sent) socket.send(message)
    ws.bufferedAmount = 25 // 'c', 'd' and part of 'b' are still here
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    ws.bufferedAmount = 0
    ws.serverClose(1006)
    socket.send('e')
    const next = await openNext()
    expect(next.sent).toEqual([...sent.slice(1), 'e'])
  })

  test('messages no longer covered by bufferedAmount are not sent again', async () => {
    const { socket, ws } = await slowReader({ highWaterMark: 1000 })
    socket.send(ascii('a', 10))
    socket.send(ascii('b', 10))
    ws.bufferedAmount = 0
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    ws.serverClose(1006)
    expect(socket.queued).toEqual([])
    socket.send('c')
    const next = await openNext()
    expect(next.sent).toEqual(['c'])
  })

  test('messages still waiting in the queue follow the tail, in order', async () => {
    const { socket, ws } = await slowReader({ highWaterMark: 20, lowWaterMark: 10 })
    const sent = ['a', 'b', 'c', 'd'].map((label) => ascii(label, 10))
    for (const message of sent) socket.send(message)
    expect(ws.sent).toEqual(sent.slice(0, 2))
    ws.serverClose(1006)
    expect(socket.queued).toEqual(sent)
    const next = await openNext()
    next.holdSends = false
    await vi.advanceTimersByTimeAsync(PUMP_WAIT)
    expect(next.sent).toEqual(sent)
  })

  test('after close(), a clean close keeps nothing (the socket sent its buffer first); an abnormal one keeps the tail', async () => {
    const first = await slowReader({ highWaterMark: 1000 })
    first.socket.send(ascii('a', 10))
    first.socket.close()
    first.ws.finishClose(1000)
    expect(first.socket.queued).toEqual([])

    FakeWebSocket.reset()
    const second = await slowReader({ highWaterMark: 1000 })
    const b = ascii('b', 10)
    second.socket.send(b)
    second.socket.close()
    second.ws.serverClose(1006)
    expect(second.socket.queued).toEqual([b])
  })

  test('requeued messages still respect the queue bounds and are reported when dropped', async () => {
    const { socket, ws } = await slowReader({ highWaterMark: 1000, queue: { maxMessages: 2 } })
    const drops: unknown[] = []
    socket.on('drop', (event) => drops.push([event.data, event.reason]))
    const sent = ['a', 'b', 'c'].map((label) => ascii(label, 10))
    for (const message of sent) socket.send(message)
    ws.serverClose(1006)
    expect(drops).toEqual([[sent[0], 'overflow']])
    expect(socket.queued).toEqual(sent.slice(1))
  })
})

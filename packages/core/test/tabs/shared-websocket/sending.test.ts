import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { QueueFullError } from '../../../src'
import { drops, flush, RETRY_DELAY, useTabs } from '../harness'

const tabs = useTabs()

/** Opens tabs a (the leader), b and c, and lets the election finish. */
async function threeTabs(leaderOptions = {}) {
  const a = tabs.open('a', leaderOptions)
  const b = tabs.open('b')
  const c = tabs.open('c')
  await flush()
  expect(a.isLeader).toBe(true)
  return { a, b, c }
}

describe('ordering', () => {
  test("each tab's messages reach the server in that tab's order", async () => {
    const { a, b, c } = await threeTabs()
    b.send('b1')
    c.send('c1')
    a.send('a1')
    b.send('b2')
    c.send('c2')
    b.send('b3')
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    await flush()
    ws.receive('while open')
    for (let i = 4; i <= 6; i++) b.send(`b${i}`)
    c.send('c3')
    await flush()
    const sent = ws.sent as string[]
    expect(sent.filter((m) => m.startsWith('b'))).toEqual(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'])
    expect(sent.filter((m) => m.startsWith('c'))).toEqual(['c1', 'c2', 'c3'])
    expect(sent.filter((m) => m.startsWith('a'))).toEqual(['a1'])
    expect(sent).toHaveLength(10)
  })

  test('messages a tab sends before it knows the leader are sent once it does, first', async () => {
    tabs.open('a')
    await flush()
    const b = tabs.open('b')
    b.send('early 1')
    b.send('early 2')
    await flush()
    b.send('later')
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    await flush()
    expect(ws.sent).toEqual(['early 1', 'early 2', 'later'])
  })

  test('binary messages from a follower arrive as sent', async () => {
    const { b } = await threeTabs()
    FakeWebSocket.last().open()
    await flush()
    b.send(new Uint8Array([7, 8, 9]))
    b.send(new Blob(['blob']))
    await flush()
    const [bytes, blob] = FakeWebSocket.last().sent as [Uint8Array, Blob]
    expect([...bytes]).toEqual([7, 8, 9])
    expect(await blob.text()).toBe('blob')
  })
})

describe('kept until handed to the socket', () => {
  test('a follower keeps what it sent until the connection took it', async () => {
    const { b } = await threeTabs()
    b.send('héllo')
    await flush()
    expect(b.queued).toEqual(['héllo'])
    expect(b.bufferedAmount).toBe(6)
    expect(b.status.queuedMessages).toBe(1)
    expect(b.status.bufferedAmount).toBe(6)
    FakeWebSocket.last().open()
    await flush()
    expect(FakeWebSocket.last().sent).toEqual(['héllo'])
    expect(b.queued).toEqual([])
    expect(b.bufferedAmount).toBe(0)
    expect(b.status.queuedMessages).toBe(0)
  })

  test('a message waiting behind backpressure stays kept until the socket takes it', async () => {
    const { b } = await threeTabs({ highWaterMark: 4 })
    const ws = FakeWebSocket.last()
    ws.holdSends = true
    ws.open()
    await flush()
    b.send('1111')
    b.send('2222')
    await flush()
    expect(ws.sent).toEqual(['1111'])
    expect(b.queued).toEqual(['2222'])
    ws.bufferedAmount = 0
    await flush(1000)
    expect(ws.sent).toEqual(['1111', '2222'])
    expect(b.queued).toEqual([])
  })
})

describe('drops', () => {
  test("the leader's queue overflow is a drop in the tab that sent the message", async () => {
    const { a, b, c } = await threeTabs({ queue: { maxMessages: 2 } })
    const dropsA = drops(a)
    const dropsB = drops(b)
    const dropsC = drops(c)
    b.send('b1')
    c.send('c1')
    b.send('b2')
    await flush()
    expect(dropsB).toEqual([{ data: 'b1', reason: 'overflow' }])
    expect(dropsA).toEqual([])
    expect(dropsC).toEqual([])
    expect(b.queued).toEqual(['b2'])
    FakeWebSocket.last().open()
    await flush()
    expect(FakeWebSocket.last().sent).toEqual(['c1', 'b2'])
  })

  test("'drop-newest' drops the message being sent, in its own tab", async () => {
    const { b, c } = await threeTabs({ queue: { maxMessages: 1, overflow: 'drop-newest' } })
    const dropsB = drops(b)
    const dropsC = drops(c)
    b.send('same')
    await flush()
    c.send('same')
    await flush()
    expect(dropsB).toEqual([])
    expect(dropsC).toEqual([{ data: 'same', reason: 'overflow' }])
    expect(c.queued).toEqual([])
    expect(b.queued).toEqual(['same'])
  })

  test('an expired message is dropped in the tab that sent it', async () => {
    const { b } = await threeTabs({ queue: { ttl: 500 } })
    const dropsB = drops(b)
    b.send('stale')
    await flush(600)
    FakeWebSocket.last().fail()
    await flush(RETRY_DELAY)
    FakeWebSocket.last().open()
    await flush()
    expect(dropsB).toEqual([{ data: 'stale', reason: 'expired' }])
    expect(b.queued).toEqual([])
    expect(FakeWebSocket.last().sent).toEqual([])
  })

  test("under overflow 'throw', the leader's own send() throws and a follower's message is dropped", async () => {
    const { a, b } = await threeTabs({ queue: { maxMessages: 1, overflow: 'throw' } })
    const dropsB = drops(b)
    a.send('a1')
    expect(() => a.send('a2')).toThrow(QueueFullError)
    expect(a.queued).toEqual(['a1'])
    b.send('b1')
    await flush()
    expect(dropsB).toEqual([{ data: 'b1', reason: 'overflow' }])
    expect(b.queued).toEqual([])
  })
})

describe('backpressure', () => {
  test("send() returns false once this tab's untaken bytes reach highWaterMark; drain follows", async () => {
    tabs.open('a')
    const b = tabs.open('b', { highWaterMark: 10, lowWaterMark: 4 })
    await flush()
    let drains = 0
    b.on('drain', () => drains++)
    expect(b.send('12345')).toBe(true)
    expect(b.send('67890')).toBe(false)
    const drained = b.drained()
    let resolved = false
    drained.then(() => {
      resolved = true
    })
    await flush()
    expect(resolved).toBe(false)
    FakeWebSocket.last().open()
    await flush()
    expect(drains).toBe(1)
    expect(resolved).toBe(true)
    await expect(b.drained()).resolves.toBeUndefined()
  })
})

describe('stats', () => {
  test('a follower counts what it saw: opens, failed attempts, its messages in and out, its drops, time not open', async () => {
    const { b } = await threeTabs({ queue: { maxMessages: 1 } })
    b.send('lost')
    b.send('kept')
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(RETRY_DELAY)
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive('four')
    await flush()
    expect(ws.sent).toEqual(['kept'])
    expect(b.stats).toMatchObject({
      connectionsOpened: 1,
      attemptsFailed: 1,
      messagesIn: 1,
      bytesIn: 4,
      messagesOut: 1,
      bytesOut: 4,
      drops: { overflow: 1, expired: 0, unacknowledged: 0 },
      msNotOpen: 100 + RETRY_DELAY,
    })
  })
})

describe('bad input', () => {
  test('send() of a plain object throws a TypeError and keeps nothing', async () => {
    const { b } = await threeTabs()
    expect(() => b.send({ text: 'hi' })).toThrow(TypeError)
    expect(b.queued).toEqual([])
  })

  test('send() after close() throws InvalidStateError', async () => {
    const { b } = await threeTabs()
    b.close()
    expect(() => b.send('x')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
  })
})

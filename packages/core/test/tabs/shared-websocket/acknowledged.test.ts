import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { acknowledged } from '../../../src/delivery'
import { drops, flush, RETRY_DELAY, useTabs } from '../harness'

const tabs = useTabs()

/** Messages are `<id>` or `<id>:<anything>`; the server acks with `ack:<id>`. */
const delivery = (options = {}) =>
  acknowledged({
    id: (data) => (typeof data === 'string' ? data.split(':')[0] : undefined),
    ackOf: (data) => (typeof data === 'string' && data.startsWith('ack:') ? data.slice(4) : undefined),
    ...options,
  })

/** Tabs a (the leader), b and c, each with acknowledged delivery, and the shared connection open. */
async function threeTabsOpen(leaderDelivery = delivery()) {
  const a = tabs.open('a', { delivery: leaderDelivery })
  const b = tabs.open('b', { delivery: delivery() })
  const c = tabs.open('c', { delivery: delivery() })
  await flush()
  const first = FakeWebSocket.last()
  first.open()
  await flush()
  return { a, b, c, first }
}

describe('acknowledged delivery through the leader tab', () => {
  test('an ack out of order releases the acknowledged message, not the oldest one', async () => {
    const { b, first } = await threeTabsOpen()
    b.send('m1')
    b.send('m2')
    await flush()
    expect(first.sent).toEqual(['m1', 'm2'])
    expect(b.queued).toEqual(['m1', 'm2'])
    first.receive('ack:m2')
    await flush()
    expect(b.queued).toEqual(['m1'])
    expect(b.bufferedAmount).toBe(2)
  })

  test('after out-of-order acks and a leader crash, the new leader sends exactly the unacknowledged messages, once each, in each tab order', async () => {
    const { b, c, first } = await threeTabsOpen()
    const dropsB = drops(b)
    const dropsC = drops(c)
    b.send('b1')
    c.send('c1')
    b.send('b2')
    c.send('c2')
    b.send('b3')
    c.send('c3')
    await flush()
    first.receive('ack:b2')
    first.receive('ack:c3')
    first.receive('ack:c1')
    await flush()
    expect(b.queued).toEqual(['b1', 'b3'])
    expect(c.queued).toEqual(['c2'])
    tabs.crash('a')
    await flush()
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent.filter((data) => String(data).startsWith('b'))).toEqual(['b1', 'b3'])
    expect(second.sent.filter((data) => String(data).startsWith('c'))).toEqual(['c2'])
    expect(second.sent).toHaveLength(3)
    second.receive('ack:b3')
    second.receive('ack:b1')
    second.receive('ack:c2')
    await flush()
    expect(b.queued).toEqual([])
    expect(c.queued).toEqual([])
    expect(dropsB).toEqual([])
    expect(dropsC).toEqual([])
  })

  test('the leader tab own messages are released by their acks too, in any order', async () => {
    const { a, b, first } = await threeTabsOpen()
    a.send('a1')
    a.send('a2')
    b.send('b1')
    await flush()
    first.receive('ack:a2')
    await flush()
    expect(a.queued).toEqual(['a1'])
    expect(b.queued).toEqual(['b1'])
  })

  test('a message never acknowledged is dropped in the tab that sent it, after acks out of order', async () => {
    const { a, b, c, first } = await threeTabsOpen(delivery({ timeout: 1000, onTimeout: 'drop' }))
    const dropsA = drops(a)
    const dropsB = drops(b)
    const dropsC = drops(c)
    b.send('b1')
    c.send('c1')
    await flush()
    first.receive('ack:c1')
    await flush(1000)
    expect(dropsB).toEqual([{ data: 'b1', reason: 'unacknowledged' }])
    expect(dropsA).toEqual([])
    expect(dropsC).toEqual([])
    expect(b.queued).toEqual([])
    expect(c.queued).toEqual([])
  })

  test('a message on the wire when the leader tab dies, before its report reached the sender, is sent again once and acknowledged once', async () => {
    const { b, first } = await threeTabsOpen()
    const dropsB = drops(b)
    const send = first.send.bind(first)
    // The leader tab dies the moment its socket takes b1, before it can tell b.
    first.send = (data) => {
      send(data)
      if (data === 'b1') tabs.crash('a')
    }
    b.send('b1')
    b.send('b2')
    await flush()
    expect(first.sent).toEqual(['b1'])
    expect(b.queued).toEqual(['b1', 'b2'])
    await flush()
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual(['b1', 'b2'])
    second.receive('ack:b1')
    second.receive('ack:b2')
    await flush()
    expect(b.queued).toEqual([])
    expect(b.stats.messagesOut).toBe(2)
    expect(dropsB).toEqual([])
  })
})

describe('a leader tab that closes', () => {
  test('tells the other tabs what its socket took before it closed, so the next leader does not send it again', async () => {
    const a = tabs.open('a')
    const b = tabs.open('b')
    await flush()
    const first = FakeWebSocket.last()
    first.open()
    await flush()
    const send = first.send.bind(first)
    // The leader tab closes right after its socket took b1, before its usual report.
    first.send = (data) => {
      send(data)
      if (data === 'b1') queueMicrotask(() => a.close())
    }
    b.send('b1')
    await flush()
    expect(first.sent).toEqual(['b1'])
    expect(b.queued).toEqual([])
    expect(b.isLeader).toBe(true)
    const second = FakeWebSocket.last()
    second.open()
    b.send('b2')
    await flush()
    expect(second.sent).toEqual(['b2'])
  })
})

describe("a follower's close() under acknowledged delivery", () => {
  test('takes back what waits; a message sent and awaiting its ack stays with the connection and is sent again', async () => {
    const { b, first } = await threeTabsOpen()
    b.send('m1')
    await flush()
    expect(first.sent).toEqual(['m1'])
    first.serverClose(1006)
    await flush()
    b.send('m2')
    await flush()
    // m1 went back to the queue with the connection: it waits, as m2 does, and both are taken back.
    b.close()
    await flush(RETRY_DELAY)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual([])
    expect(b.queued).toEqual(['m1', 'm2'])
  })

  test('a message awaiting its ack on an open connection is not taken back: a reconnect sends it again', async () => {
    const { b, first } = await threeTabsOpen()
    b.send('m1')
    await flush()
    b.close()
    await flush()
    first.serverClose(1006)
    await flush(RETRY_DELAY)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual(['m1'])
    expect(b.queued).toEqual(['m1'])
  })
})

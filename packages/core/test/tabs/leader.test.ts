import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { acknowledged } from '../../src/delivery'
import { Leader } from '../../src/tabs/leader'
import type { Wire } from '../../src/tabs/wire'
import { RETRY_DELAY, TAB_OPTIONS, TABS_URL } from './harness'

let leader: Leader | undefined

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.reset()
})

afterEach(async () => {
  leader?.stop()
  leader = undefined
  // The server side answers the closing handshakes.
  for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
  await vi.advanceTimersByTimeAsync(0)
  const timers = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  expect(timers).toBe(0)
})

function lead(options = {}): Wire[] {
  const told: Wire[] = []
  leader = new Leader(TABS_URL, undefined, { ...TAB_OPTIONS, ...options }, 'L', 7, (message) => told.push(message))
  return told
}

/** The `ok` reports, merged: for each tab, the numbers of its messages reported gone from the socket, in report order. */
function handed(told: Wire[]): Record<string, number[]> {
  const all: Record<string, number[]> = {}
  for (const m of told)
    if (m.t === 'ok') for (const [tab, seqs] of Object.entries(m.m)) all[tab] = [...(all[tab] ?? []), ...seqs]
  return all
}

/** The drops reported: tab, message number and data. */
function dropped(told: Wire[]): [string, number, unknown][] {
  return told.flatMap((m) => (m.t === 'drop' ? [[m.to, m.seq, m.d] as [string, number, unknown]] : []))
}

describe('Leader', () => {
  test('reports a message handed once the socket took it, not before', async () => {
    const told = lead()
    leader!.send('t1', 1, 'one')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({})
    FakeWebSocket.last().open()
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: [1] })
    leader!.send('t2', 5, 'two')
    leader!.send('t1', 2, 'three')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: [1, 2], t2: [5] })
  })

  test('messages put back in the queue after a loss do not confuse the count', async () => {
    const told = lead({ highWaterMark: 100 })
    await vi.advanceTimersByTimeAsync(0)
    const first = FakeWebSocket.last()
    first.holdSends = true
    first.open()
    leader!.send('t', 1, 'a'.repeat(60))
    leader!.send('t', 2, 'b'.repeat(60))
    leader!.send('t', 3, 'c'.repeat(10))
    await vi.advanceTimersByTimeAsync(0)
    expect(first.sent).toHaveLength(2)
    expect(handed(told)).toEqual({ t: [1, 2] })
    // The connection dies with both messages still in its buffer: they go back to the queue, ahead of the third.
    first.serverClose(1006)
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    const second = FakeWebSocket.last()
    second.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(second.sent).toEqual(['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(10)])
    expect(handed(told)).toEqual({ t: [1, 2, 3] })
  })

  test('tells which tab a dropped message came from', async () => {
    const told = lead({ queue: { maxMessages: 1 } })
    leader!.send('t1', 1, 'same')
    leader!.send('t2', 1, 'same')
    await vi.advanceTimersByTimeAsync(0)
    const drops = told.filter((m) => m.t === 'drop')
    expect(drops).toEqual([{ t: 'drop', to: 't1', seq: 1, r: 'overflow', d: 'same' }])
  })

  test('under acknowledged delivery, reports the messages acknowledged, in whatever order the acks come', async () => {
    const told = lead({
      delivery: acknowledged({
        id: (data) => String(data),
        ackOf: (data) => (String(data).startsWith('ack:') ? String(data).slice(4) : undefined),
      }),
    })
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    ws.open()
    leader!.send('t1', 1, 'm1')
    leader!.send('t2', 1, 'n1')
    leader!.send('t1', 2, 'm2')
    await vi.advanceTimersByTimeAsync(0)
    expect(ws.sent).toEqual(['m1', 'n1', 'm2'])
    expect(handed(told)).toEqual({})
    ws.receive('ack:m2')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: [2] })
    ws.receive('ack:n1')
    ws.receive('ack:m1')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: [2, 1], t2: [1] })
  })

  test('a message evicted for room is credited to its own tab when another tab sent the same data', async () => {
    const told = lead({ queue: { maxMessages: 2 } })
    leader!.send('t1', 1, 'same')
    leader!.send('t2', 1, 'same')
    leader!.send('t1', 2, 'other')
    await vi.advanceTimersByTimeAsync(0)
    expect(dropped(told)).toEqual([['t1', 1, 'same']])
    leader!.send('t3', 1, 'last')
    await vi.advanceTimersByTimeAsync(0)
    expect(dropped(told)).toEqual([
      ['t1', 1, 'same'],
      ['t2', 1, 'same'],
    ])
  })

  test('a message sent at once is not mistaken for an identical one of another tab evicted in the same task', async () => {
    const told = lead({ highWaterMark: 10, queue: { maxMessages: 1 } })
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    ws.holdSends = true
    ws.open()
    const same = 'same-same-same'
    leader!.send('t1', 1, same)
    leader!.send('t2', 1, same)
    leader!.send('t3', 1, 'x')
    expect(ws.sent).toEqual([same])
    await vi.advanceTimersByTimeAsync(0)
    expect(dropped(told)).toEqual([['t2', 1, same]])
    expect(handed(told)).toEqual({ t1: [1] })
  })

  test("with queue.overflow 'drop-newest', the refused message is the sender's, whatever others sent", async () => {
    const told = lead({ queue: { maxMessages: 1, overflow: 'drop-newest' } })
    leader!.send('t1', 1, 'same')
    leader!.send('t2', 1, 'same')
    leader!.send('t2', 2, 'same')
    await vi.advanceTimersByTimeAsync(0)
    expect(dropped(told)).toEqual([
      ['t2', 1, 'same'],
      ['t2', 2, 'same'],
    ])
    FakeWebSocket.last().open()
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: [1] })
  })

  test('identical messages expiring together are dropped in their tabs, oldest first', async () => {
    const told = lead({ queue: { ttl: 1000 } })
    leader!.send('t2', 1, 'same')
    leader!.send('t1', 1, 'same')
    await vi.advanceTimersByTimeAsync(500)
    leader!.send('t1', 2, 'same')
    await vi.advanceTimersByTimeAsync(600)
    FakeWebSocket.last().open()
    await vi.advanceTimersByTimeAsync(0)
    expect(dropped(told)).toEqual([
      ['t2', 1, 'same'],
      ['t1', 1, 'same'],
    ])
    expect(handed(told)).toEqual({ t1: [2] })
  })

  test('announces itself and every change of the mirrored status, not queue figures', async () => {
    const told = lead()
    leader!.announce()
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().open('chat')
    leader!.send('t', 1, 'x')
    await vi.advanceTimersByTimeAsync(0)
    const leads = told.filter((m) => m.t === 'lead')
    expect(leads.map((m) => (m.t === 'lead' ? [m.l, m.e, m.s.state, m.s.protocol] : []))).toEqual([
      ['L', 7, 'connecting', ''],
      ['L', 7, 'open', 'chat'],
    ])
  })

  test('after stop() it tells nothing more', async () => {
    const told = lead()
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    leader!.stop(1000)
    const count = told.length
    ws.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(told).toHaveLength(count)
    leader = undefined
  })
})

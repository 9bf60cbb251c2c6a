import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
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

/** The `ok` reports, merged: for each tab, the last message number reported handed. */
function handed(told: Wire[]): Record<string, number> {
  return Object.assign({}, ...told.flatMap((m) => (m.t === 'ok' ? [m.m] : [])))
}

describe('Leader', () => {
  test('reports a message handed once the socket took it, not before', async () => {
    const told = lead()
    leader!.send('t1', 1, 'one')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({})
    FakeWebSocket.last().open()
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: 1 })
    leader!.send('t2', 5, 'two')
    leader!.send('t1', 2, 'three')
    await vi.advanceTimersByTimeAsync(0)
    expect(handed(told)).toEqual({ t1: 2, t2: 5 })
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
    expect(handed(told)).toEqual({ t: 2 })
    // The connection dies with both messages still in its buffer: they go back to the queue, ahead of the third.
    first.serverClose(1006)
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    const second = FakeWebSocket.last()
    second.open()
    await vi.advanceTimersByTimeAsync(0)
    expect(second.sent).toEqual(['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(10)])
    expect(handed(told)).toEqual({ t: 3 })
  })

  test('tells which tab a dropped message came from', async () => {
    const told = lead({ queue: { maxMessages: 1 } })
    leader!.send('t1', 1, 'same')
    leader!.send('t2', 1, 'same')
    await vi.advanceTimersByTimeAsync(0)
    const drops = told.filter((m) => m.t === 'drop')
    expect(drops).toEqual([{ t: 'drop', to: 't1', seq: 1, r: 'overflow', d: 'same' }])
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

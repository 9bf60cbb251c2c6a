import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { ResilientWebSocket } from '../../../src'
import { SharedWebSocket } from '../../../src/tabs'
import { RETRY_DELAY, TAB_OPTIONS, TABS_URL } from '../harness'

// No fake browser here: the real BroadcastChannel (Node has one), and navigator without locks (as in Node 20).
const made: { close(): void }[] = []

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.reset()
  vi.stubGlobal('navigator', {})
})

afterEach(async () => {
  for (const socket of made.splice(0)) socket.close()
  // The server side answers the closing handshakes.
  for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
  await vi.advanceTimersByTimeAsync(0)
  const timers = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  expect(timers, 'timers left after closing').toBe(0)
})

function shared(): SharedWebSocket {
  const socket = new SharedWebSocket(TABS_URL, TAB_OPTIONS)
  made.push(socket)
  return socket
}

describe('where tabs cannot share', () => {
  test('without navigator.locks, each socket has its own working connection', async () => {
    const one = shared()
    const two = shared()
    const leaders: string[] = []
    one.on('leader', () => leaders.push('one'))
    two.on('leader', () => leaders.push('two'))
    await vi.advanceTimersByTimeAsync(0)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(leaders).toEqual(['one', 'two'])
    expect([one.isLeader, two.isLeader]).toEqual([true, true])
    const [first, second] = FakeWebSocket.instances as [FakeWebSocket, FakeWebSocket]
    first.open()
    second.open()
    one.send('from one')
    two.send('from two')
    const got: unknown[] = []
    two.on('message', (event) => got.push(event.data))
    first.receive('to one')
    second.receive('to two')
    await vi.advanceTimersByTimeAsync(0)
    expect(first.sent).toEqual(['from one'])
    expect(second.sent).toEqual(['from two'])
    expect(got).toEqual(['to two'])
  })

  test('without BroadcastChannel, the same', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    vi.stubGlobal('navigator', { locks: { request: () => new Promise(() => {}) } })
    const one = shared()
    const two = shared()
    await vi.advanceTimersByTimeAsync(0)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect([one.isLeader, two.isLeader]).toEqual([true, true])
  })

  test('it dispatches the events a plain ResilientWebSocket dispatches, in the same order', async () => {
    const types = ['state', 'open', 'close', 'error', 'reconnecting', 'drop'] as const
    const plain = new ResilientWebSocket(TABS_URL, { ...TAB_OPTIONS, queue: { maxMessages: 1 } })
    made.push(plain)
    const socket = new SharedWebSocket(TABS_URL, { ...TAB_OPTIONS, queue: { maxMessages: 1 } })
    made.push(socket)
    const plainLog = recordEvents(plain, [...types])
    const sharedLog = recordEvents(socket as unknown as ResilientWebSocket, [...types])
    plain.send('1')
    socket.send('1')
    plain.send('2')
    socket.send('2')
    await vi.advanceTimersByTimeAsync(0)
    const [a, b] = FakeWebSocket.instances as [FakeWebSocket, FakeWebSocket]
    a.fail()
    b.fail()
    await vi.advanceTimersByTimeAsync(RETRY_DELAY)
    FakeWebSocket.instances[2]!.open()
    FakeWebSocket.instances[3]!.open()
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.instances[2]!.serverClose(4000, 'done', true)
    FakeWebSocket.instances[3]!.serverClose(4000, 'done', true)
    await vi.advanceTimersByTimeAsync(0)
    expect(sharedLog).toEqual(plainLog)
    expect(sharedLog).toContain('drop')
    expect(sharedLog).toContain('close:4000:true')
    expect(socket.status).toMatchObject({
      state: plain.state,
      attempt: plain.attempt,
      lastClose: plain.status.lastClose,
    })
    expect(FakeWebSocket.instances[3]!.sent).toEqual(['2'])
  })
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { ReconnectingEvent, SocketCloseEvent, SocketErrorEvent, SocketOpenEvent } from '../../../src'
import { flush, messages, RETRY_DELAY, record, TABS_NAME, useTabs } from '../harness'

const tabs = useTabs()

describe('election', () => {
  test('three tabs share one connection, held by the first tab to get the lock', async () => {
    const a = tabs.open('a')
    const b = tabs.open('b')
    const c = tabs.open('c')
    const leaders: string[] = []
    a.on('leader', () => leaders.push('a'))
    b.on('leader', () => leaders.push('b'))
    c.on('leader', () => leaders.push('c'))
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect([a.isLeader, b.isLeader, c.isLeader]).toEqual([true, false, false])
    expect(leaders).toEqual(['a'])
    expect(tabs.browser.locks.holder(TABS_NAME)).toBe('a')
    expect(tabs.browser.locks.waitingFor(TABS_NAME)).toBe(2)
  })

  test('nothing is dispatched inside the constructor', () => {
    const a = tabs.open('a')
    const log = record(a, ['state', 'open', 'close'])
    let leader = false
    a.on('leader', () => {
      leader = true
    })
    expect(log).toEqual([])
    expect(leader).toBe(false)
    expect(a.isLeader).toBe(false)
  })
})

describe('relay', () => {
  test('every tab receives every message, in order', async () => {
    const sockets = ['a', 'b', 'c'].map((name) => tabs.open(name))
    const received = sockets.map(messages)
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    for (let i = 1; i <= 5; i++) ws.receive(`m${i}`)
    await flush()
    for (const list of received) expect(list).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
  })

  test('binary messages arrive in the form each tab asked for', async () => {
    const a = tabs.open('a')
    const b = tabs.open('b')
    const c = tabs.open('c')
    b.binaryType = 'arraybuffer'
    const got = [a, b, c].map(messages)
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive(new Uint8Array([1, 2, 3]).buffer)
    await flush()
    expect(got[1]![0]).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(got[1]![0] as ArrayBuffer)]).toEqual([1, 2, 3])
    for (const data of [got[0]![0], got[2]![0]]) {
      expect(data).toBeInstanceOf(Blob)
      expect([...new Uint8Array(await (data as Blob).arrayBuffer())]).toEqual([1, 2, 3])
    }
  })

  test("a follower's events are the leader's, as the same classes, with the follower as target", async () => {
    const a = tabs.open('a')
    const b = tabs.open('b')
    const types = ['state', 'open', 'error', 'close', 'reconnecting'] as const
    const leaderLog = record(a, [...types])
    const followerLog = record(b, [...types])
    const events: any[] = []
    for (const type of types) b.on(type, (event: any) => events.push(event))
    await flush()
    FakeWebSocket.last().fail()
    await flush(RETRY_DELAY)
    FakeWebSocket.last().open()
    await flush()
    expect(followerLog).toEqual(leaderLog)
    expect(followerLog).toEqual([
      'error',
      'state:reconnecting',
      'close:1006:true',
      'reconnecting:1',
      'state:connecting',
      'state:open',
      'open:1:false',
    ])
    for (const event of events) expect(event.target).toBe(b)
    expect(events.find((e) => e.type === 'error')).toBeInstanceOf(SocketErrorEvent)
    expect(events.find((e) => e.type === 'close')).toBeInstanceOf(SocketCloseEvent)
    expect(events.find((e) => e.type === 'open')).toBeInstanceOf(SocketOpenEvent)
    const reconnecting = events.find((e) => e.type === 'reconnecting')
    expect(reconnecting).toBeInstanceOf(ReconnectingEvent)
    expect(reconnecting.delay).toBe(RETRY_DELAY)
    expect(reconnecting.reason).toBeInstanceOf(SocketCloseEvent)
    expect(reconnecting.reason.code).toBe(1006)
  })

  test('a tab that joins an open connection sees it open', async () => {
    tabs.open('a')
    await flush()
    FakeWebSocket.last().open('chat')
    await flush()
    const d = tabs.open('d')
    const log = record(d, ['state', 'open'])
    await flush()
    expect(log).toEqual(['state:open', 'open:0:false'])
    expect(d.protocol).toBe('chat')
    expect(FakeWebSocket.instances).toHaveLength(1)
  })
})

describe('mirrored state', () => {
  test('state, readyState, attempt, url, protocol and status mirror the leader', async () => {
    const a = tabs.open('a')
    const b = tabs.open('b')
    await flush()
    expect(b.state).toBe('connecting')
    FakeWebSocket.last().open('chat')
    await flush()
    for (const socket of [a, b]) {
      expect(socket.state).toBe('open')
      expect(socket.readyState).toBe(socket.OPEN)
      expect(socket.protocol).toBe('chat')
      expect(socket.url).toBe('ws://example.test/feed')
    }
    FakeWebSocket.last().serverClose(4001, 'bye', true)
    await flush()
    expect(b.state).toBe('reconnecting')
    expect(b.readyState).toBe(b.CONNECTING)
    expect(b.attempt).toBe(1)
    expect(b.status).toMatchObject({
      state: 'reconnecting',
      readyState: 0,
      attempt: 1,
      url: 'ws://example.test/feed',
      lastClose: { code: 4001, reason: 'bye', wasClean: true },
    })
    expect(b.status).toEqual({ ...a.status })
  })

  test('status is a frozen snapshot whose identity changes only with a change; subscribe is told of each', async () => {
    tabs.open('a')
    const b = tabs.open('b')
    await flush()
    const before = b.status
    expect(Object.isFrozen(before)).toBe(true)
    expect(b.status).toBe(before)
    let calls = 0
    const unsubscribe = b.subscribe(() => calls++)
    FakeWebSocket.last().open()
    await flush()
    expect(calls).toBeGreaterThan(0)
    expect(b.status).not.toBe(before)
    expect(b.status.state).toBe('open')
    const open = b.status
    expect(b.status).toBe(open)
    unsubscribe()
    const seen = calls
    FakeWebSocket.last().serverClose(1006)
    await flush()
    expect(calls).toBe(seen)
  })

  test('latency mirrors the leader, with a latency event in every tab', async () => {
    const heartbeat = { interval: 1000, timeout: 5000, message: 'ping', isPong: (data: unknown) => data === 'pong' }
    const a = tabs.open('a', { heartbeat })
    const b = tabs.open('b', { heartbeat })
    const latencies: number[] = []
    b.on('latency', (event) => latencies.push(event.latency))
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    // The leader's heartbeat pings after about `interval` of silence.
    for (let waited = 0; ws.sent.length === 0 && waited < 3000; waited += 100) await flush(100)
    expect(ws.sent).toEqual(['ping'])
    await flush(30)
    ws.receive('pong')
    await flush()
    expect(a.latency).toBeGreaterThan(0)
    expect(b.latency).toBe(a.latency)
    expect(b.status.latency).toBe(a.latency)
    expect(latencies).toEqual([a.latency])
  })
})

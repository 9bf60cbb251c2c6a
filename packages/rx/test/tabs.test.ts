import { SharedWebSocket, type SharedWebSocketOptions } from '@lifeline/core/tabs'
import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { FakePingWebSocket } from '@lifeline/testing/fake-websocket'
import { from, Subject } from 'rxjs'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { type BackpressureTarget, data$, latency$, messages$, type StatusSource, sendTo, state$, status$ } from '../src'
import { FAKE, FakeWebSocket, flush, record } from './helpers/fake'

// Streams and sendTo over a SharedWebSocket: tabs of one fake browser (BroadcastChannel and navigator.locks from
// FakeTabs), tab 'a' opened first and so the leader, tab 'b' a follower relaying through it.

let browser: FakeTabs
const opened = new Map<string, SharedWebSocket>()

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.reset()
  browser = new FakeTabs().install()
})

afterEach(async () => {
  for (const socket of opened.values()) socket.close()
  opened.clear()
  for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
  await flush()
  const timers = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  browser.uninstall()
  expect(timers, 'timers left after closing every tab').toBe(0)
  expect(browser.openChannels, 'channels left open').toBe(0)
})

function tab(name: string, options: SharedWebSocketOptions = {}): SharedWebSocket {
  const { url, WebSocketCtor, ...rest } = FAKE
  const socket = browser.in(name, () => new SharedWebSocket(url, { ...rest, WebSocket: WebSocketCtor, ...options }))
  opened.set(name, socket)
  return socket
}

/** Tab `name` vanishes as a closed or crashed browser tab does: its locks and channels go, its socket with it. */
function crash(name: string): void {
  browser.crash(name)
  opened.get(name)?.close()
  opened.delete(name)
}

/** Tabs a (leading) and b (following), with the shared connection open. */
async function twoTabsOpen(leader: SharedWebSocketOptions = {}, follower: SharedWebSocketOptions = {}) {
  const a = tab('a', leader)
  const b = tab('b', follower)
  await flush()
  const ws = FakeWebSocket.last()
  ws.open()
  await flush()
  return { a, b, ws }
}

test('a SharedWebSocket is a socket the streams and sendTo take (checked by the type checker)', async () => {
  const { b } = await twoTabsOpen()
  const source: StatusSource = b
  const target: BackpressureTarget = b
  expect(source.status.state).toBe('open')
  await expect(target.drained()).resolves.toBeUndefined()
})

describe('in a follower tab', () => {
  test("the streams mirror the leader's connection: its status, messages and parsed data", async () => {
    const a = tab('a')
    const b = tab('b')
    const states: string[] = []
    const raw: string[] = []
    const parsed: string[] = []
    state$(b).subscribe(record(states))
    messages$(b).subscribe(record(raw))
    data$(b).subscribe(record(parsed))
    await flush()
    expect(a.isLeader).toBe(true)
    expect(b.isLeader).toBe(false)
    expect(FakeWebSocket.instances).toHaveLength(1)
    const ws = FakeWebSocket.last()
    ws.open()
    await flush()
    ws.receive('{"n":1}')
    ws.receive('{"n":2}')
    await flush()
    expect(states).toEqual(['next:"connecting"', 'next:"open"'])
    expect(raw).toEqual(['next:"{\\"n\\":1}"', 'next:"{\\"n\\":2}"'])
    expect(parsed).toEqual(['next:{"n":1}', 'next:{"n":2}'])
  })

  test('keep going across a lost connection the leader reconnects: no error, no complete', async () => {
    const { b, ws } = await twoTabsOpen()
    const states: string[] = []
    const raw: string[] = []
    state$(b).subscribe(record(states))
    messages$(b).subscribe(record(raw))
    ws.serverClose(1006)
    await flush(100)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(ws)
    second.open()
    await flush()
    second.receive('after')
    await flush()
    expect(states).toEqual(['next:"open"', 'next:"reconnecting"', 'next:"connecting"', 'next:"open"'])
    expect(raw).toEqual(['next:"after"'])
  })

  test('sendTo reaches the server in order, exactly once', async () => {
    const { b, ws } = await twoTabsOpen()
    const log: string[] = []
    from(['1', '2', '3']).pipe(sendTo(b)).subscribe(record(log))
    await flush()
    expect(ws.sent).toEqual(['1', '2', '3'])
    expect(log).toEqual(['next:"1"', 'next:"2"', 'next:"3"', 'complete'])
  })

  test("sendTo pauses at the tab's highWaterMark and resumes as the leader's socket takes what the tab sent", async () => {
    const { b, ws } = await twoTabsOpen({}, { highWaterMark: 4, lowWaterMark: 2 })
    const source = new Subject<string>()
    const log: string[] = []
    source.pipe(sendTo(b)).subscribe(record(log))
    const values = ['a1..', 'a2..', 'a3..', 'a4..']
    for (const value of values) source.next(value)
    source.complete()
    // The first fills the tab's window: the rest waits in the operator until the leader reports it taken.
    expect(b.queued).toEqual(['a1..'])
    expect(log).toEqual(['next:"a1.."'])
    for (let i = 0; i < 10 && !log.includes('complete'); i++) await flush()
    expect(ws.sent).toEqual(values)
    expect(log).toEqual([...values.map((v) => `next:"${v}"`), 'complete'])
  })

  test("the tab's close() completes its streams; the leader's go on", async () => {
    const { a, b, ws } = await twoTabsOpen()
    const follower: string[] = []
    const leader: string[] = []
    status$(b).subscribe({ complete: () => follower.push('status complete'), error: () => follower.push('error') })
    messages$(b).subscribe({ next: (m) => follower.push(`${m}`), complete: () => follower.push('messages complete') })
    state$(a).subscribe({ complete: () => leader.push('complete'), error: () => leader.push('error') })
    b.close()
    await flush()
    ws.receive('later')
    await flush()
    expect(follower).toEqual(['status complete', 'messages complete'])
    expect(leader).toEqual([])
    expect(a.state).toBe('open')
  })

  test("the tab's close() completes its streams whatever the shared connection's state", async () => {
    const a = tab('a')
    const connecting = tab('b')
    await flush()
    const log: string[] = []
    status$(connecting).subscribe({ complete: () => log.push('connecting complete'), error: () => log.push('error') })
    expect(connecting.state).toBe('connecting')
    connecting.close()
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    await flush()
    ws.serverClose(1006)
    await flush()
    const reconnecting = tab('c')
    await flush()
    expect(reconnecting.state).toBe('reconnecting')
    status$(reconnecting).subscribe({
      complete: () => log.push('reconnecting complete'),
      error: () => log.push('error'),
    })
    reconnecting.close(3000)
    await flush()
    expect(log).toEqual(['connecting complete', 'reconnecting complete'])
    expect(a.state).toBe('reconnecting')
  })

  test("latency$ gives the leader's heartbeat round trips", async () => {
    const { a, b, ws } = await twoTabsOpen({
      WebSocket: FakePingWebSocket,
      heartbeat: { interval: 1000, timeout: 500 },
    })
    const latencies: number[] = []
    latency$(b).subscribe((ms) => latencies.push(ms))
    const ping = ws as FakePingWebSocket
    for (let waited = 0; ping.pings === 0 && waited < 5000; waited += 100) await flush(100)
    expect(ping.pings).toBe(1)
    await flush(40)
    ping.pong()
    await flush()
    expect(latencies).toEqual([a.latency])
    expect(latencies[0]).toBeGreaterThanOrEqual(40)
  })

  test('a close() with a code completes too', async () => {
    const { b } = await twoTabsOpen()
    const log: string[] = []
    status$(b).subscribe({ complete: () => log.push('complete'), error: () => log.push('error') })
    b.close(4001, 'not here')
    await flush()
    expect(log).toEqual(['complete'])
  })

  test('the connection giving up errors the streams of every tab once, with the final close', async () => {
    const { a, b, ws } = await twoTabsOpen()
    const log: string[] = []
    const leader: string[] = []
    messages$(b).subscribe(record(log))
    status$(b).subscribe({ error: (e) => log.push(`status error:${e.code}:${e.wasClean}`) })
    status$(a).subscribe({ complete: () => leader.push('complete'), error: (e) => leader.push(`error:${e.code}`) })
    ws.receive('m')
    ws.serverClose(1008, 'policy', true)
    await flush()
    expect(log).toEqual(['next:"m"', 'error:1008', 'status error:1008:true'])
    expect(leader).toEqual(['error:1008'])
    b.close()
    a.close()
    await flush()
    expect(log).toHaveLength(3)
    expect(leader).toHaveLength(1)
  })
})

describe('on a handover', () => {
  test("the follower's streams do not end when the leader tab crashes; they follow the new connection", async () => {
    const { b, ws } = await twoTabsOpen()
    const states: string[] = []
    const raw: string[] = []
    state$(b).subscribe(record(states))
    messages$(b).subscribe(record(raw))
    ws.receive('before')
    await flush()
    crash('a')
    await flush()
    expect(b.isLeader).toBe(true)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(ws)
    second.open()
    await flush()
    second.receive('after')
    await flush()
    expect(raw).toEqual(['next:"before"', 'next:"after"'])
    expect(states).toEqual(['next:"open"', 'next:"connecting"', 'next:"open"'])
  })

  test("the leader tab's close() completes its own streams; the follower's go on", async () => {
    const { a, b } = await twoTabsOpen()
    const leader: string[] = []
    const follower: string[] = []
    status$(a).subscribe({ complete: () => leader.push('complete'), error: () => leader.push('error') })
    status$(b).subscribe({
      next: (s) => follower.push(s.state),
      complete: () => follower.push('complete'),
      error: () => follower.push('error'),
    })
    a.close()
    await flush()
    expect(leader).toEqual(['complete'])
    expect(b.isLeader).toBe(true)
    FakeWebSocket.last().open()
    await flush()
    expect(follower).not.toContain('complete')
    expect(follower).not.toContain('error')
    expect(follower.at(-1)).toBe('open')
  })

  test('sendTo from a follower loses nothing across the handover: every value arrives, in order', async () => {
    const { b, ws } = await twoTabsOpen()
    ws.holdSends = true
    const source = new Subject<string>()
    const log: string[] = []
    source.pipe(sendTo(b)).subscribe(record(log))
    source.next('1')
    await flush()
    crash('a')
    source.next('2')
    await flush()
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    source.next('3')
    source.complete()
    await flush()
    // '1' was on the old leader's socket (covered only by acknowledged delivery); what the old one had not taken and
    // what came later went on the new connection, in order.
    expect(ws.sent).toEqual(['1'])
    expect(second.sent).toEqual(['2', '3'])
    expect(log).toEqual(['next:"1"', 'next:"2"', 'next:"3"', 'complete'])
  })
})

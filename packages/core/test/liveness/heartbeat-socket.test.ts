import { FakePingWebSocket, FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test, vi } from 'vitest'
import {
  CLOSE_TIMEOUT,
  HEARTBEAT_TIMEOUT,
  type ResilientWebSocket,
  type ResilientWebSocketOptions,
  type SocketCloseEvent,
  type WebSocketConstructor,
} from '../../src'
import { fakeClient, openNext } from '../helpers/fake-client'
import { useFakeSockets } from '../helpers/fake-sockets'
import { advanceUntil, heartbeatSlack } from './fake-clock'

const DEFAULT_INTERVAL = 25000
const DEFAULT_TIMEOUT = 10000
const DEFAULT_SLACK = heartbeatSlack(DEFAULT_INTERVAL, DEFAULT_TIMEOUT)
/** The short heartbeat most tests use, and the time by which it finds a silent connection dead. */
const SHORT = { interval: 1000, timeout: 500 }
const SHORT_SLACK = heartbeatSlack(SHORT.interval, SHORT.timeout)
const SHORT_DEAD_BY = SHORT.interval + SHORT.timeout + SHORT_SLACK

useFakeSockets()

async function openWith<T extends FakeWebSocket>(
  Impl: typeof FakeWebSocket | typeof FakePingWebSocket,
  options: ResilientWebSocketOptions = {},
): Promise<{ socket: ResilientWebSocket; ws: T }> {
  const socket = fakeClient({ WebSocket: Impl as unknown as WebSocketConstructor, ...options })
  const ws = (await openNext()) as T
  expect(socket.state).toBe('open')
  return { socket, ws }
}

function closes(socket: ResilientWebSocket): SocketCloseEvent[] {
  const events: SocketCloseEvent[] = []
  socket.on('close', (event) => events.push(event))
  return events
}

describe('heartbeat option defaults', () => {
  test('not given, with protocol pings available: on, with ping frames at the default interval', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket)
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(DEFAULT_INTERVAL - 1)
    expect(ws.pings).toBe(0)
    await advanceUntil(() => ws.pings === 1, DEFAULT_SLACK + 1)
    expect(ws.sent).toEqual([])
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT - 1)
    expect(closed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(DEFAULT_SLACK + 1)
    expect(closed).toHaveLength(1)
    expect(closed[0]!.reason).toBe(HEARTBEAT_TIMEOUT)
  })

  test('not given, without protocol pings: off (a silent connection stays open, nothing is sent)', async () => {
    const { socket, ws } = await openWith(FakeWebSocket)
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(10 * (DEFAULT_INTERVAL + DEFAULT_TIMEOUT))
    expect(socket.state).toBe('open')
    expect(closed).toHaveLength(0)
    expect(ws.sent).toEqual([])
    expect(ws.closeCalls).toEqual([])
  })

  test('heartbeat: false is off even where protocol pings exist', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: false })
    await vi.advanceTimersByTimeAsync(10 * (DEFAULT_INTERVAL + DEFAULT_TIMEOUT))
    expect(ws.pings).toBe(0)
    expect(ws.terminated).toBe(false)
    expect(socket.state).toBe('open')
  })

  test('heartbeat: false with an application message configured nowhere sends nothing', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, { heartbeat: false })
    await vi.advanceTimersByTimeAsync(10 * (DEFAULT_INTERVAL + DEFAULT_TIMEOUT))
    expect(ws.sent).toEqual([])
    expect(socket.state).toBe('open')
  })

  test('heartbeat: true means the defaults: interval 25000, timeout 10000', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: true })
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(DEFAULT_INTERVAL - 1)
    expect(ws.pings).toBe(0)
    await advanceUntil(() => ws.pings === 1, DEFAULT_SLACK + 1)
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT - 1)
    expect(closed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(DEFAULT_SLACK + 1)
    expect(closed.map((event) => event.reason)).toEqual([HEARTBEAT_TIMEOUT])
  })

  test('heartbeat: true without protocol pings watches silence: traffic keeps it, silence drops it', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, { heartbeat: true })
    const closed = closes(socket)
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(DEFAULT_INTERVAL / 2)
      ws.receive('data')
    }
    expect(closed).toHaveLength(0)
    expect(ws.sent).toEqual([])
    // Found dead within interval + timeout (+ the slack) of the last message, and not before.
    await vi.advanceTimersByTimeAsync(DEFAULT_INTERVAL + DEFAULT_TIMEOUT - 1)
    expect(closed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(DEFAULT_SLACK + 1)
    expect(closed.map((event) => event.reason)).toEqual([HEARTBEAT_TIMEOUT])
  })

  test('only interval given: timeout keeps its default', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: { interval: 1000 } })
    const closed = closes(socket)
    const slack = heartbeatSlack(1000, DEFAULT_TIMEOUT)
    await advanceUntil(() => ws.pings === 1, 1000 + slack)
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT - 1)
    expect(closed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(slack + 1)
    expect(closed).toHaveLength(1)
  })
})

describe('application pings', () => {
  test('a message value is sent with send() after `interval` of silence, instead of ping frames', async () => {
    const { ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, {
      heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(ws.sent).toEqual([])
    await advanceUntil(() => ws.sent.length === 1, SHORT_SLACK + 1)
    expect(ws.sent).toEqual(['ping'])
    expect(ws.pings).toBe(0)
    ws.receive('pong')
    await vi.advanceTimersByTimeAsync(999)
    expect(ws.sent).toEqual(['ping'])
    await vi.advanceTimersByTimeAsync(SHORT_SLACK + 1)
    expect(ws.sent).toEqual(['ping', 'ping'])
  })

  test('a message function is called for every ping', async () => {
    let count = 0
    const { ws } = await openWith(FakeWebSocket, {
      heartbeat: {
        interval: 1000,
        timeout: 500,
        message: () => JSON.stringify({ type: 'ping', n: ++count }),
        isPong: (data) => JSON.parse(String(data)).type === 'pong',
      },
    })
    expect(count).toBe(0)
    for (let n = 1; n <= 3; n++) {
      await advanceUntil(() => ws.sent.length === n, 1000 + SHORT_SLACK)
      expect(ws.sent.at(-1)).toBe(JSON.stringify({ type: 'ping', n }))
      ws.receive(JSON.stringify({ type: 'pong' }))
    }
    expect(count).toBe(3)
  })

  test('isPong messages are consumed and measure latency; other messages are delivered', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, {
      heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
    })
    const messages: unknown[] = []
    const latencies: number[] = []
    socket.on('message', (event) => messages.push(event.data))
    socket.addEventListener('latency', (event) => latencies.push(event.latency))
    expect(socket.latency).toBeUndefined()
    ws.receive('hello')
    await advanceUntil(() => ws.sent.length === 1, 1000 + SHORT_SLACK)
    expect(ws.sent).toEqual(['ping'])
    await vi.advanceTimersByTimeAsync(37)
    ws.receive('pong')
    expect(messages).toEqual(['hello'])
    expect(latencies).toEqual([37])
    expect(socket.latency).toBe(37)
    ws.receive('after')
    expect(messages).toEqual(['hello', 'after'])
  })

  test('a pong keeps the connection alive across many rounds', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, {
      heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
    })
    const closed = closes(socket)
    for (let round = 1; round <= 5; round++) {
      await advanceUntil(() => ws.sent.length === round, 1000 + SHORT_SLACK)
      await vi.advanceTimersByTimeAsync(499)
      ws.receive('pong')
    }
    expect(closed).toHaveLength(0)
    expect(socket.state).toBe('open')
  })

  test('without isPong, every answer is an ordinary message that still proves liveness', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, {
      heartbeat: { interval: 1000, timeout: 500, message: 'ping' },
    })
    const messages: unknown[] = []
    socket.on('message', (event) => messages.push(event.data))
    const closed = closes(socket)
    await advanceUntil(() => ws.sent.length === 1, 1000 + SHORT_SLACK)
    expect(ws.sent).toEqual(['ping'])
    ws.receive('pong')
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(closed).toHaveLength(0)
    expect(messages).toEqual(['pong'])
    expect(socket.latency).toBeUndefined()
  })

  test('a protocol pong frame also proves liveness while application pings are in use', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, {
      heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
    })
    const closed = closes(socket)
    await advanceUntil(() => ws.sent.length === 1, 1000 + SHORT_SLACK)
    expect(ws.sent).toEqual(['ping'])
    ws.pong()
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(closed).toHaveLength(0)
    expect(socket.state).toBe('open')
  })
})

describe('protocol pings', () => {
  test('a pong frame measures latency and keeps the connection', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, {
      heartbeat: { interval: 1000, timeout: 500 },
    })
    const latencies: number[] = []
    socket.on('latency', (event) => latencies.push(event.latency))
    const closed = closes(socket)
    await advanceUntil(() => ws.pings === 1, 1000 + SHORT_SLACK)
    await vi.advanceTimersByTimeAsync(42)
    ws.pong()
    expect(latencies).toEqual([42])
    expect(socket.latency).toBe(42)
    await vi.advanceTimersByTimeAsync(999)
    expect(closed).toHaveLength(0)
    expect(ws.pings).toBe(1)
    await vi.advanceTimersByTimeAsync(SHORT_SLACK + 1)
    expect(ws.pings).toBe(2)
  })

  test('with no latency listener, latency and status still follow each pong; a listener added later hears the next', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, {
      heartbeat: { interval: 1000, timeout: 500 },
    })
    const statuses: (number | undefined)[] = []
    socket.subscribe(() => statuses.push(socket.status.latency))
    await advanceUntil(() => ws.pings === 1, 1000 + SHORT_SLACK)
    await vi.advanceTimersByTimeAsync(17)
    ws.pong()
    expect(socket.latency).toBe(17)
    expect(statuses).toEqual([17])
    const latencies: number[] = []
    socket.on('latency', (event) => latencies.push(event.latency))
    await advanceUntil(() => ws.pings === 2, 1000 + SHORT_SLACK)
    await vi.advanceTimersByTimeAsync(5)
    ws.pong()
    expect(latencies).toEqual([5])
    expect(socket.latency).toBe(5)
    expect(statuses).toEqual([17, 5])
  })

  test('a chatty connection sends no pings at all', async () => {
    const { ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: { interval: 1000, timeout: 500 } })
    for (let i = 0; i < 200; i++) {
      ws.receive(`tick ${i}`)
      await vi.advanceTimersByTimeAsync(50)
    }
    expect(ws.pings).toBe(0)
  })

  test('the socket stops listening for pong frames once the connection is gone', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket)
    expect(ws.listenerCount('pong')).toBe(1)
    socket.close()
    ws.finishClose()
    expect(ws.listenerCount('pong')).toBe(0)
    expect(ws.listenerCount('ping')).toBe(0)
  })

  test('a connection declared dead is no longer listened to', async () => {
    const { ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: SHORT })
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(ws.terminated).toBe(true)
    expect(ws.listenerCount('pong')).toBe(0)
    expect(ws.onmessage).toBeNull()
    expect(ws.onclose).toBeNull()
  })
})

describe('a dead connection', () => {
  const heartbeat = SHORT

  test('gets a local close 1006 "heartbeat timeout", is terminated, and lifeline reconnects', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat })
    const closed = closes(socket)
    const states: string[] = []
    socket.on('state', (event) => states.push(event.state))
    await vi.advanceTimersByTimeAsync(SHORT.interval + SHORT.timeout - 1)
    expect(closed).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(SHORT_SLACK + 1)
    expect(closed).toHaveLength(1)
    expect(closed[0]!.code).toBe(1006)
    expect(closed[0]!.reason).toBe(HEARTBEAT_TIMEOUT)
    expect(HEARTBEAT_TIMEOUT).toBe('heartbeat timeout')
    expect(closed[0]!.wasClean).toBe(false)
    expect(closed[0]!.willReconnect).toBe(true)
    expect(ws.terminated).toBe(true)
    expect(ws.closeCalls).toEqual([])
    expect(socket.state).toBe('reconnecting')
    const next = (await openNext()) as FakePingWebSocket
    expect(next).not.toBe(ws)
    expect(socket.state).toBe('open')
    expect(states).toEqual(['reconnecting', 'connecting', 'open'])
  })

  test('messages queued meanwhile are delivered after the reconnect, in order', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat })
    socket.send('before')
    expect(ws.sent).toEqual(['before'])
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(socket.state).toBe('reconnecting')
    socket.send('one')
    socket.send('two')
    expect(socket.queued).toEqual(['one', 'two'])
    const next = await openNext()
    expect(next.sent).toEqual(['one', 'two'])
    expect(socket.queued).toEqual([])
  })

  test('the new connection has its own working heartbeat; the old one is silent', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat })
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    const next = (await openNext()) as FakePingWebSocket
    const oldPings = ws.pings
    await advanceUntil(() => next.pings === 1, 1000 + SHORT_SLACK)
    next.pong()
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(closed).toHaveLength(1)
    // A late pong on the dead socket changes nothing.
    ws.pong()
    expect(ws.pings).toBe(oldPings)
    expect(socket.latency).toBeDefined()
  })

  test('an application heartbeat on a socket without terminate() closes it instead', async () => {
    const { socket, ws } = await openWith(FakeWebSocket, {
      heartbeat: { ...heartbeat, message: 'ping', isPong: (data) => data === 'pong' },
    })
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(closed.map((event) => [event.code, event.reason, event.willReconnect])).toEqual([
      [1006, HEARTBEAT_TIMEOUT, true],
    ])
    expect(ws.closeCalls).toHaveLength(1)
    // The old socket's own close event, when it finally comes, is not reported again.
    ws.finishClose()
    expect(closed).toHaveLength(1)
  })

  test('with reconnect: false, a dead connection ends the socket', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat, reconnect: false })
    const closed = closes(socket)
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(closed.map((event) => [event.code, event.reason, event.willReconnect])).toEqual([
      [1006, HEARTBEAT_TIMEOUT, false],
    ])
    expect(ws.terminated).toBe(true)
    expect(socket.state).toBe('closed')
  })
})

describe('sleep', () => {
  test('a heartbeat timer that fires far too late pings afresh instead of dropping the connection', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, {
      heartbeat: { interval: 1000, timeout: 500 },
    })
    const closed = closes(socket)
    await advanceUntil(() => ws.pings === 1, 1000 + SHORT_SLACK)
    // The laptop sleeps for a minute: the clock jumps, the timer fires only afterwards.
    vi.setSystemTime(Date.now() + 60_000)
    await advanceUntil(() => ws.pings === 2, 500 + SHORT_SLACK)
    expect(closed).toHaveLength(0)
    ws.pong()
    expect(socket.latency).toBe(0)
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(closed).toHaveLength(0)
    expect(socket.state).toBe('open')
  })

  test('lifecycle.sleepThreshold sets how late counts as sleep', async () => {
    const options = (sleepThreshold: number): ResilientWebSocketOptions => ({
      heartbeat: { interval: 1000, timeout: 500 },
      lifecycle: { network: false, foreground: false, sleepThreshold },
    })
    const strict = await openWith<FakePingWebSocket>(FakePingWebSocket, options(100))
    const strictClosed = closes(strict.socket)
    await advanceUntil(() => strict.ws.pings === 1, 1000 + SHORT_SLACK)
    vi.setSystemTime(Date.now() + 1000)
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(strictClosed).toHaveLength(0)
    expect(strict.ws.pings).toBe(2)
    strict.ws.pong()
    strict.socket.close()
    strict.ws.finishClose()

    const lenient = await openWith<FakePingWebSocket>(FakePingWebSocket, options(5000))
    const lenientClosed = closes(lenient.socket)
    await advanceUntil(() => lenient.ws.pings === 1, 1000 + SHORT_SLACK)
    vi.setSystemTime(Date.now() + 1000)
    await vi.advanceTimersByTimeAsync(500 + SHORT_SLACK)
    expect(lenientClosed.map((event) => event.reason)).toEqual([HEARTBEAT_TIMEOUT])
  })
})

describe('close()', () => {
  test('no heartbeat timer survives close() of an open connection', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: SHORT })
    socket.close()
    expect(socket.state).toBe('closing')
    // Only the wait for the close frame is left (closeTimeout, 5000 ms by default): no ping comes meanwhile.
    await vi.advanceTimersByTimeAsync(4999)
    expect(ws.pings).toBe(0)
    expect(ws.terminated).toBe(false)
    ws.finishClose()
    expect(socket.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
  })

  test('close() while a ping is unanswered drops the silent connection at once, without a heartbeat timeout', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: SHORT })
    const closed = closes(socket)
    await advanceUntil(() => ws.pings === 1, 1000 + SHORT_SLACK)
    socket.close()
    expect(socket.state).toBe('closed')
    expect(ws.terminated).toBe(true)
    expect(closed.map((event) => [event.code, event.reason, event.wasClean])).toEqual([[1006, CLOSE_TIMEOUT, false]])
    expect(vi.getTimerCount()).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(closed).toHaveLength(1)
    expect(ws.pings).toBe(1)
  })

  test('close() after the peer answered the ping waits for its close frame', async () => {
    const { socket, ws } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: SHORT })
    const closed = closes(socket)
    await advanceUntil(() => ws.pings === 1, 1000 + SHORT_SLACK)
    ws.receive('an answer that is no pong')
    socket.close()
    expect(socket.state).toBe('closing')
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(ws.terminated).toBe(false)
    ws.finishClose()
    expect(closed.map((event) => [event.code, event.reason])).toEqual([[1000, '']])
    expect(closed.map((event) => event.reason)).not.toContain(HEARTBEAT_TIMEOUT)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('no heartbeat timer survives close() while waiting to retry after a heartbeat timeout', async () => {
    const { socket } = await openWith<FakePingWebSocket>(FakePingWebSocket, { heartbeat: SHORT })
    await vi.advanceTimersByTimeAsync(SHORT_DEAD_BY)
    expect(socket.state).toBe('reconnecting')
    socket.close()
    expect(vi.getTimerCount()).toBe(0)
    expect(FakeWebSocket.live()).toHaveLength(0)
  })
})

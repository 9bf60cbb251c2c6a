// One Connection per attempt: how it ends (closeTimeout, errors before open, reconnect()), and which timers it arms.
import { FakePingWebSocket, FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { describe, expect, test, vi } from 'vitest'
import { CLOSE_TIMEOUT, type SocketCloseEvent, type WebSocketConstructor } from '../src'
import { flush, useFakeSockets } from './helpers/fake-sockets'

const make = useFakeSockets()
const quick = { reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' as const } }
const Ping = FakePingWebSocket as unknown as WebSocketConstructor

function closes(socket: { on(type: 'close', listener: (event: SocketCloseEvent) => void): unknown }) {
  const events: SocketCloseEvent[] = []
  socket.on('close', (event) => events.push(event))
  return events
}

describe('closeTimeout', () => {
  test('close() on a connection whose peer never answers ends after closeTimeout (5000 by default): 1006', async () => {
    const socket = make({ WebSocket: Ping, heartbeat: false })
    await flush()
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    const events = closes(socket)
    socket.close(1000, 'bye')
    expect(ws.closeCalls).toEqual([{ code: 1000, reason: 'bye' }])
    await flush(4999)
    expect(socket.state).toBe('closing')
    expect(events).toEqual([])
    await flush(1)
    expect(socket.state).toBe('closed')
    expect(ws.terminated).toBe(true)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ code: 1006, reason: CLOSE_TIMEOUT, wasClean: false, willReconnect: false })
    expect(vi.getTimerCount()).toBe(0)
  })

  test('a close frame in time ends it cleanly and stops the timer', async () => {
    const socket = make({ WebSocket: Ping, heartbeat: false, closeTimeout: 1000 })
    await flush()
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    const events = closes(socket)
    socket.close()
    await flush(500)
    ws.finishClose(1000, '')
    expect(events[0]).toMatchObject({ code: 1000, wasClean: true })
    expect(vi.getTimerCount()).toBe(0)
    expect(ws.terminated).toBe(false)
  })

  test('at once when the heartbeat already finds the peer silent (a ping is unanswered)', async () => {
    const socket = make({ WebSocket: Ping, heartbeat: { interval: 1000, timeout: 5000 } })
    await flush()
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    await flush(1500)
    expect(ws.pings).toBe(1)
    const events = closes(socket)
    socket.close()
    expect(socket.state).toBe('closed')
    expect(ws.terminated).toBe(true)
    expect(events[0]).toMatchObject({ code: 1006, reason: CLOSE_TIMEOUT })
    expect(vi.getTimerCount()).toBe(0)
  })

  test('Infinity waits as long as the implementation does: no timer', async () => {
    const socket = make({ heartbeat: false, closeTimeout: Number.POSITIVE_INFINITY })
    await flush()
    FakeWebSocket.last().open()
    socket.close()
    expect(vi.getTimerCount()).toBe(0)
    expect(socket.state).toBe('closing')
    FakeWebSocket.last().finishClose()
    expect(socket.state).toBe('closed')
  })
})

describe('reconnect() leaves the old connection behind for at most closeTimeout', () => {
  test('an old socket whose close frame never comes is dropped after closeTimeout, silently', async () => {
    const socket = make({ ...quick, WebSocket: Ping, heartbeat: false, closeTimeout: 2000 })
    await flush()
    const old = FakeWebSocket.last() as FakePingWebSocket
    old.open()
    const log = recordEvents(socket, ['close', 'open', 'error'])
    socket.reconnect(4000, 'switching')
    expect(old.closeCalls).toEqual([{ code: 4000, reason: 'switching' }])
    expect(log).toEqual(['close:4000:true'])
    FakeWebSocket.last().open()
    await flush(1999)
    expect(old.terminated).toBe(false)
    await flush(1)
    expect(old.terminated).toBe(true)
    expect(log).toEqual(['close:4000:true', 'open:0:true'])
    expect(socket.state).toBe('open')
  })

  test('an old socket that closes in time leaves no timer', async () => {
    const socket = make({ ...quick, heartbeat: false })
    await flush()
    const old = FakeWebSocket.last()
    old.open()
    socket.reconnect()
    old.finishClose()
    FakeWebSocket.last().open()
    socket.close()
    FakeWebSocket.last().finishClose()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('close() right after reconnect() drops the old socket at once: no timer outlives it', async () => {
    const socket = make({ ...quick, WebSocket: Ping, heartbeat: false })
    await flush()
    const old = FakeWebSocket.last() as FakePingWebSocket
    old.open()
    socket.reconnect()
    socket.close()
    expect(old.terminated).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('what the old socket still buffered goes back to the queue, ahead of newer messages; nothing dropped', async () => {
    const socket = make({ ...quick, WebSocket: Ping, heartbeat: false, highWaterMark: 10_000 })
    const drops: unknown[] = []
    socket.on('drop', (event) => drops.push(event.data))
    await flush()
    const old = FakeWebSocket.last() as FakePingWebSocket
    old.open()
    // A server that stopped reading: the socket's buffer holds what it was given, and more.
    old.bufferedAmount = 1000
    socket.send('one')
    socket.send('two')
    expect(old.sent).toEqual(['one', 'two'])
    socket.reconnect()
    // The old socket cannot close cleanly without sending them again: it is dropped at once.
    expect(old.terminated).toBe(true)
    socket.send('three')
    expect(socket.queued).toEqual(['one', 'two', 'three'])
    FakeWebSocket.last().open()
    expect(FakeWebSocket.last().sent).toEqual(['one', 'two', 'three'])
    expect(drops).toEqual([])
  })

  test('what already left the socket is not sent again, however late lifeline last looked at its buffer', async () => {
    const socket = make({ ...quick, WebSocket: Ping, heartbeat: false, highWaterMark: 10_000 })
    await flush()
    const old = FakeWebSocket.last() as FakePingWebSocket
    old.open()
    old.bufferedAmount = 500
    socket.send('left already')
    // The socket's buffer empties before lifeline's next look.
    old.bufferedAmount = 0
    socket.reconnect()
    expect(old.terminated).toBe(false)
    expect(old.closeCalls).toEqual([{ code: 1000, reason: undefined }])
    expect(socket.queued).toEqual([])
    FakeWebSocket.last().open()
    expect(FakeWebSocket.last().sent).toEqual([])
  })

  test('the close event says whether the old connection closed cleanly', async () => {
    const socket = make({ ...quick, WebSocket: Ping, heartbeat: false })
    await flush()
    const old = FakeWebSocket.last() as FakePingWebSocket
    old.open()
    old.holdSends = true
    socket.send('unsent')
    const events = closes(socket)
    socket.reconnect()
    expect(events[0]).toMatchObject({ code: 1000, wasClean: false, willReconnect: true })
    expect(socket.readyState).toBe(0)
  })
})

describe('an error before the connection opens', () => {
  test('ends the attempt at once, even when no close event follows (Node’s own WebSocket)', async () => {
    const socket = make({ ...quick, connectTimeout: 60_000 })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    await flush()
    const first = FakeWebSocket.last()
    first.onerror?.({ type: 'error' })
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(2)
    // A late close from the failed socket changes nothing: one error, one close per attempt.
    first.serverClose(1006)
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
  })

  test('after opening, an error is reported and the close that follows ends the connection', async () => {
    const socket = make(quick)
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.onerror?.({ type: 'error' })
    expect(log).toEqual(['error'])
    expect(socket.state).toBe('open')
    ws.serverClose(1006)
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
  })
})

describe('connectTimeout', () => {
  test('Infinity arms no timer: the attempt waits as long as the implementation does', async () => {
    const socket = make({ connectTimeout: Number.POSITIVE_INFINITY, heartbeat: false })
    await flush()
    expect(vi.getTimerCount()).toBe(0)
    await flush(3_600_000)
    expect(socket.state).toBe('connecting')
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })
})

describe('the connection in use', () => {
  test('an attempt left behind cannot open later, even through its old handlers', async () => {
    const socket = make(quick)
    await flush()
    const first = FakeWebSocket.last()
    const { onopen, onmessage } = first
    socket.reconnect()
    const log = recordEvents(socket, ['open', 'message'])
    onopen?.({ type: 'open' })
    expect(log).toEqual([])
    expect(socket.state).toBe('connecting')
    FakeWebSocket.last().open()
    expect(log).toEqual(['open:0:false'])
    expect(onmessage).toBeTypeOf('function')
  })

  test('stats count the attempts that failed and the connections that opened', async () => {
    const socket = make(quick)
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().open()
    expect(socket.stats).toMatchObject({ attemptsFailed: 1, connectionsOpened: 1 })
  })
})

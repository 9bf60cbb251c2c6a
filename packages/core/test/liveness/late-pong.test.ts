import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { ResilientWebSocket, type WebSocketConstructor } from '../../src'
import { FakeWebSocket } from '../helpers/fake-websocket'

let socket: ResilientWebSocket | undefined

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.reset()
})

afterEach(() => {
  socket?.close()
  socket = undefined
  const left = vi.getTimerCount()
  vi.clearAllTimers()
  vi.useRealTimers()
  FakeWebSocket.reset()
  expect(left, 'timers left after close()').toBe(0)
})

test('a pong that arrives during the close handshake is consumed, not delivered as a message', async () => {
  socket = new ResilientWebSocket('ws://late-pong.test/feed', {
    WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
    heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
    lifecycle: { network: false, foreground: false },
  })
  const messages: unknown[] = []
  socket.on('message', (event) => messages.push(event.data))
  await vi.advanceTimersByTimeAsync(0)
  const ws = FakeWebSocket.last()
  ws.open()
  await vi.advanceTimersByTimeAsync(1000)
  expect(ws.sent).toEqual(['ping'])

  socket.close()
  expect(socket.state).toBe('closing')
  ws.receive('pong')
  ws.receive('last words')
  ws.serverClose(1000, '', true)

  expect(socket.state).toBe('closed')
  expect(messages).toEqual(['last words'])
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { expect, test, vi } from 'vitest'
import { useFakeSockets } from '../helpers/fake-sockets'
import { advanceUntil, heartbeatSlack } from './fake-clock'

const make = useFakeSockets()

test('a pong that arrives during the close handshake is consumed, not delivered as a message', async () => {
  const socket = make({
    heartbeat: { interval: 1000, timeout: 500, message: 'ping', isPong: (data) => data === 'pong' },
  })
  const messages: unknown[] = []
  socket.on('message', (event) => messages.push(event.data))
  await vi.advanceTimersByTimeAsync(0)
  const ws = FakeWebSocket.last()
  ws.open()
  await advanceUntil(() => ws.sent.length === 1, 1000 + heartbeatSlack(1000, 500))
  expect(ws.sent).toEqual(['ping'])
  // The peer is not silent (it spoke after the ping), so close() waits for its close frame.
  ws.receive('still here')

  socket.close()
  expect(socket.state).toBe('closing')
  ws.receive('pong')
  ws.receive('last words')
  ws.serverClose(1000, '', true)

  expect(socket.state).toBe('closed')
  expect(messages).toEqual(['still here', 'last words'])
})

import { TestServer, WebSocket } from '@lifeline/testing/server'
import { nextEvent } from '@lifeline/testing/wait'
import { afterEach, expect, test } from 'vitest'
import { ResilientWebSocket } from '../src'

let server: TestServer
let socket: ResilientWebSocket
afterEach(async () => {
  socket?.close()
  await server?.stop()
})

test('connects, exchanges messages, reconnects after the server drops it', async () => {
  server = await TestServer.start()
  socket = new ResilientWebSocket(server.url, undefined, {
    WebSocket,
    reconnect: { minDelay: 10, maxDelay: 50 },
  })
  const opened = await nextEvent(socket, 'open')
  expect(opened.reconnected).toBe(false)
  socket.send('hello')
  const client = await server.connection(1)
  expect(await client.next()).toBe('hello')
  client.socket.send('back')
  const message = await nextEvent(socket, 'message')
  expect(String(message.data)).toBe('back')
  server.terminateAll()
  const close = await nextEvent(socket, 'close')
  expect(close.willReconnect).toBe(true)
  socket.send('while away')
  const reopened = await nextEvent(socket, 'open')
  expect(reopened.reconnected).toBe(true)
  const second = await server.connection(2)
  expect(await second.next()).toBe('while away')
})

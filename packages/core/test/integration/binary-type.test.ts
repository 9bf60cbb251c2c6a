import { TestServer, WebSocket } from '@lifeline/testing/server'
import { nextEvent } from '@lifeline/testing/wait'
import { afterEach, expect, test } from 'vitest'
import { ResilientWebSocket } from '../../src'

let server: TestServer
let socket: ResilientWebSocket
afterEach(async () => {
  socket?.close()
  await server?.stop()
})

test('with ws, binary messages arrive as a Blob until binaryType is set, as in a page, then as ArrayBuffers', async () => {
  server = await TestServer.start()
  socket = new ResilientWebSocket(server.url, { WebSocket, heartbeat: false })
  expect(socket.binaryType).toBe('blob')
  await nextEvent(socket, 'open')
  const client = await server.connection(1)

  client.socket.send(new Uint8Array([1, 2, 3]))
  const blob = (await nextEvent(socket, 'message')).data
  expect(blob).toBeInstanceOf(Blob)
  expect(new Uint8Array(await (blob as Blob).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]))

  socket.binaryType = 'arraybuffer'
  client.socket.send(new Uint8Array([4, 5]))
  const buffer = (await nextEvent(socket, 'message')).data
  expect(buffer).toBeInstanceOf(ArrayBuffer)
  expect((buffer as ArrayBuffer).byteLength).toBe(2)

  client.socket.send('text')
  expect((await nextEvent(socket, 'message')).data).toBe('text')
})

import { nextEvent, recordEvents, until } from '@lifeline/testing/wait'
import { ws } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { ResilientWebSocket } from '../../src'

// msw intercepts `globalThis.WebSocket`, which Node 20 lacks: `ws` stands in for it before `listen()` swaps it.
const api = ws.link('ws://api.example.test/socket')
const server = setupServer()
const holder = globalThis as { WebSocket?: unknown }
const originalWebSocket = holder.WebSocket

let sockets: ResilientWebSocket[] = []

beforeAll(() => {
  holder.WebSocket ??= WebSocket
  server.listen({ onUnhandledRequest: 'error' })
})

afterEach(() => {
  for (const socket of sockets) socket.close()
  sockets = []
  server.resetHandlers()
})

afterAll(() => {
  server.close()
  if (originalWebSocket === undefined) delete holder.WebSocket
  else holder.WebSocket = originalWebSocket
})

/** No `WebSocket` option: lifeline looks up the global at each attempt, which msw has replaced. */
function connect(): ResilientWebSocket {
  const socket = new ResilientWebSocket('ws://api.example.test/socket', {
    reconnect: { minDelay: 10, maxDelay: 100 },
  })
  sockets.push(socket)
  return socket
}

test('opens through the mock, sends, and receives what the mock sends', async () => {
  const received: string[] = []
  server.use(
    api.addEventListener('connection', ({ client }) => {
      client.send('welcome')
      client.addEventListener('message', (event) => {
        received.push(String(event.data))
        client.send(`echo:${event.data}`)
      })
    }),
  )
  const socket = connect()
  const messages: unknown[] = []
  socket.on('message', (event) => messages.push(event.data))
  socket.send('queued before open')
  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 0, reconnected: false })
  expect(socket.url).toBe('ws://api.example.test/socket')
  socket.send('hello')

  await until(() => messages.length === 3, 5000, 'three messages from the mock')
  expect(messages).toEqual(['welcome', 'echo:queued before open', 'echo:hello'])
  expect(received).toEqual(['queued before open', 'hello'])
})

test('the mock closes the connection: lifeline reconnects and the mock sees a second connection', async () => {
  const connections: string[][] = []
  server.use(
    api.addEventListener('connection', ({ client }) => {
      const received: string[] = []
      connections.push(received)
      client.addEventListener('message', (event) => {
        received.push(String(event.data))
        if (event.data === 'restart, please') client.close(1012, 'service restart')
      })
    }),
  )
  const socket = connect()
  await nextEvent(socket, 'open')
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const closed = nextEvent(socket, 'close')
  socket.send('restart, please')
  const close = await closed
  expect(close).toMatchObject({ code: 1012, reason: 'service restart', willReconnect: true })
  expect(socket.readyState).toBe(ResilientWebSocket.CONNECTING)
  socket.send('while away')

  const reopened = await nextEvent(socket, 'open')
  expect(reopened.reconnected).toBe(true)
  expect(connections).toHaveLength(2)
  await until(() => connections[1]!.length >= 1, 5000, 'the queued message at the second connection')
  expect(connections).toEqual([['restart, please'], ['while away']])
  expect(log).toEqual(['close:1012:true', 'reconnecting:1', 'open:1:true'])
})

test('the mock closes with 1008: lifeline does not reconnect', async () => {
  let connections = 0
  server.use(
    api.addEventListener('connection', ({ client }) => {
      connections++
      client.addEventListener('message', () => client.close(1008, 'forbidden'))
    }),
  )
  const socket = connect()
  await nextEvent(socket, 'open')
  const log = recordEvents(socket, ['close', 'reconnecting', 'open'])
  const closed = nextEvent(socket, 'close')
  socket.send('something forbidden')
  const close = await closed
  expect(close).toMatchObject({ code: 1008, reason: 'forbidden', willReconnect: false })
  expect(socket.state).toBe('closed')
  expect(socket.readyState).toBe(ResilientWebSocket.CLOSED)
  expect(log).toEqual(['close:1008:false'])
  expect(connections).toBe(1)
})

test('the mock refuses connections before they open: each is a failed attempt, retried', async () => {
  let connections = 0
  server.use(
    api.addEventListener('connection', ({ client }) => {
      if (++connections <= 2) client.close(1013, 'busy')
    }),
  )
  const socket = connect()
  const log = recordEvents(socket, ['close', 'reconnecting', 'open'])
  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 2, reconnected: false })
  expect(connections).toBe(3)
  expect(log).toEqual(['close:1013:true', 'reconnecting:1', 'close:1013:true', 'reconnecting:2', 'open:2:false'])
})

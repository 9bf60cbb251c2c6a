import type { IncomingMessage } from 'node:http'
import { TestServer, WebSocket } from '@lifeline/testing/server'
import { closedPort } from '@lifeline/testing/upgrade-server'
import { nextEvent, recordEvents, until } from '@lifeline/testing/wait'
import { afterEach, expect, test, vi } from 'vitest'
import { ResilientWebSocket, type ResilientWebSocketEventMap, type ResilientWebSocketOptions } from '../../src'

const FAST = { minDelay: 10, maxDelay: 100 }

let sockets: ResilientWebSocket[] = []
let servers: TestServer[] = []

afterEach(async () => {
  for (const socket of sockets) socket.close()
  for (const server of servers) await server.stop()
  sockets = []
  servers = []
})

async function startServer(options: Parameters<typeof TestServer.start>[0] = {}): Promise<TestServer> {
  const server = await TestServer.start(options)
  servers.push(server)
  return server
}

function connect(
  url: ConstructorParameters<typeof ResilientWebSocket>[0],
  options: ResilientWebSocketOptions = {},
  protocols?: string | string[] | (() => string[]),
): ResilientWebSocket {
  const socket = new ResilientWebSocket(url, protocols, { WebSocket, reconnect: FAST, ...options })
  sockets.push(socket)
  return socket
}

/** `readyState` at every event of the given types, in order. */
function recordReadyStates(socket: ResilientWebSocket, types: (keyof ResilientWebSocketEventMap)[]): number[] {
  const states: number[] = []
  for (const type of types) socket.on(type, () => states.push(socket.readyState))
  return states
}

/** The request of every connection a server accepts from now on. */
function recordRequests(server: TestServer): IncomingMessage[] {
  const requests: IncomingMessage[] = []
  server.wss.on('connection', (_socket, request) => requests.push(request))
  return requests
}

test('the server drops every connection without a close frame: close 1006, reconnecting, open again', async () => {
  const server = await startServer()
  const socket = connect(server.url)
  expect((await nextEvent(socket, 'open')).reconnected).toBe(false)
  socket.send('before')
  const first = await server.connection(1)
  expect(await first.next()).toBe('before')

  const log = recordEvents(socket, ['close', 'reconnecting', 'open'])
  const closed = nextEvent(socket, 'close')
  server.terminateAll()
  const close = await closed
  expect(close).toMatchObject({ code: 1006, wasClean: false, willReconnect: true })
  expect(socket.readyState).toBe(ResilientWebSocket.CONNECTING)

  expect(socket.send('away-1')).toBe(true)
  expect(socket.send('away-2')).toBe(true)
  expect(socket.send('away-3')).toBe(true)
  expect(socket.queued).toEqual(['away-1', 'away-2', 'away-3'])

  const reopened = await nextEvent(socket, 'open')
  expect(reopened.reconnected).toBe(true)
  expect(reopened.attempt).toBe(1)
  expect(socket.readyState).toBe(ResilientWebSocket.OPEN)
  expect(log).toEqual(['close:1006:true', 'reconnecting:1', 'open:1:true'])

  socket.send('after')
  const second = await server.connection(2)
  expect([await second.next(), await second.next(), await second.next(), await second.next()]).toEqual([
    'away-1',
    'away-2',
    'away-3',
    'after',
  ])
  expect(first.messages).toEqual(['before'])
  expect(socket.queued).toEqual([])
})

test('the server goes away and comes back on the same port: the client keeps retrying, then reconnects', async () => {
  const server = await startServer()
  const socket = connect(server.url)
  await nextEvent(socket, 'open')

  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const readyStates = recordReadyStates(socket, ['error', 'close', 'reconnecting', 'state'])
  const states: string[] = []
  socket.on('state', (event) => states.push(event.state))
  await server.stop()

  // Wait for several failed attempts against the stopped server.
  await until(() => log.filter((entry) => entry === 'error').length >= 3, 5000, 'three failed attempts')
  expect(readyStates.every((state) => state === WebSocket.CONNECTING)).toBe(true)
  expect(socket.readyState).toBe(WebSocket.CONNECTING)

  const reopened = nextEvent(socket, 'open')
  await server.restart()
  const open = await reopened
  expect(open.reconnected).toBe(true)
  expect(open.attempt).toBeGreaterThanOrEqual(4)
  await server.connection(2)

  // The loss (no error: the server terminated the connection), then failed attempts: error, close, reconnecting.
  const opened = log.indexOf(`open:${open.attempt}:true`)
  expect(log.slice(0, 2)).toEqual(['close:1006:true', 'reconnecting:1'])
  const failures = log.slice(2, opened)
  expect(failures.length % 3).toBe(0)
  for (let i = 0; i < failures.length; i += 3) {
    expect(failures.slice(i, i + 3)).toEqual(['error', 'close:1006:true', `reconnecting:${i / 3 + 2}`])
  }
  expect(failures.length / 3).toBeGreaterThanOrEqual(3)

  // CONNECTING throughout: retry timers ('reconnecting') and handshakes ('connecting') alternate, never 'closed'.
  expect(readyStates.slice(0, -1).every((state) => state === WebSocket.CONNECTING)).toBe(true)
  expect(readyStates.at(-1)).toBe(WebSocket.OPEN)
  expect(states.at(-1)).toBe('open')
  expect(states.slice(0, -1).every((state) => state === 'reconnecting' || state === 'connecting')).toBe(true)
  expect(states.filter((state) => state === 'reconnecting').length).toBeGreaterThanOrEqual(4)
})

test('a close with code 1008 (policy) stops reconnecting', async () => {
  const server = await startServer()
  server.wss.on('connection', (ws) => ws.close(1008, 'not allowed'))
  const socket = connect(server.url)
  const log = recordEvents(socket, ['open', 'close', 'reconnecting'])
  const close = await nextEvent(socket, 'close')
  expect(close).toMatchObject({ code: 1008, reason: 'not allowed', wasClean: true, willReconnect: false })
  expect(socket.state).toBe('closed')
  expect(socket.readyState).toBe(ResilientWebSocket.CLOSED)
  expect(log).toEqual(['open:0:false', 'close:1008:false'])
  expect(server.clients).toHaveLength(1)
})

test('shouldReconnect returning true reconnects after 1008', async () => {
  const server = await startServer()
  let accepted = 0
  server.wss.on('connection', (ws) => {
    if (++accepted === 1) ws.close(1008, 'try again')
  })
  const shouldReconnect = vi.fn(() => true)
  const socket = connect(server.url, { shouldReconnect })
  await nextEvent(socket, 'open')
  const close = await nextEvent(socket, 'close')
  expect(close).toMatchObject({ code: 1008, willReconnect: true })
  const reopened = await nextEvent(socket, 'open')
  expect(reopened.reconnected).toBe(true)
  await server.connection(2)
  expect(shouldReconnect).toHaveBeenCalledTimes(1)
  const [event, ctx] = shouldReconnect.mock.calls[0] as unknown as [{ code: number }, { attempt: number }]
  expect(event.code).toBe(1008)
  expect(ctx.attempt).toBe(1)
})

test('a custom fatal close code stops reconnecting; other codes still reconnect', async () => {
  const server = await startServer()
  let accepted = 0
  server.wss.on('connection', (ws) => ws.close(++accepted === 1 ? 4002 : 4001, `close #${accepted}`))
  const socket = connect(server.url, { fatalCloseCodes: [1008, 4001] })
  const log = recordEvents(socket, ['open', 'close', 'reconnecting'])
  const final = await nextEvent(socket, 'close', 5000, (event) => !event.willReconnect)
  expect(final).toMatchObject({ code: 4001, reason: 'close #2', willReconnect: false })
  expect(socket.state).toBe('closed')
  expect(log).toEqual(['open:0:false', 'close:4002:true', 'reconnecting:1', 'open:1:true', 'close:4001:false'])
  expect(server.clients).toHaveLength(2)
})

test('close() while waiting to retry against a stopped server: no further attempts', async () => {
  const server = await startServer()
  const created: WebSocket[] = []
  const socket = connect(server.url, {
    createWebSocket: (url, protocols) => {
      const ws = new WebSocket(url, protocols)
      created.push(ws)
      return ws
    },
  })
  await nextEvent(socket, 'open')
  await server.stop()
  // A failed attempt against the stopped server, then a retry timer waits.
  await nextEvent(socket, 'reconnecting', 5000, (event) => event.attempt >= 2)
  expect(socket.state).toBe('reconnecting')

  const log = recordEvents(socket, ['open', 'close', 'error', 'reconnecting', 'state'])
  const attempts = created.length
  socket.close()
  expect(log).toEqual(['state:closed', 'close:1005:false'])
  expect(socket.state).toBe('closed')
  expect(socket.readyState).toBe(ResilientWebSocket.CLOSED)
  expect(() => socket.send('late')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))

  // Bounded negative check: twice the largest retry delay passes without a connection to the restarted server.
  await server.restart()
  await expect(server.connection(2, 2 * FAST.maxDelay)).rejects.toThrow(/not reached/)
  expect(created).toHaveLength(attempts)
  expect(log).toEqual(['state:closed', 'close:1005:false'])
  // Nothing is left pending: every socket any attempt created is closed.
  expect(created.map((ws) => ws.readyState)).toEqual(created.map(() => WebSocket.CLOSED))
})

test('protocols are negotiated with a real server, on every connection', async () => {
  const server = await startServer({
    handleProtocols: (offered: Set<string>) => (offered.has('chat.v2') ? 'chat.v2' : false),
  })
  const requests = recordRequests(server)
  const socket = connect(server.url, {}, ['chat.v1', 'chat.v2'])
  await nextEvent(socket, 'open')
  expect(socket.protocol).toBe('chat.v2')
  expect((await server.connection(1)).socket.protocol).toBe('chat.v2')
  expect(requests[0]?.headers['sec-websocket-protocol']).toBe('chat.v1,chat.v2')

  server.terminateAll()
  await nextEvent(socket, 'open')
  expect(socket.protocol).toBe('chat.v2')
  expect((await server.connection(2)).socket.protocol).toBe('chat.v2')
})

test('an http:// URL is accepted and connects as ws://', async () => {
  const server = await startServer()
  const requests = recordRequests(server)
  const socket = connect(`http://127.0.0.1:${server.port}/feed?since=7`)
  expect(socket.url).toBe(`ws://127.0.0.1:${server.port}/feed?since=7`)
  await nextEvent(socket, 'open')
  expect(requests[0]?.url).toBe('/feed?since=7')
  socket.send('over http url')
  expect(await (await server.connection(1)).next()).toBe('over http url')
})

test('an async URL provider gives a fresh URL for every attempt (failover across endpoints)', async () => {
  const server = await startServer()
  const requests = recordRequests(server)
  const dead = await closedPort()
  let calls = 0
  // Odd attempts go to an endpoint that is down, even ones to the live server.
  const url = vi.fn(async () => {
    calls++
    return calls % 2 === 1 ? `ws://127.0.0.1:${dead}/?attempt=${calls}` : `${server.url}/?attempt=${calls}`
  })
  const socket = connect(url)
  expect(socket.url).toBe('')
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])

  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 1, reconnected: false })
  expect(socket.url).toBe(`${server.url}/?attempt=2`)
  expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1', 'open:1:false'])

  server.terminateAll()
  const reopened = await nextEvent(socket, 'open')
  expect(reopened.reconnected).toBe(true)
  expect(url).toHaveBeenCalledTimes(4)
  expect(socket.url).toBe(`${server.url}/?attempt=4`)
  expect(requests.map((request) => request.url)).toEqual(['/?attempt=2', '/?attempt=4'])
  // The connection did not stay open `stableAfter` ms, so the retry count carries on from the first failure.
  expect(log.slice(4)).toEqual([
    'close:1006:true',
    'reconnecting:2',
    'error',
    'close:1006:true',
    'reconnecting:3',
    'open:3:true',
  ])
})

test('createWebSocket builds each attempt with ws options (headers) and wins over the WebSocket option', async () => {
  const server = await startServer()
  const requests = recordRequests(server)
  let made = 0
  const Unused = vi.fn()
  const socket = connect(server.url, {
    WebSocket: Unused as unknown as ResilientWebSocketOptions['WebSocket'],
    createWebSocket: (url, protocols) =>
      new WebSocket(url, protocols, { headers: { authorization: `Bearer token-${++made}` } }),
  })
  await nextEvent(socket, 'open')
  server.terminateAll()
  await nextEvent(socket, 'open')
  expect(requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2'])
  expect(Unused).not.toHaveBeenCalled()
})

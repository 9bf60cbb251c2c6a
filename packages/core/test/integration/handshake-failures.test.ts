import { TestServer, WebSocket } from '@lifeline/testing/server'
import { UpgradeServer } from '@lifeline/testing/upgrade-server'
import { nextEvent, recordEvents } from '@lifeline/testing/wait'
import { afterEach, expect, test } from 'vitest'
import { CONNECT_TIMEOUT, ResilientWebSocket, type ResilientWebSocketOptions } from '../../src'

const FAST = { minDelay: 10, maxDelay: 100 }

/** What `recordEvents` logs for two failed attempts in a row, each followed by its retry. */
const TWO_FAILED_ATTEMPTS = ['error', 'close:1006:true', 'reconnecting:1', 'error', 'close:1006:true', 'reconnecting:2']

let sockets: ResilientWebSocket[] = []
let stoppers: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const socket of sockets) socket.close()
  for (const stop of stoppers) await stop()
  sockets = []
  stoppers = []
})

function connect(url: string, options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  const socket = new ResilientWebSocket(url, { WebSocket, ...options, reconnect: { ...FAST, ...options.reconnect } })
  sockets.push(socket)
  return socket
}

/** A `ws` server whose `verifyClient` refuses the first `refusals` handshakes with HTTP 401, then accepts. */
async function unauthorizedServer(refusals: number): Promise<{ server: TestServer; calls: () => number }> {
  let calls = 0
  const server = await TestServer.start({
    verifyClient: (_info: unknown, done: (ok: boolean, code?: number, message?: string) => void) => {
      calls++
      if (calls <= refusals) done(false, 401, 'Unauthorized')
      else done(true)
    },
  })
  stoppers.push(() => server.stop())
  return { server, calls: () => calls }
}

async function upgradeServer(mode: UpgradeServer['mode']): Promise<UpgradeServer> {
  const server = await UpgradeServer.start(mode)
  stoppers.push(() => server.stop())
  return server
}

test('HTTP 401 on the handshake is a failed attempt (error, close 1006) that is retried', async () => {
  const { server, calls } = await unauthorizedServer(2)
  const socket = connect(server.url)
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const readyStates: number[] = []
  socket.on('close', () => readyStates.push(socket.readyState))
  const firstError = nextEvent(socket, 'error')

  expect(String((await firstError).error)).toContain('401')
  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 2, reconnected: false })
  expect(log).toEqual([...TWO_FAILED_ATTEMPTS, 'open:2:false'])
  expect(readyStates).toEqual([WebSocket.CONNECTING, WebSocket.CONNECTING])
  expect(calls()).toBe(3)
  await server.connection(1)
})

test('HTTP 401 on every attempt: with maxAttempts it gives up with a final close', async () => {
  const { server, calls } = await unauthorizedServer(Number.POSITIVE_INFINITY)
  const socket = connect(server.url, { reconnect: { maxAttempts: 3 } })
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const final = await nextEvent(socket, 'close', 5000, (event) => !event.willReconnect)
  expect(final).toMatchObject({ code: 1006, wasClean: false, willReconnect: false })
  expect(socket.state).toBe('closed')
  expect(socket.readyState).toBe(ResilientWebSocket.CLOSED)
  expect(calls()).toBe(3)
  expect(log).toEqual([...TWO_FAILED_ATTEMPTS, 'error', 'close:1006:false'])
  expect(server.clients).toHaveLength(0)
})

test('HTTP 503 on the handshake is a failed attempt that is retried until the server accepts', async () => {
  const server = await upgradeServer({ status: 503 })
  const socket = connect(server.url)
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const errors: unknown[] = []
  socket.on('error', (event) => errors.push(event.error))

  await server.attempt(2)
  server.mode = { accept: true }
  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 2, reconnected: false })
  expect(server.attempts).toHaveLength(3)
  expect(errors.map(String)).toEqual([expect.stringContaining('503'), expect.stringContaining('503')])
  expect(log).toEqual([...TWO_FAILED_ATTEMPTS, 'open:2:false'])
})

test('HTTP 503 on every attempt: with maxAttempts it gives up', async () => {
  const server = await upgradeServer({ status: 503 })
  const socket = connect(server.url, { reconnect: { maxAttempts: 2 } })
  const final = await nextEvent(socket, 'close', 5000, (event) => !event.willReconnect)
  expect(final).toMatchObject({ code: 1006, willReconnect: false })
  expect(socket.readyState).toBe(ResilientWebSocket.CLOSED)
  expect(server.attempts).toHaveLength(2)
  // Giving up is not final: send() still queues and reconnect() starts again.
  expect(socket.send('later')).toBe(true)
  server.mode = { accept: true }
  socket.reconnect()
  const open = await nextEvent(socket, 'open')
  expect(open.reconnected).toBe(false)
  expect(server.attempts).toHaveLength(3)
  expect(await server.receivedCount(1)).toEqual(['later'])
})

test('a server that never answers the handshake: connectTimeout drops the attempt and retries', async () => {
  const server = await upgradeServer({ hold: true })
  const socket = connect(server.url, { connectTimeout: 200 })
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const errored = nextEvent(socket, 'error')
  const closed = nextEvent(socket, 'close')

  await server.attempt(1)
  server.mode = { accept: true }
  const error = await errored
  expect(error.error).toMatchObject({ name: 'TimeoutError' })
  const close = await closed
  expect(close).toMatchObject({ code: 1006, reason: CONNECT_TIMEOUT, wasClean: false, willReconnect: true })
  expect(CONNECT_TIMEOUT).toBe('connect timeout')

  // The client, not the server, ended the held connection.
  await server.attemptClosed(1)
  const open = await nextEvent(socket, 'open')
  expect(open).toMatchObject({ attempt: 1, reconnected: false })
  expect(server.attempts).toHaveLength(2)
  expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1', 'open:1:false'])
})

test('a server that never answers: connectTimeout with maxAttempts gives up and closes every held socket', async () => {
  const server = await upgradeServer({ hold: true })
  const socket = connect(server.url, { connectTimeout: 100, reconnect: { maxAttempts: 2 } })
  const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
  const final = await nextEvent(socket, 'close', 5000, (event) => !event.willReconnect)
  expect(final).toMatchObject({ code: 1006, reason: CONNECT_TIMEOUT, willReconnect: false })
  expect(socket.state).toBe('closed')
  expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1', 'error', 'close:1006:false'])
  await server.attemptClosed(1)
  await server.attemptClosed(2)
  expect(server.attempts).toHaveLength(2)
})

test('a URL provider that rejects is a failed attempt reported as error, then retried', async () => {
  const server = await TestServer.start()
  stoppers.push(() => server.stop())
  let calls = 0
  const socket = new ResilientWebSocket(
    async () => {
      if (++calls === 1) throw new Error('token service unavailable')
      return server.url
    },
    { WebSocket, reconnect: FAST },
  )
  sockets.push(socket)
  const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
  const error = await nextEvent(socket, 'error')
  expect(String(error.error)).toContain('token service unavailable')
  await nextEvent(socket, 'open')
  expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1', 'open:1:false'])
  expect(calls).toBe(2)
})

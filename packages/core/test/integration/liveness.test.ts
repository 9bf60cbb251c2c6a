import { TestServer, WebSocket } from '@lifeline/testing/server'
import { TcpProxy } from '@lifeline/testing/tcp-proxy'
import { nextEvent, until } from '@lifeline/testing/wait'
import { afterEach, describe, expect, test } from 'vitest'
import { HEARTBEAT_TIMEOUT, ResilientWebSocket, type ResilientWebSocketOptions } from '../../src'

const INTERVAL = 200
const TIMEOUT = 200

let server: TestServer | undefined
let proxy: TcpProxy | undefined
let socket: ResilientWebSocket | undefined
const intervals: ReturnType<typeof setInterval>[] = []

afterEach(async () => {
  for (const interval of intervals.splice(0)) clearInterval(interval)
  socket?.close()
  socket = undefined
  await proxy?.close()
  proxy = undefined
  await server?.stop()
  server = undefined
})

/** A server that answers every text message 'ping' with 'pong', and counts protocol ping frames. */
async function startServer(): Promise<{ server: TestServer; pingFrames: () => number }> {
  const started = await TestServer.start()
  let frames = 0
  started.wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'ping') ws.send('pong')
    })
    ws.on('ping', () => frames++)
  })
  server = started
  return { server: started, pingFrames: () => frames }
}

function connect(url: string, options: ResilientWebSocketOptions): ResilientWebSocket {
  socket = new ResilientWebSocket(url, {
    WebSocket,
    reconnect: { minDelay: 20, maxDelay: 100 },
    connectTimeout: 1000,
    lifecycle: { network: false, foreground: false },
    ...options,
  })
  return socket
}

/** What a connection received, without the heartbeat's own pings. */
function appMessages(messages: string[]): string[] {
  return messages.filter((message) => message !== 'ping')
}

/**
 * Freezes the proxy under an open connection and checks the whole recovery: detection (close 1006, heartbeat
 * timeout), no reconnection while the path stays frozen, reconnection once it forwards again, and delivery of what
 * was sent meanwhile.
 */
async function freezeAndRecover(label: string, ws: ResilientWebSocket, testServer: TestServer, tcp: TcpProxy) {
  const firstOpen = await nextEvent(ws, 'open', 5000)
  expect(firstOpen.reconnected).toBe(false)
  const first = await testServer.connection(1)
  // The heartbeat works through the proxy before the freeze.
  const measured = await nextEvent(ws, 'latency', 5000)
  expect(measured.latency).toBeGreaterThanOrEqual(0)
  ws.send('before')
  await until(() => first.messages.includes('before'), 5000, 'message before the freeze')

  const closed = nextEvent(ws, 'close', 5000)
  tcp.freeze()
  const frozenAt = Date.now()
  const close = await closed
  const detectedAfter = Date.now() - frozenAt
  console.log(`${label}: dead connection detected ${detectedAfter} ms after the freeze`)
  expect(close.code).toBe(1006)
  expect(close.reason).toBe(HEARTBEAT_TIMEOUT)
  expect(close.wasClean).toBe(false)
  expect(close.willReconnect).toBe(true)

  ws.send('while away 1')
  ws.send('while away 2')
  expect(ws.queued).toEqual(['while away 1', 'while away 2'])
  // While the path stays frozen, new attempts reach the proxy but no further.
  const connectionsAtDetection = tcp.connections
  await until(() => tcp.connections > connectionsAtDetection, 5000, 'a reconnection attempt through the proxy')
  expect(ws.state).not.toBe('open')
  expect(testServer.clients).toHaveLength(1)

  const reopened = nextEvent(ws, 'open', 5000)
  tcp.unfreeze()
  const open = await reopened
  expect(open.reconnected).toBe(true)
  const second = await testServer.connection(2)
  await until(() => appMessages(second.messages).length >= 2, 5000, 'queued messages after reconnecting')
  expect(appMessages(second.messages)).toEqual(['while away 1', 'while away 2'])
  expect(appMessages(first.messages)).toEqual(['before'])
  expect(ws.queued).toEqual([])
}

describe('dead connection through a frozen TCP proxy', () => {
  test('application heartbeat: detected, reconnected, queued messages delivered', async () => {
    const { server: testServer } = await startServer()
    proxy = await TcpProxy.start(testServer.port)
    const messages: string[] = []
    const ws = connect(proxy.url, {
      heartbeat: { interval: INTERVAL, timeout: TIMEOUT, message: 'ping', isPong: (data) => String(data) === 'pong' },
    })
    ws.on('message', (event) => messages.push(String(event.data)))
    await freezeAndRecover('application heartbeat', ws, testServer, proxy)
    // Pongs were consumed by the heartbeat, never delivered as messages.
    expect(messages).not.toContain('pong')
    expect(testServer.clients[0]!.messages).toContain('ping')
  })

  test('protocol pings (ws ping/pong frames): detected, reconnected, queued messages delivered', async () => {
    const { server: testServer, pingFrames } = await startServer()
    proxy = await TcpProxy.start(testServer.port)
    const ws = connect(proxy.url, { heartbeat: { interval: INTERVAL, timeout: TIMEOUT } })
    await freezeAndRecover('protocol pings', ws, testServer, proxy)
    expect(pingFrames()).toBeGreaterThan(0)
    // No application pings were sent.
    expect(testServer.received).not.toContain('ping')
  })

  test('with ws and no heartbeat option, protocol pings are on by default', async () => {
    const { server: testServer, pingFrames } = await startServer()
    let comeBack = () => {}
    const ws = connect(testServer.url, {
      lifecycle: {
        network: false,
        foreground: {
          subscribe(listener) {
            comeBack = listener
            return () => {}
          },
        },
      },
    })
    await nextEvent(ws, 'open', 5000)
    expect(ws.latency).toBeUndefined()
    // The default interval is 25 s; coming back to the foreground checks the connection at once.
    const measured = nextEvent(ws, 'latency', 5000)
    comeBack()
    expect((await measured).latency).toBeGreaterThanOrEqual(0)
    expect(pingFrames()).toBe(1)
    expect(testServer.received).toEqual([])
  })
})

describe('a healthy, chatty connection', () => {
  test('sends no pings at all while traffic flows, and pings once it stops', async () => {
    const { server: testServer, pingFrames } = await startServer()
    testServer.wss.on('connection', (ws) => {
      let n = 0
      intervals.push(setInterval(() => ws.send(`tick ${n++}`), 20))
    })
    const ws = connect(testServer.url, { heartbeat: { interval: INTERVAL, timeout: TIMEOUT } })
    let ticks = 0
    ws.on('message', () => ticks++)
    await nextEvent(ws, 'open', 5000)
    // 60 messages 20 ms apart: about six heartbeat intervals of traffic.
    await until(() => ticks >= 60, 10_000, '60 messages')
    expect(pingFrames()).toBe(0)
    // When the traffic stops, the heartbeat takes over.
    for (const interval of intervals.splice(0)) clearInterval(interval)
    await until(() => pingFrames() > 0, 5000, 'a ping frame after the traffic stopped')
    const measured = await nextEvent(ws, 'latency', 5000)
    expect(measured.latency).toBeGreaterThanOrEqual(0)
    expect(ws.state).toBe('open')
  })
})

import type { ChildProcess } from 'node:child_process'
import { createServer, type IncomingMessage } from 'node:http'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import { forkWithHooks, isMain } from './child-process'

/**
 * A `ws` server on 127.0.0.1 in a process of its own, for runs with thousands of sockets (a process may hold 20,000
 * descriptors: one holding both ends of 10,000 connections runs out) and for crashes that a server in the same
 * process cannot show: `kill()` ends it with SIGKILL, and `startServerProcess({ port })` brings one back on the
 * same port. What it does with a connection depends on the path:
 *
 * - `/count?n=N`: counts the messages received and sends `done` when the N-th arrives
 * - `/echo`: sends every message back
 * - `/pause?ms=M`: stops reading the connection's TCP socket for M ms, then reads again
 * - `/pong`: answers every `ping` message with `pong`
 * - anything else: an idle connection (protocol pings are answered by `ws` itself)
 *
 * Times are epoch milliseconds with a fractional part (`performance.timeOrigin + performance.now()`), comparable
 * across processes on one machine.
 */
export interface ServerProcess {
  port: number
  /** The server process's id (to pin it to a CPU, see cpu-pin.ts). */
  pid: number
  /** When the server started listening. */
  listeningAt: number
  url(path: string): string
  /** When each WebSocket connection was accepted (upgrade done), in order; `path` keeps only those to that path. */
  accepted(path?: string): Promise<number[]>
  /**
   * When each TCP connection was accepted, in order: the clients' arrivals, before any of the server's own work
   * (a freshly started server is slow to complete its first upgrades, which would bunch them).
   */
  tcpAccepted(): Promise<number[]>
  /** Ends the process at once (SIGKILL): clients see their connections drop, then refused connections. */
  kill(): Promise<void>
  /** Ends the process (SIGTERM). */
  stop(): Promise<void>
}

const SERVE = '--serve'

/** Epoch ms, fractional. */
export function now(): number {
  return performance.timeOrigin + performance.now()
}

/**
 * Starts the server process; resolves once it listens (on `port`, or one the system chose). With `listenAt` (epoch
 * ms) the process starts at once but listens only from then: a crashed server comes back at a precise moment.
 */
export function startServerProcess({
  port = 0,
  listenAt = 0,
}: {
  port?: number
  listenAt?: number
} = {}): Promise<ServerProcess> {
  const child = forkWithHooks(fileURLToPath(import.meta.url), [SERVE, String(port), String(listenAt)])
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`server process exited (${code}) before listening`))
    child.once('error', reject)
    child.once('exit', failed)
    child.once('message', (message: { port: number; at: number }) => {
      child.off('exit', failed)
      resolve(handle(child, message.port, message.at))
    })
  })
}

function handle(child: ChildProcess, port: number, listeningAt: number): ServerProcess {
  let nextId = 0
  const pending = new Map<number, (value: unknown) => void>()
  child.on('message', (message: { id: number; value: unknown }) => {
    pending.get(message.id)?.(message.value)
    pending.delete(message.id)
  })
  child.on('exit', () => {
    for (const resolve of pending.values()) resolve(undefined)
    pending.clear()
  })
  const request = <T>(body: object): Promise<T> =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('the server process has exited'))
      const id = ++nextId
      pending.set(id, (value) =>
        value === undefined ? reject(new Error('the server process exited')) : resolve(value as T),
      )
      child.send({ id, ...body })
    })
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill(signal)
    })
  return {
    port,
    pid: child.pid!,
    listeningAt,
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    accepted: (path) => request<number[]>({ type: 'accepted', path }),
    tcpAccepted: () => request<number[]>({ type: 'tcp' }),
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  }
}

/** In the child: serves until the parent goes away. */
function serve(port: number): void {
  const accepted: { at: number; path: string }[] = []
  const tcp: number[] = []
  const http = createServer()
  http.on('connection', () => tcp.push(now()))
  const server = new WebSocketServer({ server: http, clientTracking: false, perMessageDeflate: false })
  server.on('connection', (ws, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1')
    accepted.push({ at: now(), path: url.pathname })
    ws.on('error', () => {})
    if (url.pathname === '/count') {
      const n = Number(url.searchParams.get('n'))
      let count = 0
      ws.on('message', () => {
        if (++count === n) ws.send('done')
      })
    } else if (url.pathname === '/echo') {
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }))
    } else if (url.pathname === '/pause') {
      request.socket.pause()
      setTimeout(() => request.socket.resume(), Number(url.searchParams.get('ms')))
    } else if (url.pathname === '/pong') {
      ws.on('message', (data) => {
        if (data.toString() === 'ping') ws.send('pong')
      })
    }
  })
  http.on('error', (error) => {
    console.error(`server process: ${error.message}`)
    process.exit(1)
  })
  http.listen({ host: '127.0.0.1', port, backlog: 4096 }, () => {
    const address = http.address()
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : port, at: now() })
  })
  process.on('message', (message: { id: number; type: string; path?: string }) => {
    if (message.type === 'tcp') process.send?.({ id: message.id, value: tcp })
    if (message.type === 'accepted') {
      const times = accepted.filter((entry) => message.path === undefined || entry.path === message.path)
      process.send?.({ id: message.id, value: times.map((entry) => entry.at) })
    }
  })
}

if (process.argv[2] === SERVE && isMain(import.meta.url)) {
  process.on('disconnect', () => process.exit(0))
  const listenAt = Number(process.argv[4])
  setTimeout(() => serve(Number(process.argv[3])), Math.max(0, listenAt - now()))
}

import { createServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net'
import { WebSocketServer } from 'ws'
import { Conditions } from './conditions'

/** What the server does with an upgrade request: complete it, answer with an HTTP status, or never answer. */
export type UpgradeMode = { accept: true } | { status: number } | { hold: true }

/** An upgrade request as the server saw it, and whether the client has since closed its TCP connection. */
export interface UpgradeAttempt {
  request: IncomingMessage
  socket: Socket
  closed: boolean
}

/**
 * A plain HTTP server on 127.0.0.1 (OS-chosen port) that decides how every WebSocket upgrade ends: `mode` can be
 * changed between attempts. Held sockets stay open until the client gives up on them or `stop()` runs.
 */
export class UpgradeServer {
  mode: UpgradeMode = { accept: true }
  attempts: UpgradeAttempt[] = []
  /** Every text message the accepted connections received, in arrival order. */
  received: string[] = []
  port = 0
  private readonly http: Server = createServer()
  private readonly wss = new WebSocketServer({ noServer: true })
  private readonly conditions = new Conditions('upgrade server')

  static async start(mode: UpgradeMode): Promise<UpgradeServer> {
    const server = new UpgradeServer()
    server.mode = mode
    await server.listen()
    return server
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  /** Resolves with the n-th upgrade request (1-based) once it has arrived. */
  async attempt(n: number, ms = 5000): Promise<UpgradeAttempt> {
    await this.conditions.wait(() => this.attempts.length >= n, ms, `upgrade request #${n}`)
    return this.attempts[n - 1]!
  }

  /** Resolves once `count` messages have arrived over accepted connections. */
  async receivedCount(count: number, ms = 5000): Promise<string[]> {
    await this.conditions.wait(() => this.received.length >= count, ms, `${count} messages`)
    return this.received
  }

  /** Resolves once the client has ended (or reset) the TCP connection of the n-th upgrade request. */
  async attemptClosed(n: number, ms = 5000): Promise<void> {
    await this.conditions.wait(() => this.attempts[n - 1]?.closed === true, ms, `upgrade request #${n} closed`)
  }

  async stop(): Promise<void> {
    for (const attempt of this.attempts) attempt.socket.destroy()
    for (const client of this.wss.clients) client.terminate()
    this.wss.close()
    await new Promise<void>((resolve) => this.http.close(() => resolve()))
  }

  private async listen(): Promise<void> {
    this.http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const attempt: UpgradeAttempt = { request, socket, closed: false }
      this.attempts.push(attempt)
      socket.on('error', () => {})
      const closed = () => {
        attempt.closed = true
        this.conditions.check()
      }
      // After an upgrade the socket is half-open capable: the client's FIN arrives as 'end' without a 'close'.
      socket.on('end', closed)
      socket.on('close', closed)
      this.conditions.check()
      const mode = this.mode
      if ('accept' in mode) {
        this.wss.handleUpgrade(request, socket, head, (ws) => {
          ws.on('error', () => {})
          ws.on('message', (data) => {
            this.received.push(String(data))
            this.conditions.check()
          })
        })
      } else if ('status' in mode) {
        socket.end(`HTTP/1.1 ${mode.status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      } else {
        // Read (and ignore) whatever comes, so that the client's end of the connection is noticed.
        socket.resume()
      }
    })
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject)
      this.http.listen(0, '127.0.0.1', () => resolve())
    })
    this.port = (this.http.address() as AddressInfo).port
  }
}

/** A port on 127.0.0.1 that nothing listens on (bound by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

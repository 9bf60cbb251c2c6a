import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import { Conditions } from './conditions'

/** A connection as the test server sees it, with every message it received queued in order. */
export interface ServerClient {
  socket: WebSocket
  messages: string[]
  /** Resolves with the next message not yet taken (bounded wait). */
  next(ms?: number): Promise<string>
}

/**
 * A real `ws` server on 127.0.0.1 with an OS-chosen port. `restart()` listens again on the same port.
 */
export class TestServer {
  wss!: WebSocketServer
  port = 0
  clients: ServerClient[] = []
  /** Every message any connection received, in arrival order. */
  received: string[] = []
  private readonly conditions = new Conditions('test server')

  static async start(options: { port?: number; verifyClient?: any; handleProtocols?: any } = {}): Promise<TestServer> {
    const server = new TestServer()
    await server.listen(options)
    return server
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  async listen(options: { port?: number; verifyClient?: any; handleProtocols?: any } = {}): Promise<void> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? this.port, ...options })
    await new Promise<void>((resolve, reject) => {
      this.wss.once('listening', resolve)
      this.wss.once('error', reject)
    })
    this.port = (this.wss.address() as AddressInfo).port
    this.wss.on('connection', (socket) => {
      const client: ServerClient = {
        socket,
        messages: [],
        next: (ms = 5000) => this.take(client, ms),
      }
      socket.on('message', (data, isBinary) => {
        const text = isBinary ? `binary:${(data as Buffer).length}` : data.toString()
        client.messages.push(text)
        this.received.push(text)
        this.conditions.check()
      })
      this.clients.push(client)
      this.conditions.check()
    })
  }

  /** Resolves with the n-th connection (1-based) once it exists. */
  async connection(n = this.clients.length + 1, ms = 5000): Promise<ServerClient> {
    await this.conditions.wait(() => this.clients.length >= n, ms, `connection #${n}`)
    return this.clients[n - 1]!
  }

  /** Resolves once `count` messages have arrived in all. */
  async receivedCount(count: number, ms = 5000): Promise<string[]> {
    await this.conditions.wait(() => this.received.length >= count, ms, `${count} messages`)
    return this.received
  }

  /** Drops every connection without a close frame. */
  terminateAll(): void {
    for (const client of this.wss.clients) client.terminate()
  }

  /** Stops listening and drops every connection. */
  async stop(): Promise<void> {
    this.terminateAll()
    await new Promise<void>((resolve) => this.wss.close(() => resolve()))
  }

  /** Listens again on the same port. */
  async restart(): Promise<void> {
    await this.listen({ port: this.port })
  }

  private async take(client: ServerClient, ms: number): Promise<string> {
    const index = (client as ServerClient & { taken?: number }).taken ?? 0
    await this.conditions.wait(() => client.messages.length > index, ms, 'a message')
    ;(client as ServerClient & { taken?: number }).taken = index + 1
    return client.messages[index]!
  }
}

export { WebSocket }

import { type AddressInfo, createServer, type Server, Socket } from 'node:net'

/** One client connection and its upstream connection. */
interface Pair {
  client: Socket
  upstream: Socket
  /** One side closed while the proxy was frozen: the other follows on unfreeze. */
  ended: boolean
}

/**
 * A TCP proxy on 127.0.0.1 (OS-chosen port) in front of a server on 127.0.0.1. `freeze()` makes every connection
 * half-open as a dead peer would: both TCP connections stay open but nothing is forwarded either way, and nothing
 * is buffered by the proxy or dropped (unread bytes stay in the kernel). Connections made while frozen are accepted
 * and frozen too. `unfreeze()` forwards again.
 */
export class TcpProxy {
  private server!: Server
  private readonly pairs = new Set<Pair>()
  private frozen = false
  port = 0
  /** Connections accepted so far. */
  connections = 0

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort)
    await proxy.listen()
    return proxy
  }

  /** A ws:// URL that reaches the target through the proxy. */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  get isFrozen(): boolean {
    return this.frozen
  }

  /** Stops forwarding in both directions on every connection, present and future. */
  freeze(): void {
    this.frozen = true
    for (const pair of this.pairs) {
      pair.client.pause()
      pair.upstream.pause()
    }
  }

  /** Forwards again; connections whose other side went away meanwhile are ended now. */
  unfreeze(): void {
    this.frozen = false
    for (const pair of this.pairs) {
      pair.client.resume()
      pair.upstream.resume()
      if (pair.ended) {
        pair.client.end()
        pair.upstream.end()
      }
    }
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    for (const pair of [...this.pairs]) this.destroy(pair)
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async listen(): Promise<void> {
    this.server = createServer((client) => this.accept(client))
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
  }

  private accept(client: Socket): void {
    this.connections++
    const upstream = new Socket()
    const pair: Pair = { client, upstream, ended: false }
    this.pairs.add(pair)
    if (this.frozen) client.pause()
    upstream.connect(this.targetPort, '127.0.0.1')
    if (this.frozen) upstream.pause()
    this.forward(pair, client, upstream)
    this.forward(pair, upstream, client)
  }

  /** Copies `from` to `to` chunk by chunk; pausing `from` (freeze) stops the copy. */
  private forward(pair: Pair, from: Socket, to: Socket): void {
    from.on('data', (chunk) => {
      if (!to.write(chunk)) {
        from.pause()
        to.once('drain', () => {
          if (!this.frozen && this.pairs.has(pair)) from.resume()
        })
      }
    })
    // A reset or a refused upstream ends in 'close'; the proxy has nothing to report.
    from.on('error', () => {})
    // Paused sockets emit no 'end': a frozen proxy passes no FIN on.
    from.on('end', () => to.end())
    from.on('close', () => {
      if (this.frozen) pair.ended = true
      else to.end()
      if (pair.client.destroyed && pair.upstream.destroyed) this.pairs.delete(pair)
    })
  }

  private destroy(pair: Pair): void {
    this.pairs.delete(pair)
    pair.client.destroy()
    pair.upstream.destroy()
  }
}

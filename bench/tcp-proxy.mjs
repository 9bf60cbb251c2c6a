// A TCP proxy on 127.0.0.1, port 0, that can freeze its connections: it stops forwarding in both directions and
// keeps both TCP connections open, as a dead route or a hung peer does. Connections made after a freeze forward
// normally, so a client that drops a frozen connection can reconnect through the proxy.
import net from 'node:net'

export class TcpProxy {
  constructor(targetPort) {
    this.targetPort = targetPort
    this.pairs = new Set()
    this.server = net.createServer((client) => this.forward(client))
  }

  /** Starts listening; resolves with the proxy's port. */
  listen() {
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.port = this.server.address().port
        resolve(this.port)
      })
    })
  }

  forward(client) {
    const upstream = net.connect(this.targetPort, '127.0.0.1')
    const pair = { client, upstream, frozen: false }
    this.pairs.add(pair)
    const pipe = (from, to) => {
      from.on('data', (chunk) => {
        if (!to.write(chunk)) from.pause()
      })
      to.on('drain', () => {
        if (!pair.frozen) from.resume()
      })
    }
    pipe(client, upstream)
    pipe(upstream, client)
    const end = () => {
      this.pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    for (const socket of [client, upstream]) {
      socket.on('error', end)
      socket.on('close', end)
    }
  }

  /** Stops forwarding on every connection open now; the connections stay open. */
  freeze() {
    for (const pair of this.pairs) {
      pair.frozen = true
      pair.client.pause()
      pair.upstream.pause()
    }
  }

  /** Closes the proxy and every connection through it. */
  close() {
    for (const { client, upstream } of this.pairs) {
      client.destroy()
      upstream.destroy()
    }
    this.pairs.clear()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

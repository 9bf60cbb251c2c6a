// A WebSocket with no I/O that dispatches exactly as `ws`'s client does: the `onmessage`/`addEventListener` code is
// borrowed from `ws`'s own prototype, so a received message costs what it costs in `ws` (a MessageEvent is built and
// the handler called), and `send()` costs nothing. Using it directly is the "raw ws" baseline.
import { EventEmitter } from 'node:events'
import { WebSocket as Ws } from 'ws'

export class FakeSocket extends EventEmitter {
  static CONNECTING = 0
  static OPEN = 1
  static CLOSING = 2
  static CLOSED = 3
  /** The socket constructed last: wrappers create theirs internally. */
  static last = null

  constructor(url, protocols) {
    super()
    this.url = url
    this.protocols = protocols
    this.readyState = 0
    this.bufferedAmount = 0
    this.protocol = ''
    this.extensions = ''
    this.binaryType = 'nodebuffer'
    FakeSocket.last = this
  }

  send(_data) {}

  close(code, reason) {
    if (this.readyState >= 2) return
    this.readyState = 2
    setImmediate(() => {
      this.readyState = 3
      this.emit('close', code ?? 1005, Buffer.from(reason ?? ''))
    })
  }

  /** Opens the connection, as the server's handshake answer would. */
  open() {
    this.readyState = 1
    this.emit('open')
  }

  /** Delivers a text message the way `ws`'s receiver does. */
  receive(data) {
    this.emit('message', data, false)
  }
}

/** The same with `ws`'s protocol ping: lifeline's default heartbeat turns on for it. */
export class FakePingSocket extends FakeSocket {
  ping() {}

  terminate() {
    this.readyState = 3
  }
}

for (const name of ['addEventListener', 'removeEventListener']) {
  FakeSocket.prototype[name] = Ws.prototype[name]
}
for (const name of ['onopen', 'onmessage', 'onclose', 'onerror']) {
  Object.defineProperty(FakeSocket.prototype, name, Object.getOwnPropertyDescriptor(Ws.prototype, name))
}
for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
  Object.defineProperty(FakeSocket.prototype, name, { value, enumerable: true })
}

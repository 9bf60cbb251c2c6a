import { EventEmitter } from 'node:events'
import { WebSocket as Ws } from 'ws'

/**
 * A WebSocket with no I/O that dispatches exactly as `ws`'s client does: `onmessage`/`addEventListener` are taken
 * from `ws`'s own prototype, so a received message costs what it costs with `ws` (a MessageEvent is built and the
 * handler called), while `send()` costs nothing. Used directly it is the "raw ws" baseline of the dispatch benchmark;
 * given to a wrapper as its implementation it measures the wrapper's own cost per message.
 * Scripted like `FakeWebSocket`: `open()`, `receive(data)`; the instance built last is `DispatchingWebSocket.last`.
 */
export class DispatchingWebSocket extends EventEmitter {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  /** The socket constructed last: wrappers create theirs internally. */
  static last: DispatchingWebSocket | null = null

  readyState = 0
  bufferedAmount = 0
  protocol = ''
  extensions = ''
  binaryType = 'nodebuffer'
  declare onopen: ((event: unknown) => void) | null
  declare onmessage: ((event: unknown) => void) | null
  declare onclose: ((event: unknown) => void) | null
  declare onerror: ((event: unknown) => void) | null
  declare addEventListener: Ws['addEventListener']
  declare removeEventListener: Ws['removeEventListener']

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    super()
    DispatchingWebSocket.last = this
  }

  send(_data: unknown): void {}

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return
    this.readyState = 2
    setImmediate(() => {
      this.readyState = 3
      this.emit('close', code ?? 1005, Buffer.from(reason ?? ''))
    })
  }

  /** The handshake succeeds, as the server's answer would make it. */
  open(): void {
    this.readyState = 1
    this.emit('open')
  }

  /** Delivers a text message the way `ws`'s receiver does. */
  receive(data: string): void {
    this.emit('message', data, false)
  }
}

/** The same with `ws`'s protocol ping, so that lifeline's default heartbeat turns on for it. */
export class DispatchingPingWebSocket extends DispatchingWebSocket {
  ping(): void {}

  terminate(): void {
    this.readyState = 3
  }
}

for (const name of ['addEventListener', 'removeEventListener'] as const) {
  Object.defineProperty(DispatchingWebSocket.prototype, name, {
    value: Ws.prototype[name],
    writable: true,
    configurable: true,
  })
}
for (const name of ['onopen', 'onmessage', 'onclose', 'onerror'] as const) {
  Object.defineProperty(
    DispatchingWebSocket.prototype,
    name,
    Object.getOwnPropertyDescriptor(Ws.prototype, name) as PropertyDescriptor,
  )
}
for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
  Object.defineProperty(DispatchingWebSocket.prototype, name, { value, enumerable: true })
}

/**
 * A scripted WebSocket for unit tests: it does nothing by itself; the test opens it, feeds it messages, closes it
 * from the "server" side and sets its `bufferedAmount`. Every instance is recorded in `FakeWebSocket.instances`.
 */
export class FakeWebSocket {
  static instances: FakeWebSocket[] = []
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3

  /** Sockets that are neither closing nor closed. */
  static live(): FakeWebSocket[] {
    return FakeWebSocket.instances.filter((ws) => ws.readyState < 2)
  }

  static last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1)
    if (!ws) throw new Error('no FakeWebSocket was created')
    return ws
  }

  static reset(): void {
    FakeWebSocket.instances = []
  }

  readyState = 0
  bufferedAmount = 0
  protocol = ''
  extensions = ''
  binaryType = 'blob'
  onopen: ((event: any) => void) | null = null
  onmessage: ((event: any) => void) | null = null
  onclose: ((event: any) => void) | null = null
  onerror: ((event: any) => void) | null = null
  /** Everything passed to `send()`, in order. */
  sent: unknown[] = []
  /** Arguments of `close()` calls. */
  closeCalls: { code?: number; reason?: string }[] = []
  /** When set, `send()` adds each message's length to `bufferedAmount` (a server that does not read). */
  holdSends = false

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeWebSocket.instances.push(this)
  }

  send(data: unknown): void {
    if (this.readyState === 0) throw new Error('InvalidStateError: still connecting')
    this.sent.push(data)
    if (this.holdSends) this.bufferedAmount += typeof data === 'string' ? data.length : (data as ArrayBuffer).byteLength
  }

  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason })
    if (this.readyState >= 2) return
    this.readyState = 2
  }

  // ----- scripted server side -----

  /** The handshake succeeds. */
  open(protocol = ''): void {
    this.protocol = protocol
    this.readyState = 1
    this.onopen?.({ type: 'open' })
  }

  /** The server sends a message. */
  receive(data: unknown): void {
    this.onmessage?.({ type: 'message', data })
  }

  /** The connection ends (a close frame when `wasClean`, otherwise a drop). */
  serverClose(code = 1006, reason = '', wasClean = code !== 1006): void {
    this.readyState = 3
    this.onclose?.({ type: 'close', code, reason, wasClean })
  }

  /** The attempt fails as a browser reports it: `error`, then `close` 1006. */
  fail(): void {
    this.onerror?.({ type: 'error' })
    this.serverClose(1006, '', false)
  }

  /** Finishes a `close()` the client started. */
  finishClose(code = 1000, reason = ''): void {
    this.serverClose(code, reason, true)
  }
}

/** A FakeWebSocket that can send protocol pings, like `ws`. */
export class FakePingWebSocket extends FakeWebSocket {
  pings = 0
  terminated = false
  private frameListeners: Record<string, ((...args: any[]) => void)[]> = {}

  ping(): void {
    this.pings++
  }

  terminate(): void {
    this.terminated = true
    this.readyState = 3
  }

  on(event: string, listener: (...args: any[]) => void): this {
    this.frameListeners[event] = [...(this.frameListeners[event] ?? []), listener]
    return this
  }

  off(event: string, listener: (...args: any[]) => void): this {
    this.frameListeners[event] = (this.frameListeners[event] ?? []).filter((l) => l !== listener)
    return this
  }

  /** The server answers a ping. */
  pong(): void {
    for (const listener of this.frameListeners.pong ?? []) listener()
  }

  listenerCount(event: string): number {
    return (this.frameListeners[event] ?? []).length
  }
}

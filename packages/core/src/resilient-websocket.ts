import { CloseCode, CONNECT_TIMEOUT, HANDSHAKE_FAILED, HEARTBEAT_TIMEOUT } from './close-codes'
import { type SendData, toSendable } from './data'
import { domException } from './errors'
import { WebSocketEventTarget } from './event-target'
import {
  type ConnectionState,
  DropEvent,
  LatencyEvent,
  ReconnectingEvent,
  type ResilientWebSocketEventMap,
  SocketCloseEvent,
  SocketErrorEvent,
  SocketEvent,
  SocketMessageEvent,
  SocketOpenEvent,
  StateChangeEvent,
} from './events'
import { Heartbeat } from './heartbeat'
import { browserForeground, browserNetwork, type NetworkSignal } from './lifecycle'
import {
  DEFAULTS,
  type Provider,
  type ResilientWebSocketOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './options'
import { Outbox } from './outbox'
import { RetryPlanner } from './retry-planner'
import { type LastClose, type SocketStatus, StatusStore } from './status'
import { normalizeProtocols, normalizeUrl } from './url'
import { utf8Length } from './utf8'

type EventType = keyof ResilientWebSocketEventMap
type CloseInit = { code: number; reason: string; wasClean: boolean }

const READY_STATE: Record<ConnectionState, number> = {
  connecting: 0,
  reconnecting: 0,
  open: 1,
  closing: 2,
  closed: 3,
}
const noop = (): void => {}

/**
 * A WebSocket that stays connected: the standard WebSocket interface, plus reconnection with backoff, a bounded
 * send queue with `bufferedAmount` backpressure, heartbeats, lifecycle awareness and opt-in acknowledged delivery.
 *
 * Every connection's life runs through this class, the one place that holds the connection state machine:
 *
 * ```
 * connecting ──open──▶ open ──lost──▶ reconnecting ──timer──▶ connecting
 *     │  ▲                │                 │
 *     │  └──failed, retry─┼─────────────────┘
 *     └─give up / close()─┴─close()──▶ closing ──▶ closed
 * ```
 */
export class ResilientWebSocket extends WebSocketEventTarget {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  declare readonly CONNECTING: 0
  declare readonly OPEN: 1
  declare readonly CLOSING: 2
  declare readonly CLOSED: 3

  private readonly options: ResilientWebSocketOptions
  private readonly urlSource: Provider<string | URL>
  private readonly protocolSource: Provider<string | string[] | undefined>
  private readonly outbox: Outbox
  /** Acknowledged delivery is on: incoming messages may carry acks. */
  private readonly acknowledges: boolean

  private _state: ConnectionState = 'connecting'
  private _url = ''
  private _protocol = ''
  private _extensions = ''
  private _binaryType: BinaryType | undefined
  private _latency: number | undefined
  /** `close()` was called: nothing starts again. */
  private final = false
  /** Bumped whenever a socket is replaced or an attempt abandoned: callbacks of older generations do nothing. */
  private generation = 0
  private ws: WebSocketLike | null = null
  private heartbeat: Heartbeat | null = null
  private isPong: ((data: any) => boolean) | undefined
  private hasOpened = false
  /** The live connection stayed open `stableAfter` ms. */
  private stable = false
  private readonly retry: RetryPlanner
  private lastClose: LastClose | undefined
  private readonly store: StatusStore
  private network: NetworkSignal | undefined
  private unsubscribers: (() => void)[] = []
  private startTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private connectTimer: ReturnType<typeof setTimeout> | undefined
  private stableTimer: ReturnType<typeof setTimeout> | undefined

  /**
   * @param url The server's URL (`ws:`, `wss:`, `http:` or `https:`), or a function, sync or async, called before
   * every attempt (fresh tokens, failover).
   * @param protocols Subprotocol names, or a function returning them before every attempt. An options object may
   * stand here instead when there are no protocols.
   * @param options See {@link ResilientWebSocketOptions}.
   */
  constructor(
    url: Provider<string | URL>,
    protocols?: Provider<string | string[] | undefined> | ResilientWebSocketOptions,
    options: ResilientWebSocketOptions = {},
  ) {
    super()
    if (isOptionsObject(protocols)) {
      options = protocols
      protocols = undefined
    }
    this.options = options
    this.acknowledges = options.delivery !== undefined
    this.urlSource = typeof url === 'function' ? url : normalizeUrl(url)
    this.protocolSource = typeof protocols === 'function' ? protocols : normalizeProtocols(protocols)
    if (typeof this.urlSource === 'string') this._url = this.urlSource
    this.outbox = new Outbox(options, {
      drop: (data, reason) => this.dispatch('drop', new DropEvent(this, data, reason)),
      drain: () => this.dispatch('drain', new SocketEvent('drain', this)),
      changed: () => this.store.changedSoon(),
    })
    this.retry = new RetryPlanner(options)
    this.store = new StatusStore(() => ({
      state: this._state,
      readyState: READY_STATE[this._state],
      attempt: this.retry.retries,
      latency: this._latency,
      bufferedAmount: this.bufferedAmount,
      queuedMessages: this.outbox.length,
      url: this._url,
      protocol: this._protocol,
      lastClose: this.lastClose,
    }))
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined
      this.subscribeSignals()
      this.connect()
    }, 0)
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The WebSocket interface

  /** The URL of the current or last connection (`''` until a URL provider has answered). */
  get url(): string {
    return this._url
  }

  /** `CONNECTING` (0) while connecting or waiting to retry, `OPEN` (1), `CLOSING` (2), `CLOSED` (3). */
  get readyState(): number {
    return READY_STATE[this._state]
  }

  /** Finer than `readyState`: `'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'`. */
  get state(): ConnectionState {
    return this._state
  }

  /** The subprotocol the server chose for the current or last connection. */
  get protocol(): string {
    return this._protocol
  }

  /** The extensions the server chose for the current or last connection. */
  get extensions(): string {
    return this._extensions
  }

  /** `'blob'` or `'arraybuffer'`; other values are ignored. Applies to the live and every future connection. */
  get binaryType(): BinaryType {
    return this._binaryType ?? ((this.ws?.binaryType as BinaryType | undefined) || 'blob')
  }

  set binaryType(value: BinaryType) {
    if (value !== 'blob' && value !== 'arraybuffer') return
    this._binaryType = value
    if (this.ws) this.ws.binaryType = value
  }

  /** Bytes not yet sent: the live socket's `bufferedAmount` plus what waits in lifeline's queue. */
  get bufferedAmount(): number {
    return (this.ws?.bufferedAmount ?? 0) + this.outbox.bytes
  }

  /** What lifeline holds, as given to `send()`, oldest first: unacknowledged messages, then queued ones. */
  get queued(): SendData[] {
    return this.outbox.snapshot()
  }

  /** Retries since the last stable connection: 0 while the first try runs or once a connection stayed open. */
  get attempt(): number {
    return this.retry.retries
  }

  /** The last heartbeat round trip in ms; `undefined` until measured. */
  get latency(): number | undefined {
    return this._latency
  }

  /**
   * Sends `data` now if the connection is open and nothing older waits; queues it otherwise. Returns `false` once
   * the total buffered (socket plus queue) is at or above `highWaterMark`: wait for `drain` (or `drained()`).
   * Throws `InvalidStateError` after `close()`, `TypeError` for plain objects, `QueueFullError` when the queue is
   * full and `queue.overflow` is `'throw'`.
   */
  send(data: unknown): boolean {
    if (this.final) {
      throw domException('The socket was closed with close(); create a new one to send.', 'InvalidStateError')
    }
    const ok = this.outbox.send(toSendable(data))
    this.store.changedSoon()
    return ok
  }

  /**
   * Closes for good: cancels every timer and attempt, closes the live connection (code 1000 or 3000–4999, reason
   * up to 123 UTF-8 bytes). What is still queued stays readable in `queued`. Closing again does nothing.
   */
  close(code?: number, reason?: string): void {
    checkCloseArguments(code, reason)
    if (this.final) return
    this.final = true
    this.clearTimer('startTimer')
    this.clearTimer('retryTimer')
    this.unsubscribeSignals()
    const ws = this.ws
    if (ws !== null && this._state === 'open') {
      this.stopConnectionTimers()
      this.outbox.stopTimers()
      this.setState('closing')
      ws.close(code ?? (reason === undefined ? undefined : CloseCode.Normal), reason)
    } else {
      const wasClosed = this._state === 'closed'
      this.detach()
      if (ws) quietClose(ws, code, reason)
      this.setState('closed')
      if (!wasClosed) {
        this.dispatch(
          'close',
          new SocketCloseEvent(this, {
            code: code ?? CloseCode.NoStatus,
            reason: reason ?? '',
            wasClean: false,
            willReconnect: false,
          }),
        )
      }
    }
    this.outbox.rejectDrain(domException('The socket was closed.', 'InvalidStateError'))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // lifeline's additions

  /**
   * Drops the current connection (closing it cleanly with `code` and `reason`) or pending retry and connects again
   * now, with a fresh attempt count. Works after giving up; throws `InvalidStateError` after `close()`.
   */
  reconnect(code: number = CloseCode.Normal, reason?: string): void {
    if (this.final) {
      throw domException('The socket was closed with close(); create a new one.', 'InvalidStateError')
    }
    checkCloseArguments(code, reason)
    this.clearTimer('startTimer')
    this.clearTimer('retryTimer')
    this.retry.reset()
    this.stable = false
    const ws = this.ws
    const wasOpen = ws !== null && this._state === 'open'
    // A clean close sends what the socket holds before its close frame: only unacknowledged messages go back.
    this.outbox.disconnect('forget')
    this.detach()
    this.subscribeSignals()
    if (ws) {
      quietClose(ws, code, reason)
      if (wasOpen) {
        const generation = this.generation
        this.setState('connecting')
        this.dispatch(
          'close',
          new SocketCloseEvent(this, { code, reason: reason ?? '', wasClean: true, willReconnect: true }),
        )
        if (generation !== this.generation || this.final) return
      }
    }
    this.connect()
  }

  /**
   * Resolves once the total buffered falls below `lowWaterMark` after `send()` returned `false` (at once when no
   * drain is pending). Rejects if the socket is closed or gives up first.
   */
  drained(): Promise<void> {
    if (this.final || this._state === 'closed') {
      return Promise.reject(domException('The socket is closed.', 'InvalidStateError'))
    }
    return this.outbox.drained()
  }

  /**
   * An immutable snapshot of the connection (state, readyState, attempt, latency, bufferedAmount, queuedMessages,
   * url, protocol, lastClose). Its identity changes only when a field changes: read it as often as you like.
   */
  get status(): SocketStatus {
    return this.store.get()
  }

  /**
   * Calls `listener` (with no arguments) after each change of `status`; returns the function that stops it. State
   * changes are reported at once; queue figures once per microtask however many messages were sent. A listener that
   * throws is reported and does not stop the others. Fits `useSyncExternalStore(socket.subscribe, () => socket.status)`.
   */
  readonly subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener)

  // ---------------------------------------------------------------------------------------------------------------
  // Events and state

  private dispatch<K extends EventType>(type: K, event: ResilientWebSocketEventMap[K]): void {
    if (type === 'close') {
      const close = event as SocketCloseEvent
      this.lastClose = { code: close.code, reason: close.reason, wasClean: close.wasClean }
      this.store.changed()
    } else if (type === 'drop' || type === 'reconnecting' || type === 'latency') {
      this.store.changed()
    }
    this.emit(type, event as never)
  }

  private setState(next: ConnectionState): void {
    const previous = this._state
    if (previous === next) return
    this._state = next
    this.store.changed()
    this.dispatch('state', new StateChangeEvent(this, next, previous))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connecting

  private connect(): void {
    const generation = ++this.generation
    this.setState('connecting')
    if (generation !== this.generation) return
    const timeout = this.options.connectTimeout ?? DEFAULTS.connectTimeout
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined
      this.lose(
        { code: CloseCode.Abnormal, reason: CONNECT_TIMEOUT, wasClean: false },
        {
          error: domException(`No connection within connectTimeout (${timeout} ms).`, 'TimeoutError'),
        },
      )
    }, timeout)
    let target:
      | { url: string; protocols: string[] | undefined }
      | Promise<{ url: string; protocols: string[] | undefined }>
    try {
      target = this.resolveTarget()
    } catch (error) {
      this.attemptFailed(error)
      return
    }
    if (isPromise(target)) {
      target.then(
        (resolved) => {
          if (generation === this.generation) this.open(resolved.url, resolved.protocols)
        },
        (error) => {
          if (generation === this.generation) this.attemptFailed(error)
        },
      )
    } else {
      this.open(target.url, target.protocols)
    }
  }

  /** The URL and protocols for this attempt: values, or what the providers and `resume` answer. */
  private resolveTarget():
    | { url: string; protocols: string[] | undefined }
    | Promise<{ url: string; protocols: string[] | undefined }> {
    const { urlSource, protocolSource } = this
    const resume = this.options.resume
    const url = typeof urlSource === 'function' ? urlSource() : urlSource
    const protocols = typeof protocolSource === 'function' ? protocolSource() : protocolSource
    const finish = (rawUrl: string | URL, rawProtocols: string | string[] | undefined) => {
      let href = normalizeUrl(rawUrl)
      const list = normalizeProtocols(rawProtocols)
      if (!resume) return { url: href, protocols: list }
      const parsed = new URL(href)
      const changed = resume(parsed, { attempt: this.retry.retries, reconnected: this.hasOpened })
      const apply = (value: void | string | URL) => {
        href = normalizeUrl(value ?? parsed)
        return { url: href, protocols: list }
      }
      return isPromise(changed) ? changed.then(apply) : apply(changed)
    }
    if (isPromise(url) || isPromise(protocols)) {
      return Promise.all([url, protocols]).then(([u, p]) => finish(u, p))
    }
    return finish(url, protocols)
  }

  private open(url: string, protocols: string[] | undefined): void {
    this._url = url
    this.store.changed()
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined
    if (!this.options.createWebSocket && !Ctor) {
      this.lose(
        { code: CloseCode.Abnormal, reason: '', wasClean: false },
        {
          error: new TypeError(
            'No WebSocket implementation found: this environment has no global WebSocket. Pass one with the ' +
              "`WebSocket` option, e.g. `import { WebSocket } from 'ws'` and `{ WebSocket }` in Node.",
          ),
          giveUp: true,
        },
      )
      return
    }
    let ws: WebSocketLike
    try {
      if (this.options.createWebSocket) ws = this.options.createWebSocket(url, protocols)
      else ws = protocols === undefined ? new Ctor!(url) : new Ctor!(url, protocols)
    } catch (error) {
      this.attemptFailed(error)
      return
    }
    this.ws = ws
    if (this._binaryType) ws.binaryType = this._binaryType
    const generation = this.generation
    ws.onopen = () => {
      if (generation === this.generation) this.onSocketOpen(ws, generation)
    }
    ws.onmessage = this.onSocketMessage
    ws.onerror = (event: any) => {
      if (generation === this.generation) this.dispatch('error', new SocketErrorEvent(this, event?.error ?? event))
    }
    ws.onclose = (event: any) => {
      if (generation === this.generation) this.onSocketClose(event)
    }
  }

  private onSocketOpen(ws: WebSocketLike, generation: number): void {
    this._protocol = ws.protocol ?? ''
    this._extensions = ws.extensions ?? ''
    const handshake = this.options.handshake
    if (!handshake) {
      this.finishOpen(ws)
      return
    }
    const fail = (error: unknown) => {
      if (generation === this.generation) {
        this.lose({ code: CloseCode.Abnormal, reason: HANDSHAKE_FAILED, wasClean: false }, { error, kill: true })
      }
    }
    try {
      const send = (data: SendData) => {
        if (generation === this.generation) ws.send(toSendable(data))
      }
      const result = handshake(send, {
        attempt: this.retry.retries,
        reconnected: this.hasOpened,
        url: this._url,
        protocol: this._protocol,
      })
      if (isPromise(result)) {
        result.then(() => {
          if (generation === this.generation) this.finishOpen(ws)
        }, fail)
        return
      }
    } catch (error) {
      fail(error)
      return
    }
    this.finishOpen(ws)
  }

  private finishOpen(ws: WebSocketLike): void {
    this.clearTimer('connectTimer')
    const generation = this.generation
    const reconnected = this.hasOpened
    this.hasOpened = true
    this.stable = false
    this.stableTimer = setTimeout(() => {
      this.stableTimer = undefined
      this.stable = true
      this.retry.reset()
      this.store.changed()
    }, this.retry.stableAfter)
    this.startHeartbeat(ws)
    this.setState('open')
    if (generation !== this.generation) return
    this.dispatch('open', new SocketOpenEvent(this, this.retry.retries, reconnected))
    if (generation !== this.generation) return
    this.outbox.connect(ws)
  }

  private readonly onSocketMessage = (event: { data: unknown }): void => {
    const data = event.data
    // A pong is consumed, also one that arrives after the heartbeat stopped (during close()).
    if (this.isPong?.(data)) {
      this.heartbeat?.pong()
      return
    }
    this.heartbeat?.hear()
    if (this.acknowledges) this.outbox.acknowledge(data)
    this.emit('message', new SocketMessageEvent(data, this))
  }

  private onSocketClose(event: any): void {
    const init: CloseInit = {
      code: typeof event?.code === 'number' ? event.code : CloseCode.Abnormal,
      reason: typeof event?.reason === 'string' ? event.reason : '',
      wasClean: Boolean(event?.wasClean),
    }
    if (this._state === 'closing') {
      // A clean close sent everything the socket held before its close frame.
      this.outbox.disconnect(init.wasClean ? 'forget' : 'requeue')
      this.detach()
      this.setState('closed')
      this.dispatch('close', new SocketCloseEvent(this, { ...init, willReconnect: false }))
      return
    }
    this.lose(init)
  }

  private attemptFailed(error: unknown): void {
    this.lose({ code: CloseCode.Abnormal, reason: '', wasClean: false }, { error })
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Losing a connection and retrying

  /**
   * The one path for a failed attempt or a lost connection: detach the socket (killing it when lifeline drops it),
   * put unsent messages back, report the error, then either schedule a retry or give up.
   */
  private lose(init: CloseInit, how: { error?: unknown; kill?: boolean; giveUp?: boolean } = {}): void {
    const ws = this.ws
    const wasStable = this.stable
    this.stable = false
    this.outbox.disconnect('requeue')
    this.detach()
    if (ws && (how.kill || init.reason === CONNECT_TIMEOUT || init.reason === HEARTBEAT_TIMEOUT)) kill(ws)
    const generation = this.generation
    if ('error' in how) {
      this.dispatch('error', new SocketErrorEvent(this, how.error))
      if (generation !== this.generation || this.final) return
    }
    const event = new SocketCloseEvent(this, { ...init, willReconnect: false })
    const retry = how.giveUp ? null : this.retry.plan(event, how.error ?? event, wasStable, this.network?.isOnline())
    if (retry === null) {
      this.setState('closed')
      this.unsubscribeSignals()
      this.outbox.rejectDrain(domException('The socket gave up reconnecting.', 'InvalidStateError'))
      this.dispatch('close', event)
      return
    }
    ;(event as { willReconnect: boolean }).willReconnect = true
    this.setState('reconnecting')
    if (generation !== this.generation || this.final) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.connect()
    }, retry.delay)
    this.dispatch('close', event)
    if (generation !== this.generation || this.final) return
    this.dispatch('reconnecting', new ReconnectingEvent(this, retry.attempt, retry.delay, how.error ?? event))
  }

  /** Stops listening to the live socket and every per-connection timer. The socket itself is left to the caller. */
  private detach(): void {
    this.generation++
    const ws = this.ws
    this.ws = null
    this.stopConnectionTimers()
    this.clearTimer('connectTimer')
    this.outbox.disconnect('forget')
    if (ws) {
      ws.onopen = null
      ws.onmessage = null
      ws.onclose = null
      // `ws` throws an unhandled 'error' when no error listener is left: keep a quiet one.
      ws.onerror = noop
      ws.off?.('pong', this.onPongFrame)
      ws.off?.('ping', this.onPingFrame)
    }
  }

  private stopConnectionTimers(): void {
    this.heartbeat?.stop()
    this.heartbeat = null
    this.clearTimer('stableTimer')
  }

  private clearTimer(name: 'startTimer' | 'retryTimer' | 'connectTimer' | 'stableTimer'): void {
    const timer = this[name]
    if (timer !== undefined) clearTimeout(timer)
    this[name] = undefined
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle signals

  private subscribeSignals(): void {
    if (this.unsubscribers.length > 0 || this.final) return
    const signals = this.options.lifecycle ?? {}
    this.network = signals.network === false ? undefined : (signals.network ?? browserNetwork())
    if (this.network) {
      this.unsubscribers.push(this.network.subscribe((online) => (online ? this.wake() : this.heartbeat?.check())))
    }
    const foreground = signals.foreground === false ? undefined : (signals.foreground ?? browserForeground())
    if (foreground) this.unsubscribers.push(foreground.subscribe(() => this.wake()))
  }

  private unsubscribeSignals(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
  }

  /** The network is back or the app is in the foreground again: retry now, or check the live connection. */
  private wake(): void {
    if (this._state === 'reconnecting') {
      this.clearTimer('retryTimer')
      this.connect()
    } else if (this._state === 'open') {
      this.heartbeat?.check()
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Heartbeat

  private startHeartbeat(ws: WebSocketLike): void {
    const option = this.options.heartbeat
    const canPing = typeof ws.ping === 'function'
    if (typeof ws.on === 'function') {
      ws.on('pong', this.onPongFrame)
      ws.on('ping', this.onPingFrame)
    }
    if (option === false) return
    const settings = typeof option === 'object' ? option : {}
    const message = settings.message
    if (option === undefined && !canPing) return
    this.isPong = message === undefined ? undefined : settings.isPong
    const generation = this.generation
    this.heartbeat = new Heartbeat(
      {
        interval: settings.interval ?? DEFAULTS.heartbeatInterval,
        timeout: settings.timeout ?? DEFAULTS.heartbeatTimeout,
        sleepThreshold: this.options.lifecycle?.sleepThreshold ?? DEFAULTS.sleepThreshold,
      },
      {
        ping: () => {
          try {
            if (message !== undefined) ws.send(toSendable(typeof message === 'function' ? message() : message))
            else if (canPing) ws.ping!()
          } catch {
            // A socket that cannot send is found dead by the timeout.
          }
        },
        dead: () => {
          if (generation === this.generation) {
            this.lose({ code: CloseCode.Abnormal, reason: HEARTBEAT_TIMEOUT, wasClean: false })
          }
        },
        latency: (ms) => {
          this._latency = ms
          this.dispatch('latency', new LatencyEvent(this, ms))
        },
      },
    )
    this.heartbeat.start()
  }

  private readonly onPongFrame = (): void => {
    if (this.isPong === undefined) this.heartbeat?.pong()
    else this.heartbeat?.hear()
  }

  private readonly onPingFrame = (): void => {
    this.heartbeat?.hear()
  }
}

Object.defineProperties(ResilientWebSocket.prototype, {
  CONNECTING: { value: 0, enumerable: true },
  OPEN: { value: 1, enumerable: true },
  CLOSING: { value: 2, enumerable: true },
  CLOSED: { value: 3, enumerable: true },
})

/** The platform's checks for `close(code, reason)`. */
function checkCloseArguments(code: number | undefined, reason: string | undefined): void {
  if (code !== undefined && code !== CloseCode.Normal && !(Number.isInteger(code) && code >= 3000 && code <= 4999)) {
    throw domException(
      `The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
      'InvalidAccessError',
    )
  }
  if (reason !== undefined && utf8Length(String(reason)) > 123) {
    throw domException('The close reason must not be greater than 123 UTF-8 bytes.', 'SyntaxError')
  }
}

/** Closes a socket lifeline no longer listens to, ignoring what it throws. */
function quietClose(ws: WebSocketLike, code?: number, reason?: string): void {
  try {
    if (ws.readyState === 0 || ws.readyState === 1) ws.close(code, reason)
  } catch {
    // Already closing, or the implementation refuses: nothing listens to it any more.
  }
}

/** Drops a connection at once, without the close handshake a dead peer never completes. */
function kill(ws: WebSocketLike): void {
  try {
    if (typeof ws.terminate === 'function') ws.terminate()
    else quietClose(ws)
  } catch {
    // Nothing listens to it any more.
  }
}

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function isOptionsObject(value: unknown): value is ResilientWebSocketOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

import { closeArguments } from './close-arguments'
import { Connection, type ConnectionOwner, type Failure } from './connection'
import { type SendData, toSendable } from './data'
import { domException } from './errors'
import { fire, WebSocketEventTarget } from './event-target'
import {
  type CloseInit,
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
import { browserForeground, browserNetwork, type NetworkSignal } from './lifecycle'
import type { Provider, ResilientWebSocketOptions } from './options'
import { Outbox } from './outbox'
import { RetryPlanner } from './retry-planner'
import { resolveSettings, type Settings } from './settings'
import { type Counters, newCounters, type SocketStats, statsOf } from './stats'
import { type LastClose, type SocketStatus, StatusStore } from './status'
import { after, type Timer } from './timers'
import { isOptionsArgument, normalizeProtocols, normalizeUrl } from './url'

type EventType = keyof ResilientWebSocketEventMap

/** `'blob'` or `'arraybuffer'`: how binary messages are delivered. */
export type BinaryTypeLike = 'blob' | 'arraybuffer'

const READY_STATE: Record<ConnectionState, number> = {
  connecting: 0,
  reconnecting: 0,
  open: 1,
  closing: 2,
  closed: 3,
}

/**
 * Takes back from `socket`'s queue the messages at these places of its `queued` (ascending) that it has not sent yet;
 * returns the places taken back. Not part of the public API (the package's entry points do not export it): the tab
 * holding a shared connection uses it when another tab closes.
 */
export let withdrawQueued: (socket: ResilientWebSocket, places: readonly number[]) => number[]

/**
 * A WebSocket that stays connected: the standard WebSocket interface, plus reconnection with backoff, a bounded
 * send queue with `bufferedAmount` backpressure, heartbeats, lifecycle awareness and opt-in acknowledged delivery.
 *
 * This class is the connection state machine; each attempt is a `Connection` of its own, and a connection's news
 * counts only while it is the current one:
 *
 * ```
 * connecting ──open──▶ open ──lost──▶ reconnecting ──timer──▶ connecting
 *     │  ▲                │                 │
 *     │  └──failed, retry─┼─────────────────┘
 *     └─give up / close()─┴─close()──▶ closing ──▶ closed
 * ```
 */
export class ResilientWebSocket extends WebSocketEventTarget {
  static {
    withdrawQueued = (socket, places) => socket.#outbox.withdraw(places)
  }

  // The ready-state constants, on the class and on instances, come from WebSocketEventTarget.
  declare static readonly CONNECTING: 0
  declare static readonly OPEN: 1
  declare static readonly CLOSING: 2
  declare static readonly CLOSED: 3
  declare readonly CONNECTING: 0
  declare readonly OPEN: 1
  declare readonly CLOSING: 2
  declare readonly CLOSED: 3

  readonly #s: Settings
  readonly #urlSource: Provider<string | URL>
  readonly #protocolSource: Provider<string | string[] | undefined>
  readonly #outbox: Outbox
  readonly #retry: RetryPlanner
  readonly #store: StatusStore
  readonly #counters: Counters = newCounters()
  readonly #owner: ConnectionOwner
  /** Reports an error (a hook's, named) as an `error` event. */
  readonly #report = (error: unknown, hook?: string): void =>
    this.#dispatch('error', new SocketErrorEvent(this, error, hook))

  #state: ConnectionState = 'connecting'
  #url = ''
  #protocol = ''
  #extensions = ''
  #binaryType: BinaryTypeLike = 'blob'
  #latency: number | undefined
  /** `close()` was called: nothing starts again. */
  #final = false
  /** The current connection (or attempt), or the last one while waiting to retry. */
  #conn: Connection | undefined
  /** Connections left by `reconnect()` that may still be closing. */
  #leaving: Connection[] = []
  /** An earlier connection of this socket had been open. */
  #opened = false
  #lastClose: LastClose | undefined
  /** Retrying stopped without `close()`; cleared by `reconnect()`. */
  #gaveUp = false
  #network: NetworkSignal | undefined
  #unsubscribers: (() => void)[] = []
  /** The first attempt's start, then the retry timer. */
  #wait: Timer
  /** Since when the socket has not been open (undefined while open and after `close()`), and the total before. */
  #downSince: number | undefined = Date.now()
  #downTotal = 0

  /**
   * @param url The server's URL (`ws:`, `wss:`, `http:` or `https:`; relative to the page where there is one), or a
   * function, sync or async, called before every attempt (fresh tokens, failover).
   * @param protocols Subprotocol names, or a function returning them before every attempt. An options object may
   * stand here instead when there are no protocols.
   * @param options See {@link ResilientWebSocketOptions}. Checked here: a bad value throws a `TypeError` or
   * `RangeError` naming the option.
   */
  constructor(
    url: Provider<string | URL>,
    protocols?: Provider<string | string[] | undefined> | null | ResilientWebSocketOptions,
    options: ResilientWebSocketOptions = {},
  ) {
    super()
    if (isOptionsArgument(protocols)) {
      options = protocols as ResilientWebSocketOptions
      protocols = undefined
    }
    const s = resolveSettings(options)
    this.#s = s
    this.#urlSource = typeof url === 'function' ? url : normalizeUrl(url)
    this.#protocolSource =
      typeof protocols === 'function' ? protocols : normalizeProtocols(protocols as string | string[] | null)
    if (typeof this.#urlSource === 'string') this.#url = this.#urlSource
    const report = this.#report
    this.#outbox = new Outbox(
      s,
      {
        drop: (data, reason) => {
          this.#counters[reason]++
          this.#dispatch('drop', new DropEvent(this, data, reason))
        },
        drain: () => this.#dispatch('drain', new SocketEvent('drain', this)),
        changed: () => this.#store.changedSoon(),
        report,
      },
      this.#counters,
    )
    this.#retry = new RetryPlanner(s, report)
    const acknowledges = s.delivery !== undefined
    this.#owner = {
      target: (conn) => {
        if (conn !== this.#conn) return
        this.#url = conn.url
        this.#store.changed()
      },
      ready: (conn) => this.#ready(conn),
      message: (data) => {
        if (acknowledges) this.#outbox.acknowledge(data)
        fire(this, 'message', new SocketMessageEvent(data, this))
      },
      ended: (conn, init, failure, giveUp) => {
        if (conn === this.#conn) this.#ended(conn, init, failure, giveUp)
      },
      report,
      stable: (conn) => {
        if (conn !== this.#conn) return
        this.#retry.reset()
        this.#store.changed()
      },
      latency: (ms) => {
        this.#latency = ms
        this.#store.changed()
        // No event object per ping when nothing listens (most apps read `latency` or `status` if anything).
        if (this.listenerCount('latency') !== 0) fire(this, 'latency', new LatencyEvent(this, ms))
      },
    }
    this.#store = new StatusStore(() => ({
      state: this.#state,
      readyState: READY_STATE[this.#state],
      attempt: this.#retry.retries,
      latency: this.#latency,
      bufferedAmount: this.bufferedAmount,
      queuedMessages: this.#outbox.length,
      url: this.#url,
      protocol: this.#protocol,
      lastClose: this.#lastClose,
      gaveUp: this.#gaveUp,
    }))
    this.#wait = setTimeout(() => {
      this.#wait = undefined
      this.#subscribeSignals()
      this.#connect()
    }, 0)
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The WebSocket interface

  /** The URL of the current or last connection (`''` until a URL provider has answered). */
  get url(): string {
    return this.#url
  }

  /** `CONNECTING` (0) while connecting or waiting to retry, `OPEN` (1), `CLOSING` (2), `CLOSED` (3). */
  get readyState(): number {
    return READY_STATE[this.#state]
  }

  /** Finer than `readyState`: `'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'`. */
  get state(): ConnectionState {
    return this.#state
  }

  /** The subprotocol the server chose for the current or last connection. */
  get protocol(): string {
    return this.#protocol
  }

  /** The extensions the server chose for the current or last connection. */
  get extensions(): string {
    return this.#extensions
  }

  /**
   * `'blob'` (until set, in every environment, `ws` included) or `'arraybuffer'`; other values are ignored. Applies
   * to the live and every future connection.
   */
  get binaryType(): BinaryTypeLike {
    return this.#binaryType
  }

  set binaryType(value: BinaryTypeLike) {
    if (value !== 'blob' && value !== 'arraybuffer') return
    this.#binaryType = value
    const conn = this.#conn
    if (conn) {
      conn.binaryType = value
      if (conn.ws) conn.ws.binaryType = value
    }
  }

  /** Bytes not yet sent: the live socket's `bufferedAmount` plus what waits in lifeline's queue. */
  get bufferedAmount(): number {
    return (this.#conn?.ws?.bufferedAmount || 0) + this.#outbox.bytes
  }

  /** What lifeline holds, as given to `send()`, oldest first: unacknowledged messages, then queued ones. */
  get queued(): SendData[] {
    return this.#outbox.snapshot()
  }

  /** Retries since the last stable connection: 0 while the first try runs or once a connection stayed open. */
  get attempt(): number {
    return this.#retry.retries
  }

  /** The last heartbeat round trip in ms; `undefined` until measured. */
  get latency(): number | undefined {
    return this.#latency
  }

  /**
   * Sends `data` now if the connection is open and nothing older waits; queues it otherwise. Returns `false` when
   * the sender should wait for `drain` (or `drained()`): the total buffered (socket plus queue) is at or above
   * `highWaterMark`, or the queue is half full. Throws `InvalidStateError` after `close()`, `TypeError` for plain
   * objects, `QueueFullError` when the queue is full and `queue.overflow` is `'throw'`.
   */
  send(data: SendData): boolean {
    if (this.#final) {
      throw domException('The socket was closed with close(); create a new one to send.', 'InvalidStateError')
    }
    const ok = this.#outbox.send(toSendable(data))
    this.#store.changedSoon()
    return ok
  }

  /**
   * Closes for good: cancels every timer and attempt, closes the live connection (code 1000 or 3000–4999, reason
   * up to 123 UTF-8 bytes) and waits for the server's close frame at most `closeTimeout` ms. What is still queued
   * stays readable in `queued`. Closing again does nothing.
   */
  close(code?: number, reason?: string): void {
    const [c, r] = closeArguments(code, reason)
    if (this.#final) return
    this.#final = true
    clearTimeout(this.#wait)
    this.#unsubscribeSignals()
    for (const left of this.#leaving.splice(0)) left.dispose()
    const conn = this.#conn
    if (conn && this.#state === 'open') {
      this.#outbox.stopTimers()
      this.#setState('closing')
      conn.close(c ?? (r === undefined ? undefined : 1000), r)
    } else {
      const wasClosed = this.#state === 'closed'
      conn?.leave()
      const event = new SocketCloseEvent(this, {
        code: c ?? 1005,
        reason: r ?? '',
        wasClean: false,
        willReconnect: false,
      })
      if (!wasClosed) this.#noteClose(event)
      this.#setState('closed')
      if (!wasClosed) this.#dispatch('close', event)
    }
    this.#outbox.rejectDrain(domException('The socket was closed.', 'InvalidStateError'))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // lifeline's additions

  /**
   * Drops the current connection or pending retry and connects again now, with a fresh attempt count. The live
   * connection is closed cleanly with `code` and `reason` (dropped after `closeTimeout` if its close frame does not
   * come); what its buffer still held goes back to the queue, as for a lost connection. Works after giving up;
   * throws `InvalidStateError` after `close()`.
   */
  reconnect(code = 1000, reason?: string): void {
    if (this.#final) {
      throw domException('The socket was closed with close(); create a new one.', 'InvalidStateError')
    }
    const [c, r] = closeArguments(code, reason)
    clearTimeout(this.#wait)
    this.#retry.reset()
    this.#gaveUp = false
    this.#subscribeSignals()
    const conn = this.#conn
    if (conn) {
      const wasOpen = this.#state === 'open'
      const clean = conn.leave(c, r)
      // What the left socket still buffered goes again, as for a lost connection (it closes only if it had none).
      this.#outbox.disconnect(conn.unsent, conn.unsentExact)
      if (clean) this.#leaving = [...this.#leaving.filter((left) => left.ws), conn]
      if (wasOpen) {
        this.#setState('connecting')
        this.#dispatch(
          'close',
          new SocketCloseEvent(this, { code: c!, reason: r ?? '', wasClean: clean, willReconnect: true }),
        )
        if (conn !== this.#conn || this.#final) return
      }
    }
    this.#connect()
  }

  /**
   * Resolves once the total buffered falls below `lowWaterMark` (and the queue has room) after `send()` returned
   * `false`; at once when no drain is pending. Rejects if the socket is closed or gives up first.
   */
  drained(): Promise<void> {
    if (this.#final || this.#state === 'closed') {
      return Promise.reject(domException('The socket is closed.', 'InvalidStateError'))
    }
    return this.#outbox.drained()
  }

  /**
   * An immutable snapshot of the connection (state, readyState, attempt, latency, bufferedAmount, queuedMessages,
   * url, protocol, lastClose, gaveUp). Its identity changes only when a field changes: read it as often as you like.
   */
  get status(): SocketStatus {
    return this.#store.get()
  }

  /**
   * Calls `listener` (with no arguments) after each change of `status`; returns the function that stops it. State
   * changes are reported at once; queue figures once per microtask however many messages were sent. A listener that
   * throws is reported and does not stop the others. Fits `useSyncExternalStore(socket.subscribe, () => socket.status)`.
   */
  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener)

  /**
   * Counters since this socket was created: connections opened, attempts failed, messages and bytes in and out,
   * drops by reason, milliseconds not open. A fresh frozen object at every read.
   */
  get stats(): SocketStats {
    const since = this.#downSince
    return statsOf(this.#counters, this.#downTotal + (since === undefined ? 0 : Date.now() - since))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Events and state

  /** Records how a connection ended before the state says so, so the snapshot that says 'closed' carries it. */
  #noteClose({ code, reason, wasClean }: SocketCloseEvent): void {
    const last = this.#lastClose
    // The same close noted again (as its event goes out) keeps its object, so the snapshot does not change for it.
    if (last?.code !== code || last.reason !== reason || last.wasClean !== wasClean) {
      this.#lastClose = { code, reason, wasClean }
    }
  }

  #dispatch<K extends EventType>(type: K, event: ResilientWebSocketEventMap[K]): void {
    if (type === 'close') {
      this.#noteClose(event as SocketCloseEvent)
      this.#store.changed()
    } else if (type === 'drop' || type === 'reconnecting') {
      this.#store.changed()
    }
    fire(this, type, event)
  }

  #setState(next: ConnectionState): void {
    const previous = this.#state
    if (previous === next) return
    this.#state = next
    const now = Date.now()
    if (next === 'open' || (next === 'closed' && this.#final)) {
      if (this.#downSince !== undefined) this.#downTotal += now - this.#downSince
      this.#downSince = undefined
    } else if (previous === 'open') this.#downSince = now
    this.#store.changed()
    this.#dispatch('state', new StateChangeEvent(this, next, previous))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connecting

  #connect(): void {
    const conn = new Connection(
      this.#s,
      this.#owner,
      this.#counters,
      this.#retry.retries,
      this.#opened,
      this.#binaryType,
    )
    this.#conn = conn
    this.#setState('connecting')
    if (conn === this.#conn && !this.#final) conn.start(this.#urlSource, this.#protocolSource)
  }

  #ready(conn: Connection): void {
    if (conn !== this.#conn) return
    const reconnected = this.#opened
    this.#opened = true
    this.#protocol = conn.protocol
    this.#extensions = conn.extensions
    this.#counters.connectionsOpened++
    this.#setState('open')
    if (conn !== this.#conn || this.#state !== 'open') return
    // What waits goes first, so that what `open` listeners send goes straight to the socket, after it.
    this.#outbox.connect(conn.ws!)
    if (conn !== this.#conn || this.#state !== 'open') return
    this.#dispatch('open', new SocketOpenEvent(this, this.#retry.retries, reconnected))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Losing a connection and retrying

  /**
   * The one path for a failed attempt or a lost connection (the connection has already let its socket go): put
   * unsent messages back, report the error, then either schedule a retry or give up.
   */
  #ended(conn: Connection, init: CloseInit, failure: Failure | undefined, giveUp = false): void {
    if (this.#state === 'closing') {
      // A clean close sent everything the socket held before its close frame.
      this.#outbox.disconnect(init.wasClean ? undefined : conn.unsent, conn.unsentExact)
      const event = new SocketCloseEvent(this, { ...init, willReconnect: false })
      this.#noteClose(event)
      this.#setState('closed')
      this.#dispatch('close', event)
      return
    }
    this.#outbox.disconnect(conn.unsent, conn.unsentExact)
    if (!conn.ready) this.#counters.attemptsFailed++
    const current = () => conn === this.#conn && !this.#final
    if (failure) {
      this.#report(failure.error, failure.hook)
      if (!current()) return
    }
    const event = new SocketCloseEvent(this, { ...init, willReconnect: false })
    // The reason a retry is told: the error when lifeline knows one, else the close event (a browser's socket error
    // event says nothing more).
    const reason = failure?.error instanceof Error ? failure.error : event
    const retry = giveUp ? null : this.#retry.plan(event, reason, conn.stable, this.#online())
    if (!current()) return
    this.#noteClose(event)
    if (retry === null) {
      this.#gaveUp = true
      this.#setState('closed')
      this.#unsubscribeSignals()
      this.#outbox.rejectDrain(domException('The socket gave up reconnecting.', 'InvalidStateError'))
      this.#dispatch('close', event)
      return
    }
    ;(event as { willReconnect: boolean }).willReconnect = true
    this.#setState('reconnecting')
    if (!current()) return
    this.#wait = after(() => {
      this.#wait = undefined
      this.#connect()
    }, retry.delay)
    this.#dispatch('close', event)
    if (!current()) return
    this.#dispatch('reconnecting', new ReconnectingEvent(this, retry.attempt, retry.delay, reason))
  }

  /** Whether the environment reports being online (a network signal that throws counts as "cannot tell"). */
  #online(): boolean | undefined {
    try {
      return this.#network?.isOnline()
    } catch (error) {
      this.#report(error, 'lifecycle.network')
      return undefined
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle signals

  #subscribeSignals(): void {
    if (this.#unsubscribers.length > 0 || this.#final) return
    const s = this.#s
    try {
      this.#network = s.network === false ? undefined : (s.network ?? browserNetwork())
      if (this.#network) {
        this.#unsubscribers.push(this.#network.subscribe((online) => (online ? this.#wake() : this.#conn?.check())))
      }
      const foreground = s.foreground === false ? undefined : (s.foreground ?? browserForeground())
      if (foreground) this.#unsubscribers.push(foreground.subscribe(() => this.#wake()))
    } catch (error) {
      this.#report(error, 'lifecycle')
    }
  }

  #unsubscribeSignals(): void {
    for (const unsubscribe of this.#unsubscribers.splice(0)) {
      try {
        unsubscribe()
      } catch (error) {
        this.#report(error, 'lifecycle')
      }
    }
  }

  /** The network is back or the app is in the foreground again: retry now, or check the live connection. */
  #wake(): void {
    if (this.#state === 'reconnecting') {
      clearTimeout(this.#wait)
      this.#connect()
    } else if (this.#state === 'open') {
      this.#conn?.check()
    }
  }
}

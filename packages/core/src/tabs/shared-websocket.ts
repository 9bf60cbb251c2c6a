import { closeArguments } from '../close-arguments'
import { toSendable } from '../data'
import { domException } from '../errors'
import { fire, WebSocketEventTarget } from '../event-target'
import {
  type BinaryTypeLike,
  type ConnectionState,
  DropEvent,
  type DropReason,
  type Provider,
  type ResilientWebSocketEventMap,
  type ResilientWebSocketOptions,
  type SendData,
  SocketCloseEvent,
  SocketEvent,
  SocketMessageEvent,
  type SocketStats,
  type SocketStatus,
  StateChangeEvent,
} from '../index'
import { reportError } from '../report-error'
import { resolveSettings } from '../settings'
import { StatusStore } from '../status'
import { isOptionsArgument, normalizeProtocols, normalizeUrl } from '../url'
import { channelName } from './channel-name'
import { type LockManagerLike, requestLead } from './election'
import { KeptMessages } from './kept-messages'
import { Leader } from './leader'
import { TabStats } from './tab-stats'
import { type EventFields, type RelayedType, reviveEvent, type Wire } from './wire'

export interface SharedWebSocketOptions extends ResilientWebSocketOptions {
  /**
   * The name under which the tabs of this origin share one connection: tabs whose sockets have the same channel
   * share. Required when the URL is a function. @default the URL (and the protocols, when given as values)
   */
  channel?: string
}

/** Every event a `SharedWebSocket` dispatches, by type: those of `ResilientWebSocket`, plus `leader`. */
export interface SharedWebSocketEventMap extends ResilientWebSocketEventMap {
  /** This tab now holds the shared connection (`isLeader` is `true`). */
  leader: SocketEvent<'leader'>
}

type EventType = keyof SharedWebSocketEventMap

/** The part of `BroadcastChannel` used. */
interface ChannelLike {
  onmessage: ((event: { data: any }) => void) | null
  postMessage(message: unknown): void
  close(): void
}

/**
 * One connection for all the tabs of an origin: the `ResilientWebSocket` interface and events, shared. One tab, the
 * leader (elected with the Web Locks API), holds the connection; the others relay through a `BroadcastChannel`.
 * Every tab receives every message, each tab's messages reach the server in that tab's order, and a tab keeps what it
 * sent until the leader's socket has taken it, so that when the leader tab goes away the next leader sends what was
 * left. `close()` detaches this tab; the connection closes with the last tab. Where `BroadcastChannel` or
 * `navigator.locks` is missing (Node, old browsers), it is a plain `ResilientWebSocket` with its own connection.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface below only types the inherited listener methods for `leader`.
export class SharedWebSocket extends WebSocketEventTarget {
  // The ready-state constants, on the class and on instances, come from WebSocketEventTarget.
  declare static readonly CONNECTING: 0
  declare static readonly OPEN: 1
  declare static readonly CLOSING: 2
  declare static readonly CLOSED: 3
  declare readonly CONNECTING: 0
  declare readonly OPEN: 1
  declare readonly CLOSING: 2
  declare readonly CLOSED: 3

  // Fields set in the constructor or later are `declare`d: they need no initialiser of their own in the output.
  readonly #id = Math.random().toString(36).slice(2) + Date.now().toString(36)
  readonly #urlSource: Provider<string | URL>
  readonly #protocolSource: Provider<string | string[] | undefined>
  readonly #options: SharedWebSocketOptions
  readonly #channel: ChannelLike | null = null
  readonly #withdraw: () => void = () => {}
  readonly #kept = new KeptMessages()
  readonly #tabStats = new TabStats()
  readonly #store: StatusStore
  readonly #highWaterMark: number
  readonly #lowWaterMark: number
  /** The leader's connection, as last announced. */
  #connection: SocketStatus
  #extensions = ''
  #binaryType: BinaryTypeLike = 'blob'
  #leader: Leader | null = null
  #leaderId: string | undefined
  #epoch = 0
  #opened = false
  #closed = false
  /** `send()` returned `false`: `drain` is due once the kept bytes fall below `lowWaterMark`. */
  #full = false
  #drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = []

  /**
   * @param url The server's URL, or a function called before every attempt (then `options.channel` is required).
   * @param protocols Subprotocol names, or a function returning them. An options object may stand here instead.
   * @param options The `ResilientWebSocket` options (they govern the connection while this tab holds it), plus
   * `channel`.
   */
  constructor(
    url: Provider<string | URL>,
    protocols?: Provider<string | string[] | undefined> | null | SharedWebSocketOptions,
    options: SharedWebSocketOptions = {},
  ) {
    super()
    if (isOptionsArgument(protocols)) {
      options = protocols as SharedWebSocketOptions
      protocols = undefined
    }
    // The checks ResilientWebSocket's constructor makes, in every tab, whether or not it will hold the connection.
    const settings = resolveSettings(options)
    const href = typeof url === 'function' ? '' : normalizeUrl(url)
    const list = typeof protocols === 'function' ? undefined : normalizeProtocols(protocols as string[] | undefined)
    const name = `lifeline:${channelName(options.channel, url, href, list)}`
    this.#urlSource = url
    this.#protocolSource = protocols as Provider<string | string[] | undefined>
    this.#options = options
    this.#highWaterMark = settings.highWaterMark
    this.#lowWaterMark = settings.lowWaterMark
    this.#connection = {
      state: 'connecting',
      readyState: 0,
      attempt: 0,
      latency: undefined,
      bufferedAmount: 0,
      queuedMessages: 0,
      url: href,
      protocol: '',
      lastClose: undefined,
      gaveUp: false,
    }
    this.#store = new StatusStore(() => ({
      ...this.#connection,
      bufferedAmount: this.#kept.bytes,
      queuedMessages: this.#kept.list.length,
    }))
    const Channel = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel
    const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks
    if (typeof Channel === 'function' && locks) {
      const channel = new Channel(name)
      channel.onmessage = (event) => this.#receive(event.data)
      this.#channel = channel
      this.#withdraw = requestLead(locks, name, () => this.#lead())
      this.#post({ t: 'hi' })
    } else {
      queueMicrotask(() => this.#lead())
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The WebSocket interface, mirrored from the leader's connection

  /** The URL of the shared connection (`''` until a URL provider has answered). */
  get url(): string {
    return this.#connection.url
  }

  /** `CONNECTING` (0) while connecting or waiting to retry, `OPEN` (1), `CLOSING` (2), `CLOSED` (3). */
  get readyState(): number {
    return this.#connection.readyState
  }

  /** Finer than `readyState`: `'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'`. */
  get state(): ConnectionState {
    return this.#connection.state
  }

  /** The subprotocol the server chose for the shared connection. */
  get protocol(): string {
    return this.#connection.protocol
  }

  /** The extensions the server chose for the shared connection. */
  get extensions(): string {
    return this.#extensions
  }

  /** `'blob'` or `'arraybuffer'` (other values are ignored): the form binary messages take in this tab. */
  get binaryType(): BinaryTypeLike {
    return this.#binaryType
  }

  set binaryType(value: BinaryTypeLike) {
    if (value === 'blob' || value === 'arraybuffer') this.#binaryType = value
  }

  /** Bytes this tab sent that the connection's socket has not yet taken. */
  get bufferedAmount(): number {
    return this.#kept.bytes
  }

  /** What this tab sent that the connection's socket has not yet taken, as given to `send()`, oldest first. */
  get queued(): SendData[] {
    return this.#kept.list.map((message) => message.data)
  }

  /** Retries of the shared connection since its last stable connection. */
  get attempt(): number {
    return this.#connection.attempt
  }

  /** The shared connection's last heartbeat round trip in ms; `undefined` until measured. */
  get latency(): number | undefined {
    return this.#connection.latency
  }

  /** Whether this tab holds the connection (always, where tabs cannot share). */
  get isLeader(): boolean {
    return this.#leader !== null
  }

  /**
   * Sends `data` through the shared connection, after this tab's earlier messages. Returns `false` once the bytes
   * this tab sent and the connection has not yet taken reach `highWaterMark`; `drain` follows when they fall below
   * `lowWaterMark`. Throws `InvalidStateError` after `close()` and `TypeError` for plain objects; in the tab holding
   * the connection, what the connection's `send()` throws (`QueueFullError` under `queue.overflow: 'throw'`).
   */
  send(data: unknown): boolean {
    if (this.#closed) {
      throw domException('The socket was closed with close(); create a new one to send.', 'InvalidStateError')
    }
    const message = this.#kept.add(toSendable(data))
    try {
      // In the tab holding the connection, what the connection's send() throws is this send()'s.
      if (this.#leader) this.#leader.send(this.#id, message.seq, message.data)
      else if (this.#leaderId !== undefined) this.#forward(message.seq, message.data)
    } catch (error) {
      this.#kept.remove(message.seq)
      throw error
    }
    this.#store.changedSoon()
    if (this.#kept.bytes < this.#highWaterMark) return true
    this.#full = true
    return false
  }

  /**
   * Detaches this tab: it stops receiving, its `state` becomes `'closed'` and a `close` event follows. The shared
   * connection closes when the last tab closes; closing the tab that holds it hands it to another tab. What this tab
   * sent and the connection has not yet taken stays readable in `queued`, and the connection no longer sends it (the
   * tab holding it is told to take it back; what it sends before it hears is sent once more if sent again from
   * `queued`). Closing again does nothing.
   */
  close(code?: number, reason?: string): void {
    const [c, r] = closeArguments(code, reason)
    if (this.#closed) return
    this.#closed = true
    this.#withdraw()
    // What the connection has not sent of this tab's stays this tab's: readable in `queued`, not sent by another tab.
    if (!this.#leader) this.#post({ t: 'back', to: this.#leaderId!, from: this.#id })
    this.#leader?.stop(c, r)
    this.#channel?.close()
    this.#leader = null
    const previous = this.#connection.state
    // As ResilientWebSocket's close() before a connection is open: a close lifeline makes up. Closed already (the
    // connection gave up): what it said stands.
    const lastClose = { code: c ?? 1005, reason: r ?? '', wasClean: false }
    if (previous !== 'closed') this.#connection = { ...this.#connection, state: 'closed', readyState: 3, lastClose }
    this.#tabStats.state('closed', true)
    this.#store.changed()
    this.#settleDrain(domException('The socket was closed.', 'InvalidStateError'))
    if (previous === 'closed') return
    fire(this, 'state', new StateChangeEvent(this, 'closed', previous))
    fire(this, 'close', new SocketCloseEvent(this, { ...lastClose, willReconnect: false }))
  }

  // ---------------------------------------------------------------------------------------------------------------
  // lifeline's additions

  /**
   * Asks the shared connection to drop its current connection and connect again now (see
   * `ResilientWebSocket.reconnect`). Throws `InvalidStateError` after `close()`.
   */
  reconnect(code = 1000, reason?: string): void {
    if (this.#closed) throw domException('The socket was closed with close(); create a new one.', 'InvalidStateError')
    const [c, r] = closeArguments(code, reason)
    if (this.#leader) this.#leader.socket.reconnect(c, r)
    else if (this.#leaderId !== undefined) this.#post({ t: 'rc', to: this.#leaderId, c, r })
  }

  /**
   * Resolves once this tab's untaken bytes fall below `lowWaterMark` after `send()` returned `false` (at once when no
   * drain is pending). Rejects if the tab is closed or the connection gives up first.
   */
  drained(): Promise<void> {
    if (this.#closed || this.#connection.state === 'closed') {
      return Promise.reject(domException('The socket is closed.', 'InvalidStateError'))
    }
    if (!this.#full) return Promise.resolve()
    return new Promise((resolve, reject) => this.#drainWaiters.push({ resolve, reject }))
  }

  /**
   * An immutable snapshot: the shared connection's state, readyState, attempt, latency, url, protocol and lastClose,
   * with this tab's own bufferedAmount and queuedMessages. Its identity changes only when a field changes.
   */
  get status(): SocketStatus {
    return this.#store.get()
  }

  /** Calls `listener` after each change of `status`; returns the function that stops it. */
  readonly subscribe = (listener: () => void): (() => void) => this.#store.subscribe(listener)

  /**
   * Counters since this socket was created, as this tab sees the shared connection: connections it saw open and
   * attempts it saw fail, messages and bytes it received, its own messages the connection took, its own drops, and the
   * milliseconds it saw the connection not open. A fresh frozen object at every read.
   */
  get stats(): SocketStats {
    return this.#tabStats.snapshot()
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Between tabs

  /** Posts to the other tabs (none where tabs cannot share). */
  #post(message: Wire): void {
    this.#channel?.postMessage(message)
  }

  /** This tab's leader tells every tab, this one included. It never throws into the connection. */
  readonly #tell = (message: Wire): void => {
    try {
      this.#post(message)
    } catch (error) {
      reportError(error)
    }
    this.#receive(message)
  }

  #receive(message: Wire): void {
    if (this.#closed) return
    switch (message.t) {
      case 'hi':
        this.#leader?.announce()
        break
      case 'lead':
        this.#follow(message.l, message.e, message.s, message.x)
        break
      case 'ev':
        if (message.l === this.#leaderId) this.#relayed(message.k, message.a)
        break
      case 'send':
        if (message.to === this.#id) this.#leaderSend(message.from, message.seq, message.d)
        break
      case 'ok': {
        const seqs = message.m[this.#id]
        if (seqs) {
          for (const message of this.#kept.handed(seqs)) this.#tabStats.sent(message.data)
          this.#shrunk()
        }
        break
      }
      case 'drop':
        if (message.to === this.#id) {
          this.#dropped(this.#kept.remove(message.seq)?.data ?? message.d, message.r)
          this.#shrunk()
        }
        break
      case 'back':
        if (message.to === this.#id) this.#leader?.takeBack(message.from)
        break
      case 'rc':
        if (message.to === this.#id) this.#leader?.socket.reconnect(message.c, message.r)
        break
    }
  }

  /** The lock is this tab's: hold the connection. */
  #lead(): void {
    if (this.#closed) return
    this.#leader = new Leader(
      this.#urlSource,
      this.#protocolSource,
      this.#options,
      this.#id,
      Math.max(Date.now(), this.#epoch + 1),
      this.#tell,
    )
    this.#leader.announce()
    this.#dispatch('leader', new SocketEvent('leader', this))
  }

  /**
   * Tab `id` leads (since `epoch`; an older leader's late word is ignored) with a connection in `status`. A new leader
   * is given every message this tab keeps, in order: those the old leader's socket took without a report reaching
   * this tab (its tab died first) go again, as bytes on the wire when a connection dies do; acknowledged delivery's ids
   * let the server tell such a copy apart. The tab sees the change as a connection lost (when it was open)
   * and, joining an open connection, as an `open`.
   */
  #follow(id: string, epoch: number, status: SocketStatus, extensions: string): void {
    if (epoch < this.#epoch) return
    const switched = id !== this.#leaderId
    const hadLeader = this.#leaderId !== undefined
    const previous = this.#connection.state
    if (switched) {
      this.#leaderId = id
      this.#epoch = epoch
      for (const message of this.#kept.list.slice()) {
        // A drop's listener may close this tab meanwhile.
        if (this.#closed) return
        this.#forward(message.seq, message.data)
      }
    }
    if (this.#closed) return
    this.#connection = status
    this.#extensions = extensions
    this.#store.changed()
    if (status.state !== previous) {
      this.#tabStats.state(status.state, false)
      this.#dispatch('state', new StateChangeEvent(this, status.state, previous))
    }
    if (status.state === 'closed')
      this.#settleDrain(domException('The socket gave up reconnecting.', 'InvalidStateError'))
    if (!switched) return
    if (hadLeader && previous === 'open') {
      this.#relayed('close', { code: 1006, reason: '', wasClean: false, willReconnect: true })
    }
    if (status.state === 'open') this.#relayed('open', { attempt: status.attempt, reconnected: false })
  }

  /** Gives this tab's message `seq` to the leader: another tab, or this one's connection. */
  #forward(seq: number, data: SendData): void {
    if (this.#leaderId === this.#id) this.#leaderSend(this.#id, seq, data)
    else this.#post({ t: 'send', to: this.#leaderId!, from: this.#id, seq, d: data })
  }

  /** As leader, gives a tab's message to the connection; one it refuses is that tab's drop. */
  #leaderSend(from: string, seq: number, data: SendData): void {
    try {
      this.#leader?.send(from, seq, data)
    } catch {
      this.#tell({ t: 'drop', to: from, seq, r: 'overflow', d: data })
    }
  }

  /** An event of the leader's connection, dispatched in this tab. */
  #relayed(type: 'message' | RelayedType, args: unknown): void {
    if (type === 'message') {
      const data = this.#binaryType === 'blob' && args instanceof ArrayBuffer ? new Blob([args]) : args
      this.#tabStats.received(data)
      this.#dispatch('message', new SocketMessageEvent(data, this))
      return
    }
    const fields = args as EventFields
    if (type === 'open') {
      fields.reconnected ||= this.#opened
      this.#opened = true
      this.#tabStats.opened()
    } else if (type === 'close') {
      this.#tabStats.closed()
    }
    this.#dispatch(type, reviveEvent(this, type, fields) as never)
  }

  /** One of this tab's messages was dropped. */
  #dropped(data: SendData, reason: DropReason): void {
    this.#tabStats.dropped(reason)
    this.#dispatch('drop', new DropEvent(this, data, reason))
  }

  /** Kept messages left: update the status, and fire `drain` when due. */
  #shrunk(): void {
    this.#store.changedSoon()
    if (this.#full && this.#kept.bytes < this.#lowWaterMark) {
      this.#full = false
      this.#settleDrain()
      this.#dispatch('drain', new SocketEvent('drain', this))
    }
  }

  #settleDrain(error?: Error): void {
    for (const waiter of this.#drainWaiters.splice(0)) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
  }

  /**
   * Dispatches to this tab's listeners, unless it was closed (a listener may close it between two events). A listener
   * that throws is reported and stops neither the others nor lifeline.
   */
  #dispatch<K extends EventType>(type: K, event: SharedWebSocketEventMap[K]): void {
    if (!this.#closed) fire(this, type, event)
  }
}

type Base = keyof ResilientWebSocketEventMap
type Listener<K extends Base> = (event: ResilientWebSocketEventMap[K]) => void
type LeaderListener = (event: SocketEvent<'leader'>) => void
type ListenerObject = { handleEvent(event: any): void }
type ListenerOptions = Parameters<WebSocketEventTarget['addEventListener']>[2]

/** The `leader` event in the typed listener methods (implemented by the base class). */
export interface SharedWebSocket {
  on(type: 'leader', listener: LeaderListener, context?: unknown): this
  on<K extends Base>(type: K, listener: Listener<K>, context?: unknown): this
  once(type: 'leader', listener: LeaderListener, context?: unknown): this
  once<K extends Base>(type: K, listener: Listener<K>, context?: unknown): this
  off(type: 'leader', listener?: LeaderListener, context?: unknown, once?: boolean): this
  off<K extends Base>(type: K, listener?: Listener<K>, context?: unknown, once?: boolean): this
  addEventListener(type: 'leader', listener: LeaderListener | ListenerObject | null, options?: ListenerOptions): void
  addEventListener<K extends Base>(
    type: K,
    listener: Listener<K> | ListenerObject | null,
    options?: ListenerOptions,
  ): void
  removeEventListener(type: 'leader', listener: LeaderListener | ListenerObject | null): void
  removeEventListener<K extends Base>(type: K, listener: Listener<K> | ListenerObject | null): void
}

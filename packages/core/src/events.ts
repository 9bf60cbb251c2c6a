import type { SendData } from './data'

/** A connection's state. `readyState` is derived from it. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'

/** Why a message was dropped. */
export type DropReason = 'overflow' | 'expired' | 'unacknowledged'

/**
 * The base of every event lifeline dispatches: Event-like, with the event's fields on the object itself. `on()`
 * listeners and `addEventListener()` listeners receive the same object.
 */
export class SocketEvent<T extends string = string> {
  declare readonly type: T
  declare readonly target: unknown
  declare readonly timeStamp: number

  constructor(type: T, target: unknown) {
    this.type = type
    this.target = target
    this.timeStamp = Date.now()
  }

  get currentTarget(): unknown {
    return this.target
  }
}

/** `message`: a message from the server. */
export class SocketMessageEvent<D = any> {
  declare readonly type: 'message'
  declare readonly data: D
  declare readonly target: unknown

  constructor(data: D, target: unknown) {
    this.type = 'message'
    this.data = data
    this.target = target
  }

  get currentTarget(): unknown {
    return this.target
  }
}

/** `open`: a connection is open (after the `handshake` hook, if any). */
export class SocketOpenEvent extends SocketEvent<'open'> {
  /** The retry that succeeded: 0 when the connection opened without a retry, 1 for the first retry. */
  declare readonly attempt: number
  /** Whether an earlier connection of this socket had been open. */
  declare readonly reconnected: boolean

  constructor(target: unknown, attempt: number, reconnected: boolean) {
    super('open', target)
    this.attempt = attempt
    this.reconnected = reconnected
  }
}

/** How a connection or an attempt ended. */
export interface CloseInit {
  code: number
  reason: string
  wasClean: boolean
}

/** `close`: a connection closed or an attempt failed. */
export class SocketCloseEvent extends SocketEvent<'close'> {
  declare readonly code: number
  declare readonly reason: string
  declare readonly wasClean: boolean
  /** Whether lifeline will try again; `false` after `close()` and when giving up. */
  declare readonly willReconnect: boolean

  constructor(target: unknown, init: { code: number; reason: string; wasClean: boolean; willReconnect: boolean }) {
    super('close', target)
    this.code = init.code
    this.reason = init.reason
    this.wasClean = init.wasClean
    this.willReconnect = init.willReconnect
  }
}

/**
 * `error`: an attempt or a connection failed, or one of your hooks threw; `error` says why when the cause is known.
 */
export class SocketErrorEvent extends SocketEvent<'error'> {
  declare readonly error: unknown
  declare readonly message: string
  /**
   * The option whose function threw or rejected (`'delivery.ackOf'`, `'shouldReconnect'`, `'url'`...), when the
   * error came from one; lifeline then went on as if it had answered safely (not an ack, give up, a failed attempt).
   */
  declare readonly hook: string | undefined

  constructor(target: unknown, error: unknown, hook?: string) {
    super('error', target)
    this.error = error
    this.hook = hook
    const message = error instanceof Error ? error.message : String(error ?? 'WebSocket error')
    this.message = hook ? `${hook} threw: ${message}` : message
  }
}

/** `reconnecting`: a retry is scheduled. */
export class ReconnectingEvent extends SocketEvent<'reconnecting'> {
  /**
   * The retry's number, counted since the last connection that stayed open `stableAfter` ms (or since the start): 1 for
   * the first. A connection that drops sooner does not reset the count.
   */
  declare readonly attempt: number
  /** Milliseconds until the attempt starts. */
  declare readonly delay: number
  /** The close event or error that caused it. */
  declare readonly reason: SocketCloseEvent | unknown

  constructor(target: unknown, attempt: number, delay: number, reason: unknown) {
    super('reconnecting', target)
    this.attempt = attempt
    this.delay = delay
    this.reason = reason
  }
}

/** `state`: the connection's state changed. */
export class StateChangeEvent extends SocketEvent<'state'> {
  declare readonly state: ConnectionState
  declare readonly previous: ConnectionState

  constructor(target: unknown, state: ConnectionState, previous: ConnectionState) {
    super('state', target)
    this.state = state
    this.previous = previous
  }
}

/** `drop`: a message lifeline will not send. */
export class DropEvent extends SocketEvent<'drop'> {
  /** The message, as given to `send()`. */
  declare readonly data: SendData
  declare readonly reason: DropReason

  constructor(target: unknown, data: SendData, reason: DropReason) {
    super('drop', target)
    this.data = data
    this.reason = reason
  }
}

/** `latency`: a heartbeat round trip was measured. */
export class LatencyEvent extends SocketEvent<'latency'> {
  /** Round-trip time in ms. */
  declare readonly latency: number

  constructor(target: unknown, latency: number) {
    super('latency', target)
    this.latency = latency
  }
}

/** Every event a `ResilientWebSocket` dispatches, by type. */
export interface ResilientWebSocketEventMap {
  open: SocketOpenEvent
  message: SocketMessageEvent
  close: SocketCloseEvent
  error: SocketErrorEvent
  reconnecting: ReconnectingEvent
  state: StateChangeEvent
  drop: DropEvent
  drain: SocketEvent<'drain'>
  latency: LatencyEvent
}

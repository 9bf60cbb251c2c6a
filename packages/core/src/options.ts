import type { Jitter } from './backoff'
import type { SendData } from './data'
import type { Delivery } from './delivery-contract'
import type { SocketCloseEvent } from './events'
import type { LifelineSignals } from './lifecycle'
import type { OverflowPolicy } from './send-queue'

/** The part of a WebSocket implementation lifeline uses. Browsers' `WebSocket`, `ws` and msw's mock all fit. */
export interface WebSocketLike {
  readonly readyState: number
  readonly bufferedAmount: number
  readonly protocol: string
  readonly extensions: string
  binaryType: string
  onopen: ((event: any) => void) | null
  onmessage: ((event: any) => void) | null
  onclose: ((event: any) => void) | null
  onerror: ((event: any) => void) | null
  send(data: any): void
  close(code?: number, reason?: string): void
  /** `ws` only: sends a protocol ping frame. */
  ping?: (data?: any) => void
  /** `ws` only: destroys the connection at once. */
  terminate?: () => void
  /** `ws` only: listens for `ping`/`pong` frames. */
  on?: (event: string, listener: (...args: any[]) => void) => unknown
  /** `ws` only. */
  off?: (event: string, listener: (...args: any[]) => void) => unknown
}

/** A WebSocket constructor, such as `globalThis.WebSocket` or `ws`'s `WebSocket`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** A value, or a function (sync or async) called before every connection attempt. */
export type Provider<T> = T | (() => T | Promise<T>)

/** What a retry policy and `shouldReconnect` are told about a lost connection. */
export interface RetryContext {
  /**
   * The retry's number, counted since the last connection that stayed open `stableAfter` ms (or since the start): 1 for
   * the first. A connection that drops sooner does not reset the count.
   */
  attempt: number
  /** Milliseconds since the connection was lost (or since the first failed attempt). */
  elapsed: number
  /** The close event or error that caused the retry. */
  reason: SocketCloseEvent | unknown
  /** Whether the environment reports being online; `undefined` where it cannot tell. */
  online: boolean | undefined
}

/**
 * A retry policy: returns the delay in ms before the next attempt (finite, ≥ 0; more than 2³¹−1 waits 2³¹−1), or
 * `null` to give up. Anything else, or an exception, is reported as an `error` event and gives up.
 */
export type RetryPolicy = (ctx: RetryContext) => number | null

export interface ReconnectOptions {
  /** Cap of the first retry's delay, in ms: 0 to 2³¹−1. @default 1000 */
  minDelay?: number
  /** Largest delay between attempts, in ms: `minDelay` to 2³¹−1. @default 10000 */
  maxDelay?: number
  /** Growth of the cap per retry (≥ 1): cap = min(maxDelay, minDelay × factor^n), n from 0. @default 2 */
  factor?: number
  /**
   * How delays are spread so that many clients do not retry in step. `'full'`: uniform in [0, cap];
   * `'equal'`: [cap/2, cap]; `'decorrelated'`: minDelay first, then uniform in [minDelay, 3 × previous] up to
   * maxDelay; `'none'`: exactly cap. @default 'full'
   */
  jitter?: Jitter
  /** How many attempts in a row may fail before giving up (≥ 1; the first connection counts). @default Infinity */
  maxAttempts?: number
  /** Milliseconds a connection must stay open before the attempt count resets (`Infinity`: never). @default 5000 */
  stableAfter?: number
  /** Source of randomness in [0, 1), for reproducible tests. @default Math.random */
  random?: () => number
}

export interface QueueOptions {
  /** Most messages held (waiting plus unacknowledged): ≥ 1, or `Infinity`. @default 10000 */
  maxMessages?: number
  /** Most bytes held (UTF-8 bytes for text): ≥ 1, or `Infinity`. @default 8388608 (8 MiB) */
  maxBytes?: number
  /** Milliseconds a message may wait before it is dropped with reason `'expired'`. @default Infinity (no limit) */
  ttl?: number
  /**
   * What happens when a message does not fit: `'drop-oldest'` drops the oldest held messages, `'drop-newest'` drops
   * the new one, `'throw'` makes `send()` throw a `QueueFullError` (and emit no `drop`). @default 'drop-oldest'
   */
  overflow?: OverflowPolicy
}

export interface HeartbeatOptions {
  /** Milliseconds of inbound silence before a ping is sent: above 0, at most 2³¹−1. @default 25000 */
  interval?: number
  /**
   * Milliseconds to wait for any inbound traffic after a ping before the connection is declared dead: above 0, at
   * most 2³¹−1. @default 10000
   */
  timeout?: number
  /**
   * The application ping (a value, or a function returning one). Without it, protocol ping frames are used where
   * the implementation has them (`ws`), and elsewhere only inbound silence is watched. @default undefined
   */
  message?: SendData | (() => SendData)
  /**
   * Recognises the server's answer to an application ping; such messages are not dispatched as `message`. If it
   * throws, the message is not a pong (and an `error` event names `heartbeat.isPong`). @default undefined
   */
  isPong?: (data: any) => boolean
}

/** What the `handshake` hook is told. */
export interface HandshakeContext {
  /** The retry that led here: 0 without a retry. */
  attempt: number
  /** Whether an earlier connection of this socket had been open. */
  reconnected: boolean
  /** The URL connected to. */
  url: string
  /** The subprotocol the server chose. */
  protocol: string
}

/** What the `resume` hook is told. */
export interface ResumeContext {
  /** The retry about to start: 0 for the very first attempt. */
  attempt: number
  /** Whether an earlier connection of this socket had been open. */
  reconnected: boolean
}

/**
 * A socket's options, all optional. They are checked once, in the constructor: a value out of range throws a
 * `RangeError`, a value of the wrong type a `TypeError`, each naming the option and the value. No delay or timeout
 * may exceed 2³¹−1 ms (the longest a timer waits); `Infinity` means "never" where an option says so.
 */
export interface ResilientWebSocketOptions {
  /**
   * The WebSocket implementation, e.g. `ws`'s `WebSocket` in Node. Looked up at every attempt, so a mock that
   * replaces the global is used. @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor
  /**
   * Creates the socket for an attempt (e.g. `ws` with headers). Wins over `WebSocket` when both are given. If it
   * throws, the attempt fails and is retried. @default undefined
   */
  createWebSocket?: (url: string, protocols: string[] | undefined) => WebSocketLike
  /** `false` to never reconnect, backoff settings, or a retry policy. @default {} (the defaults below) */
  reconnect?: false | ReconnectOptions | RetryPolicy
  /**
   * Milliseconds an attempt (URL provider and `handshake` hook included) may take before it is dropped; `Infinity`
   * for no limit. @default 10000
   */
  connectTimeout?: number
  /**
   * Milliseconds `close()` (and `reconnect()`, for the connection it leaves) waits for the server's close frame
   * before dropping the connection; at once when the heartbeat already finds the peer silent. `Infinity` waits as
   * long as the implementation does. @default 5000
   */
  closeTimeout?: number
  /** Server close codes after which lifeline does not reconnect. @default [1008] */
  fatalCloseCodes?: readonly number[]
  /**
   * Decides, for every lost connection or failed attempt (code 1006 when there was no close frame), whether to
   * reconnect. Replaces `fatalCloseCodes`; `maxAttempts` still applies. If it throws: an `error` event, and lifeline
   * gives up. @default undefined
   */
  shouldReconnect?: (event: SocketCloseEvent, ctx: RetryContext) => boolean
  /** Bounds of the send queue. @default { maxMessages: 10000, maxBytes: 8 MiB, overflow: 'drop-oldest' } */
  queue?: QueueOptions
  /**
   * Queued messages go to the socket only while its `bufferedAmount` is below this; `send()` returns `false` at or
   * above it (and when the queue is half full). Above 0, or `Infinity`. @default 1048576 (1 MiB)
   */
  highWaterMark?: number
  /**
   * `drain` fires when the total buffered falls below this (and the queue is at most a quarter full) after `send()`
   * returned `false`. 0 to `highWaterMark`. @default 262144 (256 KiB), or `highWaterMark` when that is lower
   */
  lowWaterMark?: number
  /**
   * Runs when a connection opens, before `open` and before anything queued is sent (authenticate, resubscribe).
   * `send` writes straight to the new socket. If it throws or rejects, the connection is dropped and retried.
   * @default undefined
   */
  handshake?: (send: (data: SendData) => void, ctx: HandshakeContext) => void | Promise<void>
  /**
   * Runs before every attempt with the URL about to be used; change it (e.g. `url.searchParams.set('since', seq)`)
   * or return another, so a feed continues where it stopped. If it throws or rejects, the attempt fails and is
   * retried. @default undefined
   */
  resume?: (url: URL, ctx: ResumeContext) => void | string | URL | Promise<void | string | URL>
  /**
   * Acknowledged delivery: what `acknowledged({ id, ackOf, timeout?, onTimeout? })` from `@lifeline/core/delivery`
   * returns. Off unless given. @default undefined
   */
  delivery?: Delivery
  /**
   * Dead-connection detection. `true` for the defaults, `false` for none. When not given: on where the
   * implementation has protocol pings (`ws` in Node), off elsewhere. @default undefined
   */
  heartbeat?: boolean | HeartbeatOptions
  /** Network, page-lifecycle and sleep signals; each replaceable or `false`. @default browser signals where present */
  lifecycle?: LifelineSignals
}

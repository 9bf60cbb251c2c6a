import type { Provider, ResilientWebSocketOptions, SendData, WebSocketConstructor } from '@lifeline/core'
import type { SocketClass } from './socket'

/** What `openObserver` is told: lifeline's `open` event (`attempt`, `reconnected`). */
export interface OpenInfo {
  readonly type: string
  /** The retry that succeeded: 0 without a retry. */
  readonly attempt?: number
  /** Whether an earlier connection had been open. */
  readonly reconnected?: boolean
}

/** What `closeObserver` is told: lifeline's `close` event. */
export interface CloseInfo {
  readonly code: number
  readonly reason: string
  readonly wasClean: boolean
  /** Whether lifeline will connect again. */
  readonly willReconnect?: boolean
}

/**
 * The config of {@link webSocket}: rxjs's names, plus every `ResilientWebSocket` option (`reconnect`, `heartbeat`,
 * `queue`, `handshake`, ...) at the top level, plus `closeDelay`, and `Socket` and `channel` for one connection shared by
 * all tabs.
 */
export interface WebSocketSubjectConfig<T> extends ResilientWebSocketOptions {
  /** The server's URL, or a function (sync or async) called before every attempt (fresh tokens, failover). */
  url: Provider<string | URL>
  /** Subprotocol name(s), or a function returning them before every attempt. @default undefined */
  protocol?: Provider<string | string[] | undefined>
  /** Turns a value given to `next()` into what is sent. @default JSON.stringify */
  serializer?(value: T): SendData
  /**
   * Turns a message event into what subscribers receive. A message it throws on is skipped and the exception
   * reported (`reportError`). @default (event) => JSON.parse(event.data)
   */
  deserializer?(event: { data: any }): T
  /** Told of every open, reconnections included. @default undefined */
  openObserver?: { next(event: OpenInfo): void }
  /** Told of every close, including lost connections lifeline reconnects. @default undefined */
  closeObserver?: { next(event: CloseInfo): void }
  /** Told when `complete()` or `error()` is about to close the socket. @default undefined */
  closingObserver?: { next(value: void): void }
  /**
   * The class that makes the socket, called as `new Socket(url, protocol, options)`: `SharedWebSocket` from
   * `@lifeline/core/tabs` gives all the tabs of the origin one connection. @default ResilientWebSocket
   */
  Socket?: SocketClass
  /**
   * With `Socket: SharedWebSocket`: the name under which the tabs share one connection (required when the URL is a
   * function). @default the URL (and the protocols, when given)
   */
  channel?: string
  /** The WebSocket implementation (rxjs's name for lifeline's `WebSocket` option). @default globalThis.WebSocket */
  WebSocketCtor?: WebSocketConstructor
  /** `'blob'` or `'arraybuffer'`, for every connection. @default 'blob' */
  binaryType?: 'blob' | 'arraybuffer'
  /**
   * Milliseconds the connection stays open after the last subscriber leaves, so one that comes back (a route change)
   * finds it open. `0` closes in the next task; `Infinity` keeps it until `complete()`. @default 1000
   */
  closeDelay?: number
}

import type {
  HeartbeatOptions,
  ResilientWebSocket,
  ResilientWebSocketOptions,
  SocketCloseEvent,
  SocketErrorEvent,
  SocketMessageEvent,
  SocketOpenEvent,
} from '@lifeline/core'
import type { LifelineSocket, SocketClass } from './socket'

/** Query parameters appended to the URL. */
export type QueryParams = Record<string, string | number>

/** The URL argument: a string, or a function (sync or async) called before every connection attempt. */
export type SocketUrl = string | (() => string | Promise<string>)

/** Core's heartbeat settings, plus react-use-websocket's `returnMessage`. */
export interface HeartbeatSettings extends HeartbeatOptions {
  /** The application ping. @default 'ping' */
  message?: HeartbeatOptions['message']
  /**
   * The server's answer to a ping: such messages reach neither `lastMessage` nor `onMessage`, and their round trip is
   * the `latency`. Any inbound message proves the connection alive. @default undefined
   */
  returnMessage?: unknown
}

/**
 * `useWebSocket`'s options: react-use-websocket's names, lifeline's additions, and every `ResilientWebSocket`
 * option (`reconnect`, `queue`, `WebSocket`, `connectTimeout`, ...), which pass through to the socket. `S` is the
 * class of socket `Socket` makes.
 */
export interface UseWebSocketOptions<S extends LifelineSocket = ResilientWebSocket>
  extends Omit<ResilientWebSocketOptions, 'heartbeat'> {
  /**
   * The class that makes the socket, called as `new Socket(url, protocols, options)`: `SharedWebSocket` from
   * `@lifeline/core/tabs` gives all the tabs of the origin one connection. @default ResilientWebSocket
   */
  Socket?: SocketClass<S>
  /**
   * With `Socket: SharedWebSocket`: the name under which the tabs share one connection (required when the URL is a
   * function). @default the URL (and the protocols, when given)
   */
  channel?: string
  /** Components using the same URL (and protocols and query parameters) share one socket. @default false */
  share?: boolean
  /** With `share`, milliseconds a socket stays open after its last user unmounted, for the next one. @default 1000 */
  closeDelay?: number
  /** Decides which messages become `lastMessage`; `onMessage` sees every message. @default undefined (all) */
  filter?: (message: SocketMessageEvent) => boolean
  /** Called on every open, reconnections included. @default undefined */
  onOpen?: (event: SocketOpenEvent) => void
  /** Called on every close, whether lifeline reconnects (`event.willReconnect`) or not. @default undefined */
  onClose?: (event: SocketCloseEvent) => void
  /** Called for every message except heartbeat replies. @default undefined */
  onMessage?: (message: SocketMessageEvent) => void
  /** Called on every error. @default undefined */
  onError?: (event: SocketErrorEvent) => void
  /** Called when lifeline stops reconnecting on its own, with the number of retries made. @default undefined */
  onReconnectStop?: (attempts: number) => void
  /**
   * Retries in a row before giving up, counted since the last connection that stayed open `stableAfter` (5 s); with
   * a `reconnect` object it sets `maxAttempts` to `reconnectAttempts + 1`; ignored when `reconnect` is a function.
   * @default Infinity
   */
  reconnectAttempts?: number
  /**
   * Milliseconds before each retry, spread by ±20% so that many clients do not retry in step; or a function of the
   * retry number (0 for the first), used as given. Ignored when `reconnect` is given. @default lifeline's backoff
   * (full jitter, 1 s doubling up to 10 s)
   */
  reconnectInterval?: number | ((attempt: number) => number)
  /** Accepted for compatibility: lifeline always retries failed attempts like lost connections. @default true */
  retryOnError?: boolean
  /**
   * Heartbeat: after `interval` ms (default 25000) of inbound silence lifeline sends `message` (default `'ping'`); if
   * nothing arrives within `timeout` ms of it (default 10000), the connection is dropped and reconnected. `true` for
   * these defaults, `false` for none. @default undefined (protocol pings where the implementation has them, as `ws`
   * in Node; none in browsers)
   */
  heartbeat?: boolean | HeartbeatSettings
  /** Appended to the URL as a query string. @default undefined */
  queryParams?: QueryParams
  /** Subprotocol names. @default undefined */
  protocols?: string | string[]
  /** `lastJsonMessage` stays `null` (no parsing). @default false */
  disableJson?: boolean
  /**
   * A burst of messages updates `lastMessage` (and renders) at most once per this many ms; `onMessage` still sees
   * every message at once. @default 16
   */
  batchInterval?: number
}

/** The URL source for the socket: with `params` appended as a query string (to every answer of a URL function). */
export function socketUrl(url: SocketUrl, params: QueryParams | undefined): SocketUrl {
  if (!params) return url
  const add = (href: string) =>
    href + (href.includes('?') ? '&' : '?') + new URLSearchParams(params as Record<string, string>)
  return typeof url === 'string' ? add(url) : async () => add(await url())
}

/** The heartbeat as core takes it: an application `'ping'` unless told otherwise, and `returnMessage` as the pong. */
export function heartbeatOf(
  heartbeat: UseWebSocketOptions<LifelineSocket>['heartbeat'],
): ResilientWebSocketOptions['heartbeat'] {
  return typeof heartbeat === 'object'
    ? { message: 'ping', isPong: (data) => data === heartbeat.returnMessage, ...heartbeat }
    : heartbeat && { message: 'ping' }
}

/**
 * The `ResilientWebSocket` options for `useWebSocket`'s options: react-use-websocket's heartbeat and reconnection
 * names become core's; every other name passes through (the socket ignores names it does not know).
 */
export function socketOptions(options: UseWebSocketOptions<LifelineSocket>): ResilientWebSocketOptions {
  const { reconnectAttempts: retries = Infinity, reconnectInterval: interval, reconnect } = options
  return {
    ...options,
    heartbeat: heartbeatOf(options.heartbeat),
    reconnect:
      // Core counts the first connection as an attempt: n retries after it are n + 1 attempts.
      interval === undefined || reconnect !== undefined
        ? reconnect === false || typeof reconnect === 'function'
          ? reconnect
          : { maxAttempts: retries + 1, ...reconnect }
        : (ctx) =>
            ctx.attempt > retries
              ? null
              : typeof interval === 'function'
                ? interval(ctx.attempt - 1)
                : interval * (0.8 + Math.random() * 0.4),
  }
}

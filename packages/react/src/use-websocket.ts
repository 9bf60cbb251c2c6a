import type { ConnectionState, ResilientWebSocket, SendData, SocketMessageEvent, SocketStatus } from '@lifeline/core'
import { parseJson } from './json'
import { idOf } from './leases'
import { none } from './none'
import type { SocketUrl, UseWebSocketOptions } from './options'
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from './react'
import type { ReadyState } from './ready-state'
import type { LifelineSocket } from './socket'
import { type SocketSlot, socketSlot } from './socket-slot'

/**
 * What `useWebSocket` returns: react-use-websocket's result, plus `state`, the socket's other status fields
 * (`attempt`, `latency`, `bufferedAmount`, `queuedMessages`, `url`, `protocol`, `lastClose`, `gaveUp`: `undefined` until a socket
 * exists) and `reconnect()`. `S` is the socket's class (`ResilientWebSocket` unless the `Socket` option says otherwise).
 */
export interface WebSocketHook<T = unknown, S extends LifelineSocket = ResilientWebSocket>
  extends Partial<Omit<SocketStatus, 'readyState' | 'state'>> {
  /** `'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'`; `'connecting'` before the socket exists. */
  state: ConnectionState
  /**
   * Sends `message`: now when open, otherwise queued and sent in order once open — unless `keep` is false, then a
   * message that cannot go out now is dropped. Returns `false` when dropped or at backpressure (`highWaterMark`).
   */
  sendMessage: (message: SendData, keep?: boolean) => boolean
  /** `sendMessage(JSON.stringify(value), keep)`. */
  sendJsonMessage: <J = unknown>(value: J, keep?: boolean) => boolean
  /** The last message that passed `filter`; `null` until one arrived. */
  lastMessage: SocketMessageEvent | null
  /** `lastMessage.data` parsed as JSON (an empty object when it is not JSON); `null` without a message or with `disableJson`. */
  lastJsonMessage: T
  /**
   * `UNINSTANTIATED` until asked to connect, `CONNECTING` from the first render with a URL and while waiting to
   * retry, `CLOSED` once `connect` turned false or lifeline gave up.
   */
  readyState: ReadyState
  /**
   * The socket (a `ResilientWebSocket`, or what the `Socket` option makes), or `null` while there is none. With
   * `share`, other components use it too.
   */
  getWebSocket: () => S | null
  /** Drops the connection (or pending retry) and connects again now, also after lifeline gave up. */
  reconnect: () => void
}

/**
 * Connects while `url` is given and `connect` is true, in an effect (never during render, so server rendering opens
 * nothing), through the component's slot. Giving the socket back is deferred, so StrictMode's second mount and hot
 * reload take the same socket again: one connection, not two. Returns the slot and this render's connection key
 * (`null`: no connection wanted); the slot's socket is this render's when `slot.key` equals it.
 */
export function useConnection(
  url: SocketUrl | null | undefined,
  options: UseWebSocketOptions<LifelineSocket>,
  connect: boolean,
): [SocketSlot, string | null] {
  const [slot] = useState(() => socketSlot(options.batchInterval ?? 16))
  const latest = useRef(options)
  latest.current = options
  const key =
    url != null && connect ? idOf(url) + JSON.stringify([options.share, options.protocols, options.queryParams]) : null
  useEffect(() => slot.connect(key, url, () => latest.current), [slot, url, key])
  return [slot, key]
}

/**
 * A WebSocket for a component, call-compatible with react-use-websocket's `useWebSocket`: the same arguments, options
 * and result. It reconnects by default, queues what is sent while disconnected, opens one connection under StrictMode
 * and hot reload, and folds bursts of messages into few renders.
 *
 * @param url The server's URL, or a function (sync or async) called before every attempt; `null` for no connection.
 * @param options react-use-websocket's options and any `ResilientWebSocket` option; `Socket: SharedWebSocket` for one
 * connection shared by all tabs (with a type for `T`, name the class as `S` too: `useWebSocket<T, SharedWebSocket>`).
 * @param connect `false` closes the connection (`readyState` `CLOSED`). @default true
 */
export function useWebSocket<T = unknown, S extends LifelineSocket = ResilientWebSocket>(
  url: SocketUrl | null,
  options: UseWebSocketOptions<S> = {},
  connect = true,
): WebSocketHook<T, S> {
  const [slot, key] = useConnection(url, options, connect)
  const status = useSyncExternalStore(slot.subscribe, slot.getStatus, none)
  const lastMessage = useSyncExternalStore(slot.lastMessage.subscribe, slot.lastMessage.get, none)
  const disableJson = options.disableJson
  const lastJsonMessage = useMemo(
    () => (lastMessage && !disableJson ? parseJson(lastMessage.data) : null),
    [lastMessage, disableJson],
  ) as T
  const live = key !== null && slot.key === key ? status : null
  return {
    state: key === null ? 'closed' : 'connecting',
    ...live,
    readyState:
      // CLOSED once connected before, UNINSTANTIATED never asked; CONNECTING until the socket says otherwise.
      key === null ? (slot.used ? 3 : -1) : ((live?.readyState ?? 0) as ReadyState),
    sendMessage: slot.sendMessage,
    sendJsonMessage: slot.sendJsonMessage,
    lastMessage,
    lastJsonMessage,
    getWebSocket: slot.getSocket as () => S | null,
    reconnect: slot.reconnect,
  }
}

import type { SocketMessageEvent, SocketStatus } from '@lifeline/core'
import type { ReactElement, ReactNode } from 'react'
import { batchedValue } from './batched-value'
import { none } from './none'
import type { SocketUrl, UseWebSocketOptions } from './options'
import { createContext, createElement, useContext, useEffect, useRef, useState, useSyncExternalStore } from './react'
import { guard } from './report'
import type { LifelineSocket, SocketLike } from './socket'
import { useConnection } from './use-websocket'

/** The provider's socket: `null` outside any provider and while the provider's own socket does not exist. */
const SocketContext = createContext<SocketLike | null>(null)

export interface WebSocketProviderProps {
  /**
   * A socket made elsewhere (a `ResilientWebSocket`, a `SharedWebSocket`, or any socket with their interface); the
   * provider never closes it. Wins over `url`. @default undefined
   */
  socket?: SocketLike
  /**
   * Or the URL of a socket the provider opens in an effect (never during server rendering) and closes when it
   * unmounts, as `useWebSocket` does. @default undefined
   */
  url?: SocketUrl | null
  /** With `url`: `useWebSocket`'s options (`Socket: SharedWebSocket` included). @default {} */
  options?: UseWebSocketOptions<LifelineSocket>
  /** With `url`: `false` closes the connection. @default true */
  connect?: boolean
  children?: ReactNode
}

const ignore = () => none

/**
 * Gives one socket to a subtree: its components read it with `useSocket`, `useSocketStatus` and `useWebSocketMessage`,
 * and each re-renders only when what it reads changes. The provider itself renders again only when its socket is
 * replaced, never for messages or status changes.
 */
export function WebSocketProvider({
  socket,
  url,
  options = {},
  connect = true,
  children,
}: WebSocketProviderProps): ReactElement {
  const [slot] = useConnection(socket ? null : url, options, connect)
  const own = useSyncExternalStore(slot.subscribe, slot.getSocket, none)
  return createElement(SocketContext.Provider, { value: socket ?? own }, children)
}

/**
 * The provider's socket, for sending; `null` until it exists (never during server rendering with `url`) and outside
 * any provider, where the selector hooks return their initial values: a component renders without one.
 */
export function useSocket(): SocketLike | null {
  return useContext(SocketContext)
}

/**
 * The slice `select` picks from the provider's socket status (`null` while there is no socket): the component
 * re-renders only when the slice changes (`Object.is`). `select` must return a primitive or a value it found in the
 * status, never a new object or array (that would change on every call). Without `select`, the whole status.
 */
export function useSocketStatus(): SocketStatus | null
export function useSocketStatus<T>(select: (status: SocketStatus | null) => T): T
export function useSocketStatus(select: (status: SocketStatus | null) => unknown = (status) => status): unknown {
  const socket = useSocket()
  return useSyncExternalStore(
    socket?.subscribe ?? ignore,
    () => select(socket?.status ?? null),
    () => select(null),
  )
}
/**
 * A slice of the provider's messages: `select(message, current)` runs for every message (a `SocketMessageEvent`; its
 * `data` as received) and returns the new slice, or `current` to keep it. The component re-renders only when the
 * slice changes (`Object.is`), at most once per `batchInterval` ms (default 16). A selector that throws is reported
 * and keeps the slice. Messages from before the component mounted are not replayed.
 */
export function useWebSocketMessage<T>(
  select: (message: SocketMessageEvent, current: T) => T,
  initial: T,
  batchInterval?: number,
): T
export function useWebSocketMessage<T>(
  select: (message: SocketMessageEvent, current: T | undefined) => T | undefined,
): T | undefined
export function useWebSocketMessage<T>(
  select: (message: SocketMessageEvent, current: T) => T,
  initial?: T,
  batchInterval = 16,
): T {
  const socket = useSocket()
  const [slice] = useState(() => batchedValue(initial as T, batchInterval))
  const latest = useRef(select)
  latest.current = select

  useEffect(() => {
    if (!socket) return
    const listener = (message: SocketMessageEvent) => {
      const current = slice.get()
      slice.set(guard(() => latest.current(message, current), current) as T)
    }
    socket.addEventListener('message', listener)
    return () => {
      socket.removeEventListener('message', listener)
      slice.stop()
    }
  }, [socket, slice])

  return useSyncExternalStore(slice.subscribe, slice.get, slice.get)
}

/**
 * The connection's state as `useWebSocket` reports it: the WebSocket `readyState` values, plus `UNINSTANTIATED`
 * before any connection was asked for. Usable as a value (`ReadyState.OPEN`) and as a type, as in
 * react-use-websocket.
 */
export const ReadyState = {
  UNINSTANTIATED: -1,
  CONNECTING: 0,
  OPEN: 1,
  CLOSING: 2,
  CLOSED: 3,
} as const

export type ReadyState = (typeof ReadyState)[keyof typeof ReadyState]

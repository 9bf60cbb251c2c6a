import { useWebSocket } from './use-websocket'

export type { HeartbeatSettings, QueryParams, SocketUrl, UseWebSocketOptions } from './options'
export type { WebSocketProviderProps } from './provider'
export { useSocket, useSocketStatus, useWebSocketMessage, WebSocketProvider } from './provider'
export { ReadyState } from './ready-state'
export type { LifelineSocket, SocketClass, SocketLike } from './socket'
export type { WebSocketHook } from './use-websocket'
export { useWebSocket }
export default useWebSocket

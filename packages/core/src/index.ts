export { type BackoffSettings, backoffCap, backoffDelay, type Jitter } from './backoff'
export { CloseCode, CONNECT_TIMEOUT, HANDSHAKE_FAILED, HEARTBEAT_TIMEOUT } from './close-codes'
export type { SendData } from './data'
export { QueueFullError } from './errors'
export {
  type ConnectionState,
  DropEvent,
  type DropReason,
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
export type { ForegroundSignal, LifelineSignals, NetworkSignal } from './lifecycle'
export type {
  DeliveryOptions,
  HandshakeContext,
  HeartbeatOptions,
  Provider,
  QueueOptions,
  ReconnectOptions,
  ResilientWebSocketOptions,
  ResumeContext,
  RetryContext,
  RetryPolicy,
  WebSocketConstructor,
  WebSocketLike,
} from './options'
export { ResilientWebSocket } from './resilient-websocket'
export type { OverflowPolicy } from './send-queue'
export type { LastClose, SocketStatus } from './status'

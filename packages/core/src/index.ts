export { type BackoffSettings, backoffCap, backoffDelay, type Jitter } from './backoff'
export { CLOSE_TIMEOUT, CloseCode, CONNECT_TIMEOUT, HANDSHAKE_FAILED, HEARTBEAT_TIMEOUT } from './close-codes'
export type { BlobLike, SendData } from './data'
export type { Delivery } from './delivery-contract'
export { QueueFullError } from './errors'
export type { AbortSignalLike, EventListenerLike, ListenerObject } from './event-target'
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
export { type BinaryTypeLike, ResilientWebSocket } from './resilient-websocket'
export type { OverflowPolicy } from './send-queue'
export type { SocketStats } from './stats'
export type { LastClose, SocketStatus } from './status'

import type {
  Provider,
  ResilientWebSocket,
  ResilientWebSocketOptions,
  SocketCloseEvent,
  SocketMessageEvent,
  SocketOpenEvent,
} from '@lifeline/core'

/**
 * What `webSocket()` needs of the socket it makes, described by its members rather than its class:
 * `ResilientWebSocket` and `SharedWebSocket` (from `@lifeline/core/tabs`) fit, and so does any socket with their
 * interface.
 */
export interface SubjectSocket extends Pick<ResilientWebSocket, 'send' | 'close' | 'queued' | 'binaryType'> {
  /** `false` in a tab that shares another tab's connection (`SharedWebSocket`): it runs no handshake. */
  readonly isLeader?: boolean
  on(type: 'open', listener: (event: SocketOpenEvent) => void): unknown
  on(type: 'message', listener: (event: SocketMessageEvent) => void): unknown
  on(type: 'close', listener: (event: SocketCloseEvent) => void): unknown
}

/** A class with `ResilientWebSocket`'s constructor whose instances are `S`: `ResilientWebSocket`, `SharedWebSocket`. */
export type SocketClass<S extends SubjectSocket = SubjectSocket> = new (
  url: Provider<string | URL>,
  protocols: Provider<string | string[] | undefined>,
  options: ResilientWebSocketOptions & { channel?: string },
) => S

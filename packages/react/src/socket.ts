import type { ResilientWebSocket, ResilientWebSocketOptions } from '@lifeline/core'
import type { SocketUrl } from './options'

/**
 * What a provider's consumers need of a socket, described by its members rather than its class: `ResilientWebSocket`
 * and `SharedWebSocket` (from `@lifeline/core/tabs`) fit, and so does any socket with their interface (`subscribe`
 * must work unbound, as core's does).
 */
export type SocketLike = Pick<
  ResilientWebSocket,
  'status' | 'subscribe' | 'send' | 'addEventListener' | 'removeEventListener' | 'readyState'
>

/**
 * What `useWebSocket` needs of a socket it makes: a `SocketLike` it can also reconnect and close. `ResilientWebSocket`
 * and `SharedWebSocket` fit.
 */
export type LifelineSocket = SocketLike & Pick<ResilientWebSocket, 'state' | 'attempt' | 'reconnect' | 'close'>

/** A class with `ResilientWebSocket`'s constructor whose instances are `S`: `ResilientWebSocket`, `SharedWebSocket`. */
export type SocketClass<S extends LifelineSocket = LifelineSocket> = new (
  url: SocketUrl,
  protocols: string | string[] | undefined,
  options: ResilientWebSocketOptions,
) => S

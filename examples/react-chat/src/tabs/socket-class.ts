import { ResilientWebSocket } from '@lifeline/core'
import { SharedWebSocket } from '@lifeline/core/tabs'
import type { LifelineSocket, SocketClass } from '@lifeline/react'

/**
 * The class the app's sockets are made with (`useWebSocket`'s `Socket` option): a connection per tab, or, when
 * `shared`, `SharedWebSocket`: one connection for all the tabs of the app, held by one of them.
 */
export function socketClass(shared: boolean): SocketClass<LifelineSocket> {
  return shared ? SharedWebSocket : ResilientWebSocket
}

import { SharedWebSocket } from '@lifeline/core/tabs'
import type { LifelineSocket } from '@lifeline/react'
import { useCallback, useSyncExternalStore } from 'react'

/** `'leader'`: this tab holds the shared connection; `'follower'`: it relays through the tab that does. */
export type TabRole = 'leader' | 'follower'

/**
 * This tab's part in the shared connection of `socket`, kept current by the socket's `leader` event; `undefined` for
 * a socket of its own (not a `SharedWebSocket`) and while there is no socket.
 */
export function useTabRole(socket: LifelineSocket | null): TabRole | undefined {
  const shared = socket instanceof SharedWebSocket ? socket : null
  const subscribe = useCallback(
    (changed: () => void) => {
      shared?.on('leader', changed)
      return () => {
        shared?.off('leader', changed)
      }
    },
    [shared],
  )
  return useSyncExternalStore(
    subscribe,
    () => (shared ? (shared.isLeader ? 'leader' : 'follower') : undefined),
    () => undefined,
  )
}

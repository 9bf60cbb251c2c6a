import type { ReconnectingEvent } from '@lifeline/core'
import type { LifelineSocket } from '@lifeline/react'
import { useEffect, useState } from 'react'

/**
 * When the socket's scheduled retry starts (ms since the epoch), from its last `reconnecting` event; `undefined`
 * before any. The badge counts down to it.
 */
export function useRetryAt(socket: LifelineSocket | null): number | undefined {
  const [retryAt, setRetryAt] = useState<number | undefined>(undefined)
  useEffect(() => {
    if (!socket) return
    const onReconnecting = (event: ReconnectingEvent) => setRetryAt(Date.now() + event.delay)
    socket.addEventListener('reconnecting', onReconnecting)
    return () => socket.removeEventListener('reconnecting', onReconnecting)
  }, [socket])
  return retryAt
}

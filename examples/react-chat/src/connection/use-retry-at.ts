import type { ResilientWebSocket } from '@lifeline/core'
import { useEffect, useState } from 'react'

/**
 * When the socket's scheduled retry starts (ms since the epoch), from its last `reconnecting` event; `undefined`
 * before any. The badge counts down to it.
 */
export function useRetryAt(socket: ResilientWebSocket | null): number | undefined {
  const [retryAt, setRetryAt] = useState<number | undefined>(undefined)
  useEffect(() => {
    if (!socket) return
    const onReconnecting = (event: { delay: number }) => setRetryAt(Date.now() + event.delay)
    socket.on('reconnecting', onReconnecting)
    return () => {
      socket.off('reconnecting', onReconnecting)
    }
  }, [socket])
  return retryAt
}

import type { SocketMessageEvent } from '@lifeline/core'
import type { BatchedValue } from './batched-value'
import type { UseWebSocketOptions } from './options'
import { guard } from './report'
import type { LifelineSocket } from './socket'

const CALLBACKS = { open: 'onOpen', close: 'onClose', error: 'onError', message: 'onMessage' } as const

/**
 * Calls the newest options' callbacks for the socket's events (`onReconnectStop` after a close that ends
 * reconnecting) and keeps the last message that passes `filter` in `lastMessage`; returns the function that stops
 * listening. A callback or filter that throws is reported and changes nothing else (a throwing filter keeps
 * `lastMessage`).
 */
export function listen(
  socket: LifelineSocket,
  latest: () => UseWebSocketOptions<LifelineSocket>,
  lastMessage: BatchedValue<SocketMessageEvent | null>,
): () => void {
  const handler = (event: any): void => {
    const options = latest()
    const type = event.type as keyof typeof CALLBACKS
    guard(() => options[CALLBACKS[type]]?.(event))
    if (type === 'close' && !event.willReconnect) guard(() => options.onReconnectStop?.(socket.attempt))
    if (type === 'message' && (!options.filter || guard(() => options.filter!(event)))) lastMessage.set(event)
  }
  for (const type in CALLBACKS) socket.addEventListener(type as 'open', handler)
  return () => {
    for (const type in CALLBACKS) socket.removeEventListener(type as 'open', handler)
  }
}

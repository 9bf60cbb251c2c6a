import { ResilientWebSocket, type SendData, type SocketMessageEvent, type SocketStatus } from '@lifeline/core'
import { type BatchedValue, batchedValue } from './batched-value'
import { acquire, release } from './leases'
import { listen } from './listen'
import { type SocketUrl, socketOptions, socketUrl, type UseWebSocketOptions } from './options'
import type { LifelineSocket } from './socket'
import { subscribers } from './subscribers'

/** A component's connection. See {@link socketSlot}. */
export interface SocketSlot {
  /** Reports a new socket (or none) and every change of the socket's status. */
  subscribe(listener: () => void): () => void
  getSocket(): LifelineSocket | null
  getStatus(): SocketStatus | null
  /** The last message that passed `filter`, announced at most once per `batchInterval`. */
  lastMessage: BatchedValue<SocketMessageEvent | null>
  /** The connection key of the socket in the slot, as of the last effect. */
  key?: string | null
  /** A socket was attached at least once: without one now, `readyState` is `CLOSED`, not `UNINSTANTIATED`. */
  used?: boolean
  /**
   * An effect's body: takes the socket for `key` (`null`: none) from the lease registry, listens to it and puts it in
   * the slot; returns the cleanup, which gives it back (closed after `closeDelay` when shared, after the current
   * task otherwise, unless taken again first).
   */
  connect(
    key: string | null,
    url: SocketUrl | null | undefined,
    latest: () => UseWebSocketOptions<LifelineSocket>,
  ): (() => void) | void
  sendMessage(message: SendData, keep?: boolean): boolean
  sendJsonMessage<T = unknown>(value: T, keep?: boolean): boolean
  reconnect(): void
}

let slots = 0

/**
 * The socket a component uses, which exists only between its effect and the effect's cleanup (so that server
 * rendering creates none and a discarded render leaks none), and the component's own concerns beside it: the last
 * message and what was sent before the socket existed. `subscribe` reports a new socket and every change of the
 * socket's `status`, for `useSyncExternalStore`.
 */
export function socketSlot(batchInterval: number): SocketSlot {
  const { subscribe, notify } = subscribers()
  const id = ++slots
  let socket: LifelineSocket | null = null
  /** Sent before the socket existed, in order. */
  const pending: SendData[] = []

  const slot: SocketSlot = {
    subscribe,
    getSocket: () => socket,
    getStatus: () => socket?.status ?? null,
    lastMessage: batchedValue<SocketMessageEvent | null>(null, batchInterval),

    connect(key, url, latest) {
      if (slot.key !== key) {
        slot.key = key
        slot.lastMessage.set(null)
      }
      if (key === null || url == null) return
      const share = latest().share === true
      const lease = share ? key : `${id} ${key}`
      const taken = acquire(
        lease,
        () =>
          new (latest().Socket ?? ResilientWebSocket)(
            socketUrl(url, latest().queryParams),
            latest().protocols,
            socketOptions(latest()),
          ),
      )
      const stop = listen(taken, latest, slot.lastMessage)
      const unsubscribe = taken.subscribe(notify)
      socket = taken
      slot.used = true
      for (const message of pending.splice(0)) taken.send(message)
      notify()
      return () => {
        stop()
        unsubscribe()
        slot.lastMessage.stop()
        socket = null
        notify()
        release(lease, share ? (latest().closeDelay ?? 1000) : 0)
      }
    },

    sendMessage(message, keep = true) {
      if (!keep && socket?.readyState !== 1) return false
      if (socket) return socket.send(message)
      pending.push(message)
      return true
    },
    sendJsonMessage: (value, keep) => slot.sendMessage(JSON.stringify(value), keep),
    reconnect: () => socket?.reconnect(),
  }
  return slot
}

import { type Provider, ResilientWebSocket, type SendData } from '@lifeline/core'
import { defer, filter, finalize, Observable, Subject } from 'rxjs'
import type { WebSocketSubjectConfig } from './config'
import { attempt, tell } from './report'
import type { SubjectSocket } from './socket'

/** How `error()` closes the socket. */
export interface CloseHow {
  /** 1000 or 3000–4999. @default 1000 */
  code?: number
  /** Up to 123 UTF-8 bytes. @default '' */
  reason?: string
}

/**
 * A reconnecting replacement for rxjs's `WebSocketSubject`: `next()` sends, `subscribe()` receives. It connects on
 * the first subscriber and closes `closeDelay` ms after the last one leaves. A lost connection is reconnected and
 * reaches no subscriber; giving up reaches each subscriber once, as `error` with the final close event.
 */
export interface WebSocketSubject<T> extends Observable<T> {
  /**
   * Sends `value` serialized: now when open, otherwise queued and sent in order once connected (also while no one is
   * subscribed). A serializer that throws throws here, and nothing is sent. Ignored after `complete()`.
   */
  next(value: T): void
  /** Closes the socket for good (code 1000) and completes every subscriber. */
  complete(): void
  /**
   * Closes the socket for good with `error.code` (1000 or 3000–4999) and `error.reason` when given, and completes
   * every subscriber. A code or reason the platform refuses throws its `DOMException` here, and nothing changes.
   */
  error(error?: CloseHow): void
  /** The same as `complete()`. */
  unsubscribe(): void
  /**
   * A stream of one topic: `subscribeMessage()` is sent when the topic gains its first subscriber (topics are
   * compared by serialized subscribe message, across `multiplex()` calls), `unsubscribeMessage()` when it loses its
   * last, and the subscribe message again after every reconnect while the topic is in use. Receives the values for
   * which `filter` returns true; `filter` or `subscribeMessage` throwing errors this subscriber only. With
   * `Socket: SharedWebSocket`, topics are counted per tab: each tab sends its own subscribe and unsubscribe messages
   * through the shared connection, and subscribes its topics again on every new connection.
   */
  multiplex(subscribeMessage: () => any, unsubscribeMessage: () => any, filter: (value: T) => boolean): Observable<T>
}

/**
 * Creates a {@link WebSocketSubject}: the call shape and config names of rxjs's `webSocket()`, plus lifeline's
 * options at the top level of the config. Nothing connects until the first subscriber.
 */
export function webSocket<T = any>(
  urlOrConfig: Provider<string | URL> | WebSocketSubjectConfig<T>,
): WebSocketSubject<T> {
  const config = (urlOrConfig as WebSocketSubjectConfig<T>).url
    ? (urlOrConfig as WebSocketSubjectConfig<T>)
    : { url: urlOrConfig as Provider<string | URL> }
  const {
    serializer = JSON.stringify as (value: T) => SendData,
    deserializer = (event: { data: any }): T => JSON.parse(event.data),
    closeDelay = 1000,
    handshake,
  } = config
  if (!(closeDelay >= 0)) throw new RangeError('closeDelay: ' + closeDelay)
  /** Where received values go; replaced after it ends with a give-up. */
  let output = new Subject<T>()
  /** Subscribers per multiplexed topic (its serialized subscribe message). */
  const topics = new Map<SendData, number>()
  let socket: SubjectSocket | undefined
  /** Serialized messages sent while no connection exists, oldest first. */
  let pending: SendData[] = []
  let closeTimer: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  /** Sends the subscribe message of each topic in use, except those still queued: they go out with the queue. */
  const resubscribe = (send: (data: SendData) => void) => {
    const queued = socket!.queued
    for (const topic of topics.keys()) if (!queued.includes(topic)) send(topic)
  }

  const options = {
    ...config,
    WebSocket: config.WebSocketCtor ?? config.WebSocket,
    // Topics in use are subscribed again on every connection, after the app's own handshake and before anything
    // queued.
    handshake: async (send: (data: SendData) => void, ctx: any) => {
      await handshake?.(send, ctx)
      resubscribe(send)
    },
  }

  const connect = () => {
    const created: SubjectSocket = new (config.Socket ?? ResilientWebSocket)(config.url, config.protocol, options)
    // Left unset, binaryType is ignored, as any value other than 'blob' and 'arraybuffer' is.
    created.binaryType = config.binaryType!
    created.on('open', (event) => {
      // A tab that shares another tab's connection (SharedWebSocket) runs no handshake: it subscribes its topics on
      // every connection itself, after what the connection had queued.
      if (created.isLeader === false) resubscribe((data) => created.send(data))
      tell(config.openObserver, event)
    })
    created.on('message', (event) => attempt(() => output.next(deserializer(event))))
    created.on('close', (event) => {
      tell(config.closeObserver, event)
      if (event.willReconnect || created !== socket) return
      // Gave up: every subscriber is told once; the next subscriber starts a new connection.
      end()
      const ended = output
      output = new Subject()
      ended.error(event)
    })
    for (const data of pending.splice(0)) created.send(data)
    socket = created
  }

  /** Lets go of the socket, closing it with `how.code` and `how.reason`; what it still queues goes out on the next one. */
  const end = (how?: CloseHow) => {
    const ending = socket
    socket = undefined
    try {
      ending?.close(how?.code, how?.reason)
    } catch (error) {
      socket = ending
      throw error
    }
    clearTimeout(closeTimer)
    pending = ending?.queued ?? []
  }

  /** Closes for good: `complete()`, `error({ code, reason })` and `unsubscribe()`. */
  const stop = (how?: CloseHow) => {
    if (stopped) return
    tell(config.closingObserver)
    end(how)
    stopped = true
    output.complete()
  }

  const subject = new Observable<T>((subscriber) => {
    clearTimeout(closeTimer)
    if (!socket && !stopped) connect()
    const subscription = output.subscribe(subscriber)
    return () => {
      subscription.unsubscribe()
      if (!output.observed && socket && closeDelay < Infinity) closeTimer = setTimeout(end, closeDelay)
    }
  }) as WebSocketSubject<T>

  return Object.assign(subject, {
    next(value: T) {
      if (stopped) return
      const data = serializer(value)
      if (socket) socket.send(data)
      else pending.push(data)
    },
    complete: stop,
    unsubscribe: stop,
    error: stop,
    multiplex: (subscribeMessage: () => any, unsubscribeMessage: () => any, messageFilter: (value: T) => boolean) =>
      defer(() => {
        const topic = serializer(subscribeMessage())
        const count = topics.get(topic) ?? 0
        // Without a connection, the handshake of the next one subscribes.
        if (!count) socket?.send(topic)
        topics.set(topic, count + 1)
        return subject.pipe(
          filter(messageFilter),
          finalize(() => {
            const left = topics.get(topic)! - 1
            if (left > 0) return topics.set(topic, left)
            topics.delete(topic)
            attempt(() => socket?.send(serializer(unsubscribeMessage())))
          }),
        )
      }),
  })
}

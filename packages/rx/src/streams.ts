import type { SocketStatus } from '@lifeline/core'
import { distinctUntilChanged, filter, ignoreElements, map, Observable } from 'rxjs'
import { attempt } from './report'

/** What a message's `data` is: text, or binary as the socket's `binaryType` says. */
export type MessageData = string | ArrayBuffer | Blob

type MessageListener = (event: { data: any }) => void

/**
 * What the streams read from a socket: its `status` snapshot, `subscribe` to hear of changes, and its `message`
 * events. `ResilientWebSocket` fits, `SharedWebSocket` (`@lifeline/core/tabs`) too, and any socket with the same
 * interface.
 */
export interface StatusSource {
  readonly status: SocketStatus
  subscribe(listener: () => void): () => void
  addEventListener(type: 'message', listener: MessageListener): void
  removeEventListener(type: 'message', listener: MessageListener): void
}

/**
 * The socket's `status`: the current snapshot at once (so `toSignal(..., { requireSync: true })` works), then each
 * new one. Completes when the socket is closed for good (`close()`), errors with the last close
 * (`{ code, reason, wasClean }`) when it gives up (`status.gaveUp`). A socket that is already closed gives its status
 * and completes (or errors, if it gave up).
 */
export function status$(socket: StatusSource): Observable<SocketStatus> {
  return new Observable((subscriber) => {
    // Decided once the close that goes with 'closed' is in `lastClose`: a tab that mirrors another's connection may
    // hear of it after the state.
    const settle = () => {
      const { state, lastClose, gaveUp } = socket.status
      if (state === 'closed' && lastClose) {
        if (gaveUp) subscriber.error(lastClose)
        else subscriber.complete()
      }
    }
    const changed = () => {
      const status = socket.status
      subscriber.next(status)
      if (status.state === 'closed') queueMicrotask(settle)
    }
    const stop = socket.subscribe(changed)
    changed()
    return stop
  })
}

/** The connection's state (`'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'`): now, then each change. */
export const state$ = (socket: StatusSource): Observable<SocketStatus['state']> =>
  status$(socket).pipe(
    map((status) => status.state),
    distinctUntilChanged(),
  )

/** Each new heartbeat round trip in ms (nothing until the first is measured). */
export const latency$ = (socket: StatusSource): Observable<number> =>
  status$(socket).pipe(
    map((status) => status.latency),
    filter((latency) => latency !== undefined),
    distinctUntilChanged(),
  )

/**
 * Every message's `data` parsed (`JSON.parse` unless `parse` is given), across reconnections. A message that `parse`
 * throws on is skipped and the exception reported (`reportError`); the stream goes on. Completes when the socket is
 * closed for good, errors when it gives up; a lost connection that lifeline reconnects ends nothing.
 */
export function data$<T = unknown>(socket: StatusSource, parse: (data: any) => T = JSON.parse): Observable<T> {
  return new Observable<T>((subscriber) => {
    const listener: MessageListener = (event) => attempt(() => subscriber.next(parse(event.data)))
    socket.addEventListener('message', listener)
    // Ends when the socket does: its status$'s completion or error, passed on.
    status$(socket).pipe(ignoreElements()).subscribe(subscriber)
    return () => socket.removeEventListener('message', listener)
  })
}

/** Every message's `data` as it came, across reconnections. Ends as {@link data$} does. */
export const messages$ = (socket: StatusSource): Observable<MessageData> => data$(socket, (data) => data)

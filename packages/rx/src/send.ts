import type { SendData } from '@lifeline/core'
import { type MonoTypeOperatorFunction, Observable } from 'rxjs'

/** What `sendTo` needs from a socket (`ResilientWebSocket`, `SharedWebSocket`, ...): `send()` that reports backpressure, and `drained()`. */
export interface BackpressureTarget {
  send(data: SendData): boolean
  drained(): Promise<void>
}

/** The values `sendTo` could not hand to the socket, in their order, and why. */
export class UnsentError<T = SendData> extends Error {
  override readonly name = 'UnsentError'

  constructor(
    /** The value `send()` refused (if any), then every value still waiting. */
    readonly unsent: T[],
    override readonly cause: unknown,
  ) {
    super()
  }
}

/**
 * Sends each value of the source with `socket.send()` and re-emits it once handed over. While `send()` reports
 * backpressure (returns `false`) the values that arrive wait here, in order, until the socket drains. Completes (or
 * passes on the source's error) as soon as every value before it was handed over. If the socket refuses a value (closed,
 * gave up, queue full with `overflow: 'throw'`), errors with an {@link UnsentError} holding that value and every one
 * still waiting. Unsubscribing stops sending: values still waiting are not sent.
 */
export const sendTo =
  <T extends SendData>(socket: BackpressureTarget): MonoTypeOperatorFunction<T> =>
  (source) =>
    new Observable<T>((subscriber) => {
      const waiting: T[] = []
      let paused = false
      let done = false
      const fail = (error: unknown) => subscriber.error(new UnsentError(waiting.splice(0), error))
      const pump = () => {
        while (!paused && waiting.length && !subscriber.closed) {
          const value = waiting[0]!
          try {
            paused = !socket.send(value)
          } catch (error) {
            return fail(error)
          }
          waiting.shift()
          subscriber.next(value)
          if (paused) {
            socket.drained().then(() => {
              paused = false
              pump()
            }, fail)
          }
        }
        if (done && !waiting.length) subscriber.complete()
      }
      return source.subscribe({
        next: (value) => {
          waiting.push(value)
          pump()
        },
        error: fail,
        complete: () => {
          done = true
          pump()
        },
      })
    })

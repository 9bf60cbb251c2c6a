/**
 * Errors thrown by lifeline. Where the WebSocket interface defines an error, lifeline throws a `DOMException`
 * with the platform's name (`SyntaxError`, `InvalidAccessError`, `InvalidStateError`) so that
 * `error.name === 'SyntaxError'` works as it does with a native socket.
 */

/** Creates a `DOMException`, or an `Error` with the same `name` where the runtime has no `DOMException`. */
export function domException(message: string, name: string): Error {
  const Ctor = (globalThis as { DOMException?: typeof DOMException }).DOMException
  if (Ctor) return new Ctor(message, name)
  const error = new Error(message)
  error.name = name
  return error
}

/** Thrown by `send()` when the queue is full and `queue.overflow` is `'throw'`. Nothing is queued. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError'
  /** The message that did not fit, as given to `send()`. */
  readonly data: unknown

  constructor(message: string, data: unknown) {
    super(message)
    this.data = data
  }
}

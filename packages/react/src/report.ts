/**
 * Runs a user's callback and returns its result, or `fallback` when it throws. The exception is reported the way the
 * platform reports a listener's exception (`reportError` where it exists, else re-thrown in a later task), so it is
 * seen, and the hook's own work (the socket, `lastMessage`, other callbacks) goes on.
 */
export function guard<R>(callback: () => R, fallback?: R): R | undefined {
  try {
    return callback()
  } catch (error) {
    ;((globalThis as { reportError?: (error: unknown) => void }).reportError ?? rethrowLater)(error)
    return fallback
  }
}

function rethrowLater(error: unknown): void {
  setTimeout(() => {
    throw error
  })
}

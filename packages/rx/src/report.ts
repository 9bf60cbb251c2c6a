/**
 * Reports an exception thrown by a user's function (deserializer, observer, `unsubscribeMessage`, `parse`) as
 * `@lifeline/core` reports a throwing listener, the way the platform does: `reportError` where it exists (browsers,
 * Deno, Node 22+), else thrown in a later task. Either way the socket goes on with its next step.
 */
export function report(error: unknown): void {
  const platform = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (platform) platform(error)
  else
    setTimeout(() => {
      throw error
    })
}

/** Runs `fn`, which calls a user's function; if it throws, reports the exception. */
export function attempt(fn: () => void): void {
  try {
    fn()
  } catch (error) {
    report(error)
  }
}

/** Tells `observer` of `value`; if it throws, reports the exception. */
export const tell = <V>(observer: { next(value?: V): void } | undefined, value?: V): void =>
  attempt(() => observer?.next(value))

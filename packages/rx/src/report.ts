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

/** Tells `observer` of `value`; if it throws, reports the exception. */
export function tell<V>(observer: { next(value?: V): void } | undefined, value?: V): void {
  try {
    observer?.next(value)
  } catch (error) {
    report(error)
  }
}

/**
 * Reports an exception thrown by a user's listener the way the platform reports listener exceptions: `reportError`
 * where it exists (browsers, Node 22+... and Deno), else re-thrown in a later task so it reaches the process's or the
 * page's uncaught-exception handling without interrupting lifeline's own next step.
 */
export function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError
  if (typeof report === 'function') {
    report(error)
    return
  }
  setTimeout(() => {
    throw error
  }, 0)
}

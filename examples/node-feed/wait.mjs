export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `condition` every 10 ms; resolves `true` once it holds, `false` after `ms` without it. */
export async function waitFor(condition, ms) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() >= deadline) return false
    await sleep(10)
  }
  return true
}

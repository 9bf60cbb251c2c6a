import { subscribers } from './subscribers'

/** A value whose subscribers hear of changes at most once per interval. See {@link batchedValue}. */
export interface BatchedValue<T> {
  get(): T
  set(value: T): void
  subscribe(listener: () => void): () => void
  /** Stops the pending announcement (the value stays). */
  stop(): void
}

/**
 * A value that may change many times a millisecond (the last message, a selector's slice) whose subscribers hear of
 * it at most once per `interval` ms: the first change after a quiet spell is announced at once, later ones are folded
 * into one announcement when the interval ends. `get()` always returns the newest value, so no change is lost, only
 * renders are saved. Nothing here renders synchronously: React schedules the render itself.
 */
export function batchedValue<T>(value: T, interval: number): BatchedValue<T> {
  const { subscribe, notify } = subscribers()
  let timer: ReturnType<typeof setTimeout> | undefined
  let changed = false
  const announce = (): void => {
    changed = false
    timer = setTimeout(() => {
      timer = undefined
      if (changed) announce()
    }, interval)
    notify()
  }
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return
      value = next
      if (timer === undefined) announce()
      else changed = true
    },
    subscribe,
    stop() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}

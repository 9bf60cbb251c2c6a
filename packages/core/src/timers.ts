export type Timer = ReturnType<typeof setTimeout> | undefined

/** Calls `fn` after `ms`, unless `ms` is Infinity ("never"); settings keep every other delay within a timer's range. */
export function after(fn: () => void, ms: number): Timer {
  return ms === Number.POSITIVE_INFINITY ? undefined : setTimeout(fn, ms)
}

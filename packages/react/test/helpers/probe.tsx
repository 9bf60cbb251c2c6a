import type { ReactElement } from 'react'

export interface Probe<P, T> {
  /** Renders nothing; calls the hook with its props and records the result. */
  Probe: (props: P) => ReactElement | null
  /** Every render's result, in order. */
  results: T[]
  /** The newest result. */
  readonly last: T
  /** How many times the component rendered. */
  readonly renders: number
}

/** A component that calls `useValue(props)` and records every render's result. */
export function probe<T, P = Record<string, never>>(useValue: (props: P) => T): Probe<P, T> {
  const results: T[] = []
  // biome-ignore lint/correctness/noComponentHookFactories: made once per test, never during a render
  function Probe(props: P): ReactElement | null {
    results.push(useValue(props))
    return null
  }
  return {
    Probe,
    results,
    get last() {
      if (results.length === 0) throw new Error('the probe has not rendered')
      return results[results.length - 1]!
    },
    get renders() {
      return results.length
    },
  }
}

import { describe, expect, test, vi } from 'vitest'
import { report, tell } from '../src/report'
import { reported, useFakes } from './helpers/fake'

useFakes()

describe('report', () => {
  test("hands the error to the platform's reportError where it exists", () => {
    const error = new Error('bug')
    report(error)
    expect(reported).toEqual([error])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('elsewhere throws it in a later task, not in the caller', () => {
    vi.stubGlobal('reportError', undefined)
    const error = new Error('bug')
    expect(() => report(error)).not.toThrow()
    expect(() => vi.runOnlyPendingTimers()).toThrow(error)
  })
})

describe('tell', () => {
  test('passes the value on; an observer that throws is reported, not thrown', () => {
    const seen: unknown[] = []
    tell({ next: (value) => seen.push(value) }, 1)
    tell(
      {
        next: () => {
          throw new Error('observer bug')
        },
      },
      2,
    )
    tell(undefined, 3)
    expect(seen).toEqual([1])
    expect(reported.map((e) => (e as Error).message)).toEqual(['observer bug'])
  })
})

import { afterEach, expect, test, vi } from 'vitest'
import { guard } from '../src/report'

const holder = globalThis as { reportError?: (error: unknown) => void }

afterEach(() => {
  delete holder.reportError
  vi.useRealTimers()
})

test('returns what the callback returns', () => {
  expect(guard(() => 42, 0)).toBe(42)
})

test('a throwing callback is reported with reportError and the fallback returned', () => {
  const error = new Error('user code')
  holder.reportError = vi.fn()
  expect(
    guard(() => {
      throw error
    }, 'fallback'),
  ).toBe('fallback')
  expect(holder.reportError).toHaveBeenCalledWith(error)
})

test('without reportError the exception is thrown again in a later task, not now', () => {
  vi.useFakeTimers()
  const error = new Error('later')
  expect(
    guard(() => {
      throw error
    }),
  ).toBeUndefined()
  expect(() => vi.runAllTimers()).toThrow(error)
})

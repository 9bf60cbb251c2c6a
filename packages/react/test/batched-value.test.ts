import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { batchedValue } from '../src/batched-value'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

test('the first change is announced at once; later ones within the interval fold into one announcement', () => {
  const value = batchedValue(0, 16)
  const listener = vi.fn()
  value.subscribe(listener)
  value.set(1)
  expect(listener).toHaveBeenCalledTimes(1)
  for (let i = 2; i <= 1000; i++) value.set(i)
  expect(listener).toHaveBeenCalledTimes(1)
  expect(value.get()).toBe(1000)
  vi.advanceTimersByTime(16)
  expect(listener).toHaveBeenCalledTimes(2)
  vi.advanceTimersByTime(16)
  expect(listener).toHaveBeenCalledTimes(2)
  expect(vi.getTimerCount()).toBe(0)
})

test('after a quiet interval the next change is announced at once again', () => {
  const value = batchedValue('a', 16)
  const listener = vi.fn()
  value.subscribe(listener)
  value.set('b')
  vi.advanceTimersByTime(40)
  value.set('c')
  expect(listener).toHaveBeenCalledTimes(2)
})

test('setting the same value announces nothing', () => {
  const value = batchedValue(1, 16)
  const listener = vi.fn()
  value.subscribe(listener)
  value.set(1)
  expect(listener).not.toHaveBeenCalled()
  expect(vi.getTimerCount()).toBe(0)
})

test('stop() cancels the pending announcement and leaves no timer; unsubscribe stops announcements', () => {
  const value = batchedValue(0, 16)
  const listener = vi.fn()
  const unsubscribe = value.subscribe(listener)
  value.set(1)
  value.set(2)
  value.stop()
  expect(vi.getTimerCount()).toBe(0)
  vi.advanceTimersByTime(100)
  expect(listener).toHaveBeenCalledTimes(1)
  expect(value.get()).toBe(2)
  unsubscribe()
  value.set(3)
  expect(listener).toHaveBeenCalledTimes(1)
  value.stop()
})

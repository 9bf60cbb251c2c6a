import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { TabStats } from '../../src/tabs/tab-stats'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('TabStats', () => {
  test('counts opens, failed attempts (a close with no open since the last), messages and drops', () => {
    const stats = new TabStats()
    stats.closed()
    stats.opened()
    stats.received('héllo')
    stats.received(new Uint8Array(7))
    stats.sent('abc')
    stats.dropped('overflow')
    stats.dropped('expired')
    stats.closed()
    stats.closed()
    expect(stats.snapshot()).toMatchObject({
      connectionsOpened: 1,
      attemptsFailed: 2,
      messagesIn: 2,
      bytesIn: 5 + 7,
      messagesOut: 1,
      bytesOut: 3,
      drops: { overflow: 1, expired: 1, unacknowledged: 0 },
    })
    expect(Object.isFrozen(stats.snapshot())).toBe(true)
  })

  test('msNotOpen: the time not open, until the final close', () => {
    const stats = new TabStats()
    vi.advanceTimersByTime(100)
    stats.state('open', false)
    vi.advanceTimersByTime(1000)
    stats.state('reconnecting', false)
    vi.advanceTimersByTime(50)
    stats.state('connecting', false)
    vi.advanceTimersByTime(50)
    expect(stats.snapshot().msNotOpen).toBe(200)
    stats.state('closed', true)
    vi.advanceTimersByTime(5000)
    expect(stats.snapshot().msNotOpen).toBe(200)
  })
})

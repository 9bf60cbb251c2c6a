import fc from 'fast-check'
import { describe, expect, test, vi } from 'vitest'
import { type BackoffSettings, backoffCap, backoffDelay } from '../src'
import { seededRandom } from './resilient-websocket/seeded-random'

const settings = (overrides: Partial<BackoffSettings> = {}): BackoffSettings => ({
  minDelay: 1000,
  maxDelay: 10000,
  factor: 2,
  jitter: 'full',
  ...overrides,
})

describe('backoffCap', () => {
  test('grows minDelay * factor^n from n = 0 up to maxDelay', () => {
    const s = settings()
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => backoffCap(n, s))).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000])
  })

  test('other factors', () => {
    const s = settings({ minDelay: 100, maxDelay: 5000, factor: 3 })
    expect([0, 1, 2, 3, 4].map((n) => backoffCap(n, s))).toEqual([100, 300, 900, 2700, 5000])
    expect(backoffCap(5, settings({ factor: 1 }))).toBe(1000)
  })

  test('an exponent large enough to overflow still gives maxDelay', () => {
    expect(backoffCap(5000, settings())).toBe(10000)
  })
})

describe('backoffDelay', () => {
  test('the first retry (n = 0) waits at most minDelay, in every mode', () => {
    for (const jitter of ['full', 'equal', 'none', 'decorrelated'] as const) {
      expect(backoffDelay(0, settings({ jitter }), () => 0.999999)).toBeLessThanOrEqual(1000)
    }
  })

  test("'full' is random × cap", () => {
    const s = settings()
    const draws = seededRandom(7)
    const expected = seededRandom(7)
    for (let n = 0; n < 8; n++) {
      const delay = backoffDelay(n, s, draws)
      expect(delay).toBe(expected() * backoffCap(n, s))
    }
    expect(backoffDelay(3, s, () => 0)).toBe(0)
    expect(backoffDelay(3, s, () => 0.5)).toBe(4000)
  })

  test("'equal' lies in [cap / 2, cap]", () => {
    const s = settings({ jitter: 'equal' })
    expect(backoffDelay(2, s, () => 0)).toBe(2000)
    expect(backoffDelay(2, s, () => 0.5)).toBe(3000)
    const random = seededRandom(11)
    for (let n = 0; n < 10; n++) {
      const delay = backoffDelay(n, s, random)
      expect(delay).toBeGreaterThanOrEqual(backoffCap(n, s) / 2)
      expect(delay).toBeLessThanOrEqual(backoffCap(n, s))
    }
  })

  test("'none' is exactly the cap and draws nothing", () => {
    const s = settings({ jitter: 'none', minDelay: 100, maxDelay: 1000 })
    const random = vi.fn(() => 0.5)
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, s, random))).toEqual([100, 200, 400, 800, 1000, 1000])
    expect(random).not.toHaveBeenCalled()
  })

  test("'decorrelated' starts at minDelay, then draws from [minDelay, 3 × previous] up to maxDelay", () => {
    const s = settings({ jitter: 'decorrelated', minDelay: 100, maxDelay: 5000 })
    expect(backoffDelay(0, s, () => 0.7)).toBe(100)
    expect(backoffDelay(4, s, () => 0.7)).toBe(100) // no previous delay known
    expect(backoffDelay(1, s, () => 0, 100)).toBe(100)
    expect(backoffDelay(1, s, () => 0.5, 100)).toBe(200)
    expect(backoffDelay(1, s, () => 0.5, 1000)).toBe(1550)
    expect(backoffDelay(1, s, () => 0.999, 4000)).toBe(5000)
    const random = seededRandom(3)
    let previous = backoffDelay(0, s, random)
    for (let n = 1; n < 20; n++) {
      const delay = backoffDelay(n, s, random, previous)
      expect(delay).toBeGreaterThanOrEqual(100)
      expect(delay).toBeLessThanOrEqual(Math.min(5000, 3 * previous))
      previous = delay
    }
  })

  test('the seeded random is deterministic', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const drawsA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(drawsA)
    for (const x of drawsA) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
    expect(new Set(drawsA).size).toBe(5)
  })

  test('property: full jitter stays in [0, cap] and the cap follows min(maxDelay, minDelay·factor^n)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60000 }),
        fc.integer({ min: 0, max: 600000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 80 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (minDelay, extra, factor, n, draw) => {
          const s = settings({ minDelay, maxDelay: minDelay + extra, factor })
          const cap = backoffCap(n, s)
          expect(cap).toBe(Math.min(minDelay + extra, minDelay * factor ** n))
          expect(cap).toBeGreaterThanOrEqual(minDelay)
          expect(cap).toBeLessThanOrEqual(minDelay + extra)
          expect(backoffCap(n + 1, s)).toBeGreaterThanOrEqual(cap)
          const delay = backoffDelay(n, s, () => draw)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(cap)
          if (n === 0) expect(delay).toBeLessThanOrEqual(minDelay)
        },
      ),
    )
  })
})

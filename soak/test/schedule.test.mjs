import { expect, test } from 'vitest'
import { FAULTS, faultSchedule } from '../schedule.mjs'

test('a 30 s run meets every fault once, and the last stretch is healthy', () => {
  const schedule = faultSchedule(30_000)
  expect(schedule.map((entry) => entry.fault)).toEqual(FAULTS.map((entry) => entry.fault))
  const last = schedule.at(-1)
  expect(last.at + last.ms).toBeLessThanOrEqual(25_000)
})

test('faults take turns with a pause between them and never overlap', () => {
  const schedule = faultSchedule(120_000, { start: 1000, pause: 2000, recovery: 5000 })
  expect(schedule[0].at).toBe(1000)
  for (let i = 1; i < schedule.length; i++) {
    expect(schedule[i].at).toBe(schedule[i - 1].at + schedule[i - 1].ms + 2000)
    expect(schedule[i].fault).toBe(FAULTS[i % FAULTS.length].fault)
  }
  expect(schedule.length).toBeGreaterThan(FAULTS.length * 2)
  const last = schedule.at(-1)
  expect(last.at + last.ms).toBeLessThanOrEqual(115_000)
})

test('a run too short for any fault has none', () => {
  expect(faultSchedule(5000)).toEqual([])
})

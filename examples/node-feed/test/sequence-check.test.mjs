import { expect, test } from 'vitest'
import { SequenceCheck } from '../sequence-check.mjs'

test('numbers one after another are neither gaps nor duplicates', () => {
  const check = new SequenceCheck()
  expect([5, 6, 7].map((seq) => check.add(seq))).toEqual(['first', 'next', 'next'])
  expect(check).toMatchObject({ first: 5, last: 7, received: 3, gaps: 0, missing: 0, duplicates: 0 })
})

test('a skipped number is a gap, counted with how many it skipped', () => {
  const check = new SequenceCheck()
  for (const seq of [1, 2, 5, 6, 8]) check.add(seq)
  expect(check).toMatchObject({ last: 8, received: 5, gaps: 2, missing: 3, duplicates: 0 })
})

test('a repeated or older number is a duplicate and does not move last back', () => {
  const check = new SequenceCheck()
  const outcomes = [1, 2, 3, 2, 3, 4].map((seq) => check.add(seq))
  expect(outcomes).toEqual(['first', 'next', 'next', 'duplicate', 'duplicate', 'next'])
  expect(check).toMatchObject({ last: 4, received: 6, gaps: 0, duplicates: 2 })
})

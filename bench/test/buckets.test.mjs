import { expect, test } from 'vitest'
import { bucketCounts } from '../buckets.mjs'

test('counts events per bucket from the start, leaving out those before it and after the span', () => {
  const from = 1000
  const times = [999, 1000, 1050, 1099.9, 1100, 1250, 1299, 1300, 1400]
  expect(bucketCounts(times, from, 400, 100)).toEqual([3, 1, 2, 1])
})

test('a span that is not a whole number of buckets gets a last, shorter bucket', () => {
  expect(bucketCounts([0, 120, 249], 0, 250, 100)).toEqual([1, 1, 1])
  expect(bucketCounts([], 0, 300)).toEqual([0, 0, 0])
})

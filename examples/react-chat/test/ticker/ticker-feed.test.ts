import { expect, test } from 'vitest'
import { addTick, emptyFeed, KEEP, parseTick, type Tick } from '../../src/ticker/ticker-feed'

const tick = (seq: number): Tick => ({ seq, price: 100 + seq, at: seq })
const feed = (...seqs: number[]) => seqs.reduce((f, seq) => addTick(f, tick(seq)), emptyFeed)

test('reads a ticker message, and nothing else', () => {
  expect(parseTick('{"seq":3,"price":101.5,"at":7}')).toEqual({ seq: 3, price: 101.5, at: 7 })
  for (const data of ['pong', '{"seq":"3","price":1,"at":1}', '{"type":"pong"}', '{', 3]) {
    expect(parseTick(data)).toBeUndefined()
  }
})

test('consecutive ticks are neither gaps nor duplicates', () => {
  expect(feed(1, 2, 3)).toMatchObject({ gaps: 0, duplicates: 0 })
  expect(feed(1, 2, 3).recent.map((t) => t.seq)).toEqual([1, 2, 3])
})

test('a skipped number counts as a gap; an old one as a duplicate and is not kept', () => {
  const result = feed(1, 2, 5, 5, 4, 6)
  expect(result).toMatchObject({ gaps: 1, duplicates: 2 })
  expect(result.recent.map((t) => t.seq)).toEqual([1, 2, 5, 6])
})

test(`keeps the last ${KEEP} ticks`, () => {
  const result = feed(...Array.from({ length: KEEP + 10 }, (_, i) => i + 1))
  expect(result.recent.length).toBe(KEEP)
  expect(result.recent[0]!.seq).toBe(11)
})

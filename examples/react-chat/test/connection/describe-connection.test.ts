import { expect, test } from 'vitest'
import { describeConnection } from '../../src/connection/describe-connection'

test('open, connecting the first time, closing and closed', () => {
  expect(describeConnection('open', 0, undefined, 0)).toEqual({ tone: 'open', text: 'open' })
  expect(describeConnection('connecting', 0, undefined, 0)).toEqual({ tone: 'connecting', text: 'connecting' })
  expect(describeConnection('closing', 2, undefined, 0)).toEqual({ tone: 'closed', text: 'closed' })
  expect(describeConnection('closed', 0, undefined, 0)).toEqual({ tone: 'closed', text: 'closed' })
})

test('waiting to retry: the attempt and a countdown to the next try, never below zero', () => {
  expect(describeConnection('reconnecting', 3, 10_000, 8_760)).toEqual({
    tone: 'reconnecting',
    text: 'reconnecting · attempt 3 · next try in 1.2 s',
  })
  expect(describeConnection('reconnecting', 3, 10_000, 10_500).text).toBe(
    'reconnecting · attempt 3 · next try in 0.0 s',
  )
})

test('a retry under way is still reconnecting, with its attempt', () => {
  expect(describeConnection('connecting', 2, 10_000, 12_000)).toEqual({
    tone: 'reconnecting',
    text: 'reconnecting · attempt 2 · trying now',
  })
})

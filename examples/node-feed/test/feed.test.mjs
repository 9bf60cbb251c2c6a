import { describe, expect, test } from 'vitest'
import { passed, runFeed } from '../feed.mjs'

// The whole demo, with shorter waits. The half-open fault must still outlast heartbeat interval + timeout
// (75 + 500 ms) so that only the heartbeat can notice it.
const QUICK = { settle: 500, halfOpen: 1500, slowRead: 800, restart: 500, recover: 10000 }

test('the feed survives drop, half-open, slow read and restart with no gap, no duplicate and nothing sent lost', async () => {
  const lines = []
  const result = await runFeed({ log: (line) => lines.push(line), timings: QUICK })
  const log = lines.join('\n')

  expect(result.faults).toEqual([
    expect.objectContaining({ name: 'drop all connections', survived: true }),
    expect.objectContaining({ name: 'half-open for 1500 ms', survived: true }),
    expect.objectContaining({ name: 'slow read for 800 ms', survived: true }),
    expect.objectContaining({ name: 'restart with the listener down for 500 ms', survived: true }),
  ])
  expect(result.gaps).toBe(0)
  expect(result.duplicates).toBe(0)
  expect(result.received).toBe(result.last - result.first + 1)
  expect(result.reconnects).toBeGreaterThanOrEqual(3)
  expect(result.sent).toBeGreaterThan(10)
  expect(result.acknowledged).toBe(result.sent)
  expect(result.lost).toBe(0)
  expect(result.drops).toBe(0)
  expect(result.ok).toBe(true)

  expect(log).toContain('connection lost: code 1006 "heartbeat timeout"')
  expect(log).toContain('connection lost: code 1012 "service restart"')
  expect(log).toMatch(/open: reconnected \(retry \d+\) to ws:\/\/127\.0\.0\.1:\d+\/ticker\?since=\d+/)
  // The sending socket lived through the same faults, and the report says what the client saw.
  expect(log).toContain('send: connection lost: code 1006 "heartbeat timeout"')
  expect(log).toMatch(/send: reconnected \(retry \d+\); \d+ unacknowledged message\(s\) go again first/)
  expect(log).toMatch(/✓ survived: restart .*last seq seen \d+; (\d+) of \1 sent acknowledged/)
  expect(log).toContain(`outgoing          sent ${result.sent}, acknowledged ${result.sent}, lost 0, drops 0`)
  expect(log).toContain('PASS: every message arrived exactly once; every message sent was acknowledged')
})

describe('passed', () => {
  const good = {
    caughtUp: true,
    faults: [{ survived: true }, { survived: true }],
    survived: 2,
    gaps: 0,
    duplicates: 0,
    lost: 0,
    drops: 0,
  }

  test('a run with every check met passes', () => {
    expect(passed(good)).toBe(true)
  })

  test.each([
    ['not caught up at the end', { caughtUp: false }],
    ['a fault not survived', { survived: 1 }],
    ['a gap', { gaps: 1 }],
    ['a duplicate', { duplicates: 1 }],
    ['a message sent and never acknowledged', { lost: 1 }],
    ['a message dropped', { drops: 1 }],
  ])('a run with %s fails', (_, change) => {
    expect(passed({ ...good, ...change })).toBe(false)
  })
})

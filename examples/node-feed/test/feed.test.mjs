import { expect, test } from 'vitest'
import { runFeed } from '../feed.mjs'

// The whole demo, with shorter waits. The half-open fault must still outlast heartbeat interval + timeout
// (75 + 500 ms) so that only the heartbeat can notice it.
const QUICK = { settle: 500, halfOpen: 1500, slowRead: 800, restart: 500, recover: 10000 }

test('the feed survives drop, half-open, slow read and restart with no gap and no duplicate', async () => {
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
  expect(result.ok).toBe(true)

  expect(log).toContain('connection lost: code 1006 "heartbeat timeout"')
  expect(log).toContain('connection lost: code 1012 "service restart"')
  expect(log).toMatch(/open: reconnected \(retry \d+\) to ws:\/\/127\.0\.0\.1:\d+\/ticker\?since=\d+/)
  expect(log).toContain('PASS: every message arrived exactly once')
})

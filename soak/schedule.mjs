/**
 * The soak's fault schedule, free of I/O: which fault starts when, for how long. Faults take turns, each followed
 * by a healthy pause, from `start` until `durationMs − recovery`; the run's last stretch is healthy so that every
 * message can be acknowledged before the end.
 */

/**
 * The faults in the order they come round. `ms` is how long each lasts (0: at once); half-open lasts longer than
 * the heartbeat needs to notice it (settings.mjs: 2000 + 2000 ms, + 10 %).
 */
export const FAULTS = [
  { fault: 'drop', ms: 0 },
  { fault: 'half-open', ms: 6000 },
  { fault: 'slow-read', ms: 3000 },
  { fault: 'refuse', ms: 3000 },
  { fault: 'restart', ms: 1500 },
]

/**
 * `[{ at, fault, ms }]`, `at` in ms from the start of the run. `pause` ms of health follow each fault, the first
 * starts at `start`, none ends later than `durationMs − recovery`.
 */
export function faultSchedule(durationMs, { start = 2000, pause = 2000, recovery = 5000 } = {}) {
  const schedule = []
  let at = start
  for (let i = 0; ; i++) {
    const { fault, ms } = FAULTS[i % FAULTS.length]
    if (at + ms > durationMs - recovery) break
    schedule.push({ at, fault, ms })
    at += ms + pause
  }
  return schedule
}

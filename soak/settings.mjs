/**
 * The heartbeat every soak client uses: a half-open connection must be dropped within (interval + timeout) + 10 %
 * of silence. Short, so that a run meets many faults, and long enough that a busy two-core machine's late timers
 * (tens of ms) stay within the 10 %.
 */
export const HEARTBEAT = { interval: 2000, timeout: 2000 }

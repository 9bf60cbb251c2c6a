import { backoffDelay } from './backoff'
import type { SocketCloseEvent } from './events'
import type { RetryContext } from './options'
import { MAX_DELAY, type Settings } from './settings'

/** The next attempt: how long to wait, and its retry number. */
export interface PlannedRetry {
  delay: number
  attempt: number
}

type RetrySettings = Pick<Settings, 'policy' | 'backoff' | 'shouldReconnect' | 'fatalCloseCodes'>

/**
 * The reconnection bookkeeping of one socket: counts failed attempts and retries, and decides whether and when to
 * try again (close codes, `shouldReconnect`, `maxAttempts`, backoff or a retry policy, the network). No timers, no
 * I/O; a hook that throws (or a policy that answers something other than `null` or a delay) is reported and gives up.
 */
export class RetryPlanner {
  /** Retries scheduled since the last stable connection (or since the start). */
  retries = 0
  /** Attempts in a row that failed, or opened but did not stay `stableAfter` ms. */
  #failures = 0
  #lastDelay: number | undefined
  /** When the current run of retries began (its first loss); undefined until then and after `reset()`. */
  #lostAt: number | undefined
  readonly #s: RetrySettings
  readonly #report: (error: unknown, hook: string) => void

  constructor(settings: RetrySettings, report: (error: unknown, hook: string) => void) {
    this.#s = settings
    this.#report = report
  }

  /** Starts counting afresh: a connection stayed open long enough, or `reconnect()` was called. */
  reset(): void {
    this.#failures = 0
    this.retries = 0
    this.#lastDelay = undefined
    this.#lostAt = undefined
  }

  /**
   * Plans the retry after a failed attempt or a lost connection, or returns `null` to give up. Counts the failure
   * (unless the lost connection had been stable), except while `online` is `false`: then nothing is spent and the
   * retry waits `maxDelay`.
   */
  plan(event: SocketCloseEvent, reason: unknown, stable: boolean, online: boolean | undefined): PlannedRetry | null {
    const { policy, backoff, shouldReconnect } = this.#s
    if (policy === false) return null
    const offline = online === false
    if (!stable && !offline) this.#failures++
    const now = Date.now()
    // Offline plans spend no retry, so `retries` cannot tell whether a run has begun.
    this.#lostAt ??= now
    const ctx: RetryContext = { attempt: this.retries + 1, elapsed: now - this.#lostAt, reason, online }
    let hook = 'shouldReconnect'
    let delay: unknown
    try {
      const retry = shouldReconnect ? shouldReconnect(event, ctx) : !this.#s.fatalCloseCodes.includes(event.code)
      if (!retry || this.#failures >= backoff.maxAttempts) return null
      hook = 'reconnect'
      if (policy) delay = policy(ctx)
      else if (offline) delay = backoff.maxDelay
      else delay = backoffDelay(this.retries, backoff, backoff.random, this.#lastDelay)
      if (delay === null) return null
      if (typeof delay !== 'number' || !(delay >= 0 && delay < Number.POSITIVE_INFINITY)) {
        throw new RangeError(`A retry policy must return null or a delay in ms (≥ 0, finite); it returned ${delay}.`)
      }
    } catch (error) {
      this.#report(error, hook)
      return null
    }
    delay = Math.min(delay as number, MAX_DELAY)
    if (!offline) {
      this.retries++
      this.#lastDelay = delay as number
    }
    return { delay: delay as number, attempt: ctx.attempt }
  }
}

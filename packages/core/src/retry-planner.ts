import { backoffDelay, type Jitter } from './backoff'
import type { SocketCloseEvent } from './events'
import { DEFAULTS, type ResilientWebSocketOptions, type RetryContext } from './options'

type RetryOptions = Pick<ResilientWebSocketOptions, 'reconnect' | 'shouldReconnect' | 'fatalCloseCodes'>

interface BackoffOptions {
  minDelay: number
  maxDelay: number
  factor: number
  jitter: Jitter
  maxAttempts: number
  stableAfter: number
  random: () => number
}

/** The next attempt: how long to wait, and its retry number. */
export interface PlannedRetry {
  delay: number
  attempt: number
}

/**
 * The reconnection bookkeeping of one socket: counts failed attempts and retries, and decides whether and when to
 * try again (close codes, `shouldReconnect`, `maxAttempts`, backoff or a retry policy, the network). Pure: no
 * timers, no I/O.
 */
export class RetryPlanner {
  /** Retries scheduled since the last stable connection (or since the start). */
  retries = 0
  /** Attempts in a row that failed, or opened but did not stay `stableAfter` ms. */
  private failures = 0
  private lastDelay: number | undefined
  /** When the current run of retries began (its first loss); undefined until then and after `reset()`. */
  private lostAt: number | undefined
  private readonly backoff: BackoffOptions | undefined

  constructor(private readonly options: RetryOptions) {
    const policy = options.reconnect
    this.backoff =
      policy === false || typeof policy === 'function'
        ? undefined
        : {
            minDelay: policy?.minDelay ?? DEFAULTS.minDelay,
            maxDelay: policy?.maxDelay ?? DEFAULTS.maxDelay,
            factor: policy?.factor ?? DEFAULTS.factor,
            jitter: policy?.jitter ?? DEFAULTS.jitter,
            maxAttempts: policy?.maxAttempts ?? DEFAULTS.maxAttempts,
            stableAfter: policy?.stableAfter ?? DEFAULTS.stableAfter,
            random: policy?.random ?? Math.random,
          }
  }

  /** Milliseconds a connection must stay open before the counts reset. */
  get stableAfter(): number {
    return this.backoff?.stableAfter ?? DEFAULTS.stableAfter
  }

  /** Starts counting afresh: a connection stayed open long enough, or `reconnect()` was called. */
  reset(): void {
    this.failures = 0
    this.retries = 0
    this.lastDelay = undefined
    this.lostAt = undefined
  }

  /**
   * Plans the retry after a failed attempt or a lost connection, or returns `null` to give up. Counts the failure
   * (unless the lost connection had been stable), except while `online` is `false`: then nothing is spent and the
   * retry waits `maxDelay`.
   */
  plan(event: SocketCloseEvent, reason: unknown, stable: boolean, online: boolean | undefined): PlannedRetry | null {
    const policy = this.options.reconnect
    if (policy === false) return null
    const offline = online === false
    if (!stable && !offline) this.failures++
    const now = Date.now()
    // Offline plans spend no retry, so `retries` cannot tell whether a run has begun.
    this.lostAt ??= now
    const ctx: RetryContext = { attempt: this.retries + 1, elapsed: now - this.lostAt, reason, online }
    const { shouldReconnect } = this.options
    const retry = shouldReconnect
      ? shouldReconnect(event, ctx)
      : !(this.options.fatalCloseCodes ?? DEFAULTS.fatalCloseCodes).includes(event.code)
    if (!retry) return null
    const backoff = this.backoff
    if (this.failures >= (backoff?.maxAttempts ?? DEFAULTS.maxAttempts)) return null
    let delay: number | null
    if (typeof policy === 'function') delay = policy(ctx)
    else if (offline) delay = backoff!.maxDelay
    else delay = backoffDelay(this.retries, backoff!, backoff!.random, this.lastDelay)
    if (delay === null) return null
    delay = Math.max(0, delay)
    if (!offline) {
      this.retries++
      this.lastDelay = delay
    }
    return { delay, attempt: ctx.attempt }
  }
}

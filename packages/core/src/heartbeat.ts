export interface HeartbeatSettings {
  /** Milliseconds of inbound silence before a ping. */
  interval: number
  /** Milliseconds to wait for inbound traffic after a ping. */
  timeout: number
  /** A timer this many ms late means the process slept: ping afresh instead of judging by the late timer. */
  sleepThreshold: number
}

export interface HeartbeatHooks {
  /** Send a ping now (may do nothing where no ping can be sent: then only silence is watched). */
  ping(): void
  /** Nothing arrived within `timeout` of a ping: the connection is dead. */
  dead(): void
  /** A ping's round trip, in ms. */
  latency(ms: number): void
}

/**
 * Watches one connection for silence, without reading the clock for every message.
 *
 * The socket calls `hear()` for every inbound message: after the first call in a window it only returns. A timer
 * looks at what was heard: while traffic flows it looks every `interval / 4` (the first message after a quiet spell
 * brings the next look forward to `interval / 4`), so a ping follows between `interval` and `1.25 × interval` of
 * silence; an idle connection's timer runs once per `interval`. After a ping, anything inbound proves the connection
 * alive; nothing within `timeout` calls `dead()` — unless the timer itself fired late (sleep, a throttled tab): then
 * it pings afresh and waits `timeout` again.
 */
export class Heartbeat {
  private heard = false
  private timer: ReturnType<typeof setTimeout> | undefined
  /** When the timer is due (ms since epoch). */
  private due = 0
  /** A time by which the connection was known alive. */
  private lastProof = 0
  private pingAt = 0
  private awaitingPong = false
  /** The timer waits longer than `interval / 4` (for silence, or for a pong): the first message brings it forward. */
  private longWait = false

  constructor(
    private readonly settings: HeartbeatSettings,
    private readonly hooks: HeartbeatHooks,
  ) {}

  private get quarter(): number {
    return Math.max(1, this.settings.interval / 4)
  }

  /** The connection opened: start watching. */
  start(): void {
    this.heard = false
    this.awaitingPong = false
    this.lastProof = Date.now()
    this.arm(this.settings.interval)
  }

  /** Stop every timer. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.awaitingPong = false
    this.longWait = false
  }

  /** Something arrived. */
  hear(): void {
    if (this.heard) return
    this.heard = true
    if (this.longWait) this.arm(this.quarter)
  }

  /** An answer to a ping arrived (a pong frame, or a message `isPong` recognised). */
  pong(): void {
    if (this.timer === undefined) return
    const now = Date.now()
    if (this.awaitingPong) this.hooks.latency(now - this.pingAt)
    this.awaitingPong = false
    this.heard = false
    this.lastProof = now
    this.arm(this.settings.interval)
  }

  /** Check the connection now (the app came back, the network changed): ping unless a ping is already out. */
  check(): void {
    if (this.timer === undefined || this.awaitingPong) return
    this.sendPing(Date.now())
  }

  private arm(delay: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.due = Date.now() + delay
    this.timer = setTimeout(this.onTimer, delay)
    this.longWait = delay > this.quarter
  }

  private readonly onTimer = (): void => {
    this.timer = undefined
    this.longWait = false
    const now = Date.now()
    const slept = now - this.due > this.settings.sleepThreshold
    if (this.heard) {
      this.heard = false
      this.awaitingPong = false
      this.lastProof = now
      this.arm(this.quarter)
    } else if (slept) {
      this.sendPing(now)
    } else if (this.awaitingPong) {
      this.hooks.dead()
    } else if (now - this.lastProof >= this.settings.interval) {
      this.sendPing(now)
    } else {
      this.arm(this.settings.interval - (now - this.lastProof))
    }
  }

  private sendPing(now: number): void {
    this.awaitingPong = true
    this.pingAt = now
    this.heard = false
    this.arm(this.settings.timeout)
    this.hooks.ping()
  }
}

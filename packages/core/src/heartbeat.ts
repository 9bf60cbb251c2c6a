import { sharedWheel, WheelTimer } from './timer-wheel'

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
 * Watches one connection for silence, without reading the clock for every message, and finds a dead connection
 * within `interval + timeout` of the last message heard, plus at most `(interval + timeout) / 32`.
 *
 * The heartbeat works in steps of `step = (interval + timeout) / 128` ms. Its timer runs on the wheel all heartbeats
 * of the process share, at the time asked or up to `step` later, so that the timers of many connections run in one
 * wake-up.
 * - `hear()` (every inbound message) sets a flag. While traffic flows, the timer looks every `step`: a look that
 *   finds the flag set clears it and counts its own time as the latest proof of life.
 * - A look that finds nothing new waits for `interval` after the latest proof, then pings. The first message during
 *   such a long wait reads the clock, counts as proof at its own time, and brings the looks back.
 * - After a ping, anything inbound proves the connection alive (the first message brings the looks back, as above);
 *   `pong()` also measures the round trip. Nothing within `timeout` of the ping calls `dead()`.
 * - A timer that runs more than `sleepThreshold` late (the machine slept, the tab was throttled) judges nothing: the
 *   heartbeat pings afresh and waits `timeout` again.
 *
 * The bound. Let L be when the last message arrived. If the timer was looking then, its next look comes by
 * L + 2·step (a look is asked `step` after the one before and may run `step` late) and counts as proof; the ping
 * follows by that proof + `interval` + `step`, `dead()` by the ping + `timeout` + `step`: in all
 * L + interval + timeout + 4·step. If the timer was in a long wait, L itself is the proof: L + interval + timeout +
 * 2·step. Add whatever delay the event loop puts on timers. A ping never goes out before `interval` of silence.
 */
export class Heartbeat {
  #heard = false
  /** The timer is far off (a long wait): the first message must bring the looks back. */
  #wakeOnHear = false
  #awaitingPong = false
  /** A time by which the connection was known alive. */
  #lastProof = 0
  #pingAt = 0
  readonly #step: number
  readonly #timer: WheelTimer

  readonly #settings: HeartbeatSettings
  readonly #hooks: HeartbeatHooks

  constructor(settings: HeartbeatSettings, hooks: HeartbeatHooks) {
    this.#settings = settings
    this.#hooks = hooks
    this.#step = (settings.interval + settings.timeout) / 128
    this.#timer = new WheelTimer(sharedWheel, (now, late) => this.#onTimer(now, late))
  }

  /** A ping is out and nothing has been heard since: the peer looks silent. */
  get silent(): boolean {
    return this.#awaitingPong && !this.#heard
  }

  /** The connection opened: start watching. */
  start(): void {
    const now = Date.now()
    this.#heard = false
    this.#awaitingPong = false
    this.#lastProof = now
    this.#schedule(now + this.#settings.interval, now)
  }

  /** Stop watching; no timer is left. */
  stop(): void {
    this.#timer.cancel()
    this.#heard = false
    this.#awaitingPong = false
    this.#wakeOnHear = false
  }

  /** Something arrived. */
  hear(): void {
    if (this.#heard) return
    this.#heard = true
    if (this.#wakeOnHear) this.#wake()
  }

  /** An answer to a ping arrived (a pong frame, or a message `isPong` recognised). */
  pong(): void {
    if (!this.#timer.scheduled) return
    const now = Date.now()
    if (this.#awaitingPong) this.#hooks.latency(now - this.#pingAt)
    this.#awaitingPong = false
    this.#heard = false
    this.#lastProof = now
    this.#schedule(now + this.#settings.interval, now)
  }

  /** Check the connection now (the app came back, the network changed): ping unless a ping is already out. */
  check(): void {
    if (!this.#timer.scheduled || this.#awaitingPong) return
    this.#sendPing(Date.now())
  }

  /** The first message during a long wait: proof at its own time; look again in a step. */
  #wake(): void {
    const now = Date.now()
    this.#heard = false
    this.#awaitingPong = false
    this.#lastProof = now
    this.#schedule(now + this.#step, now)
  }

  #schedule(due: number, now: number): void {
    this.#wakeOnHear = due - now > this.#step
    this.#timer.schedule(due, this.#step)
  }

  #onTimer(now: number, late: number): void {
    this.#wakeOnHear = false
    if (this.#heard) {
      this.#heard = false
      this.#awaitingPong = false
      this.#lastProof = now
      this.#schedule(now + this.#step, now)
    } else if (late > this.#settings.sleepThreshold) {
      this.#sendPing(now)
    } else if (this.#awaitingPong) {
      this.#hooks.dead()
    } else if (now - this.#lastProof >= this.#settings.interval) {
      this.#sendPing(now)
    } else {
      this.#schedule(this.#lastProof + this.#settings.interval, now)
    }
  }

  #sendPing(now: number): void {
    this.#awaitingPong = true
    this.#pingAt = now
    this.#heard = false
    this.#schedule(now + this.#settings.timeout, now)
    this.#hooks.ping()
  }
}

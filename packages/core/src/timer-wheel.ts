import { reportError } from './report-error'

/** setTimeout takes at most 2³¹−1 ms; a slot further away is reached in several steps. */
const MAX_DELAY = 2 ** 31 - 1
/** The coarsest grid a slot is placed on (about 18 minutes). */
const MAX_GRID = 2 ** 20

/** Called when a timer is due: the time the wheel read the clock, and how many ms after its slot that was. */
export type WheelCallback = (now: number, late: number) => void

/**
 * One `setTimeout` for many timers, so that timers due at nearly the same time run in one wake-up of the process.
 *
 * A timer is scheduled with a due time and a slack: it runs at the due time or at most `slack` ms later, never
 * earlier. The wheel places it in the slot at the next multiple (of the epoch time) of the largest power of two that
 * is ≤ `slack`. The grids of different slacks nest, so timers of many sockets, with the same or different settings,
 * share slots: 10,000 connections pinging every 25 s wake the process a few times a second instead of 400 times.
 *
 * The wheel keeps one timer armed for its earliest slot while any timer is scheduled, and none when no timer is: a
 * process exits once its sockets are closed. It reads `setTimeout`, `clearTimeout` and `Date.now` at call time, so
 * test fake timers drive it; a timer armed under timer functions that have since been replaced is armed again. A
 * callback that throws is reported (as a listener's exception is) without keeping the other callbacks from running.
 */
export class TimerWheel {
  /** Slot time (ms since the epoch) → the timers due then. */
  readonly #slots = new Map<number, Slot>()
  #handle: ReturnType<typeof setTimeout> | undefined
  /** The slot time `handle` runs for; Infinity when nothing is armed. */
  #handleAt = Number.POSITIVE_INFINITY
  /** The functions that armed `handle` (test fake timers may have come or gone since). */
  #armedWith: typeof setTimeout | undefined
  #clearWith: typeof clearTimeout | undefined

  /** Makes `timer` run at `due` (ms since the epoch) or up to `slack` ms later; replaces its earlier schedule. */
  schedule(timer: WheelTimer, due: number, slack: number): void {
    const grid = gridFor(slack)
    const at = Math.ceil(due / grid) * grid
    if (timer.slot !== undefined) {
      if (timer.at === at) return
      this.#remove(timer)
    }
    let slot = this.#slots.get(at)
    if (slot === undefined) {
      slot = { first: undefined, last: undefined }
      this.#slots.set(at, slot)
    }
    const last = slot.last
    if (last === undefined) slot.first = timer
    else last.next = timer
    timer.prev = last
    slot.last = timer
    timer.slot = slot
    timer.at = at
    if (at < this.#handleAt || this.#armedWith !== setTimeout) this.#arm(Math.min(at, this.#handleAt))
  }

  /** Unschedules `timer` (nothing happens if it is not scheduled). */
  cancel(timer: WheelTimer): void {
    if (timer.slot === undefined) return
    this.#remove(timer)
    if (this.#slots.size === 0) this.#disarm()
  }

  #remove(timer: WheelTimer): void {
    const slot = timer.slot!
    const { prev, next } = timer
    if (prev === undefined) slot.first = next
    else prev.next = next
    if (next === undefined) slot.last = prev
    else next.prev = prev
    timer.slot = timer.prev = timer.next = undefined
    if (slot.first === undefined && this.#slots.get(timer.at) === slot) this.#slots.delete(timer.at)
  }

  #arm(at: number): void {
    this.#disarm()
    this.#armedWith = setTimeout
    this.#clearWith = clearTimeout
    this.#handleAt = at
    this.#handle = setTimeout(this.#run, Math.min(MAX_DELAY, Math.max(0, at - Date.now())))
  }

  #disarm(): void {
    // Called as a plain function: browsers throw "Illegal invocation" when clearTimeout runs with another `this`.
    const clear = this.#clearWith
    if (this.#handle !== undefined) clear!(this.#handle)
    this.#handle = undefined
    this.#handleAt = Number.POSITIVE_INFINITY
  }

  /** Runs every slot that is due, earliest first, then arms the timer for the next slot. */
  readonly #run = (): void => {
    this.#disarm()
    const now = Date.now()
    const due: number[] = []
    for (const at of this.#slots.keys()) if (at <= now) due.push(at)
    due.sort((a, b) => a - b)
    for (const at of due) {
      const slot = this.#slots.get(at)!
      // Timers a callback schedules into this same slot time go into a new slot, run by the next wake-up.
      this.#slots.delete(at)
      // A timer a callback cancels or moves before it ran has left the slot: the loop skips it.
      for (let timer = slot.first; timer !== undefined; timer = slot.first) {
        this.#remove(timer)
        try {
          timer.callback(now, now - at)
        } catch (error) {
          reportError(error)
        }
      }
    }
    // Callbacks may have armed the timer for a slot of their own: make sure it runs for the earliest.
    let next = Number.POSITIVE_INFINITY
    for (const at of this.#slots.keys()) if (at < next) next = at
    if (next < this.#handleAt) this.#arm(next)
  }
}

/** The largest power of two ≤ `slack`, between 1 and MAX_GRID. */
function gridFor(slack: number): number {
  return slack >= 2 ? 1 << (31 - Math.clz32(Math.min(slack, MAX_GRID))) : 1
}

/** The timers due at one slot time, in the order they were scheduled: a list linked through the timers. */
interface Slot {
  first: WheelTimer | undefined
  last: WheelTimer | undefined
}

/** A timer on a wheel: scheduled, moved and cancelled without allocating. */
export class WheelTimer {
  /** The slot it waits in, its neighbours there and the slot's time; set by the wheel. */
  slot: Slot | undefined = undefined
  prev: WheelTimer | undefined = undefined
  next: WheelTimer | undefined = undefined
  at = 0

  readonly #wheel: TimerWheel

  constructor(
    wheel: TimerWheel,
    readonly callback: WheelCallback,
  ) {
    this.#wheel = wheel
  }

  /** Whether the timer waits to run. */
  get scheduled(): boolean {
    return this.slot !== undefined
  }

  /** Runs the callback at `due` (ms since the epoch) or up to `slack` ms later; replaces an earlier schedule. */
  schedule(due: number, slack: number): void {
    this.#wheel.schedule(this, due, slack)
  }

  cancel(): void {
    this.#wheel.cancel(this)
  }
}

/** The wheel every heartbeat of this process shares. */
export const sharedWheel = new TimerWheel()

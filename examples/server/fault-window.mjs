/**
 * A fault that lasts a while: `open(ms)` starts it (or moves its end when it is already on) and resolves when it
 * ends; `end()` ends it early. `onEnd` runs once per window, when it ends.
 */
export class FaultWindow {
  active = false
  #timer
  #waiters = []
  #onEnd

  constructor(onEnd) {
    this.#onEnd = onEnd
  }

  open(ms) {
    clearTimeout(this.#timer)
    this.active = true
    this.#timer = setTimeout(() => this.end(), ms)
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  end() {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (!this.active) return
    this.active = false
    this.#onEnd()
    for (const resolve of this.#waiters.splice(0)) resolve()
  }
}

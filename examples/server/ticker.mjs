/**
 * A sequenced price feed: one message every `interval` ms, numbered from 1, each kept in a bounded history so a
 * client that reconnects with `since=N` receives N+1 onwards. Messages are JSON `{ seq, price, at }`.
 */
export class Ticker {
  /** The number of the last message produced (0 before the first). */
  seq = 0
  #price = 100
  #history = []
  #limit
  #interval
  #timer
  #subscribers = new Set()

  constructor({ interval = 100, history = 1000 } = {}) {
    this.#interval = interval
    this.#limit = history
  }

  start() {
    if (this.#timer === undefined) this.#timer = setInterval(() => this.tick(), this.#interval)
  }

  stop() {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /** Produces the next message and hands it, serialized, to every subscriber. */
  tick() {
    this.#price = Math.max(1, Math.round((this.#price + (Math.random() - 0.5)) * 100) / 100)
    const text = JSON.stringify({ seq: ++this.seq, price: this.#price, at: Date.now() })
    this.#history.push({ seq: this.seq, text })
    if (this.#history.length > this.#limit) this.#history.shift()
    for (const subscriber of this.#subscribers) subscriber(text)
  }

  /** The kept messages numbered above `seq`, oldest first (older ones than the history holds are gone). */
  since(seq) {
    return this.#history.filter((entry) => entry.seq > seq).map((entry) => entry.text)
  }

  /** Calls `send(text)` for every future message; returns the function that stops it. */
  subscribe(send) {
    this.#subscribers.add(send)
    return () => this.#subscribers.delete(send)
  }
}

import { statSize } from '../data'
import type { ConnectionState, DropReason, SocketStats } from '../index'
import { newCounters, statsOf } from '../stats'

/**
 * `stats` as one tab sees the shared connection: the connections it saw open and the attempts it saw fail, the
 * messages it received, its own messages the connection took, its own drops, and the time it saw the connection
 * not open.
 */
export class TabStats {
  readonly #counters = newCounters()
  #downSince: number | undefined = Date.now()
  #downTotal = 0
  #open = false

  /** An `open` event. */
  opened(): void {
    this.#counters.connectionsOpened++
    this.#open = true
  }

  /** A `close` event: an attempt failed when no connection opened since the last one. */
  closed(): void {
    if (!this.#open) this.#counters.attemptsFailed++
    this.#open = false
  }

  /** A message event. */
  received(data: unknown): void {
    this.#counters.messagesIn++
    this.#counters.bytesIn += statSize(data)
  }

  /** One of this tab's messages was handed to the connection's socket. */
  sent(data: unknown): void {
    this.#counters.messagesOut++
    this.#counters.bytesOut += statSize(data)
  }

  /** A drop event. */
  dropped(reason: DropReason): void {
    this.#counters[reason]++
  }

  /** The state this tab sees changed; once `final` (after `close()`), the time not open stops counting. */
  state(next: ConnectionState, final: boolean): void {
    const now = Date.now()
    if (next === 'open' || final) {
      if (this.#downSince !== undefined) this.#downTotal += now - this.#downSince
      this.#downSince = undefined
    } else if (this.#downSince === undefined) {
      this.#downSince = now
    }
  }

  /** A frozen snapshot. */
  snapshot(): SocketStats {
    const since = this.#downSince
    return statsOf(this.#counters, this.#downTotal + (since === undefined ? 0 : Date.now() - since))
  }
}

import type { SendData } from './data'
import type { HeldMessages } from './delivery-contract'
import { QueueFullError } from './errors'

/** What `queue.overflow` does when a message does not fit. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'throw'

export interface QueueLimits {
  maxMessages: number
  maxBytes: number
  overflow: OverflowPolicy
}

/** One message held by lifeline. */
export interface QueueEntry {
  /** The message as given to `send()`. */
  data: SendData
  /** Payload size in bytes. */
  bytes: number
  /** When it was queued (ms since epoch), for `ttl`; 0 when no `ttl` is set. */
  queuedAt: number
  /** Its delivery id, when acknowledged delivery is on and `delivery.id()` named one. */
  id: string | undefined
  /** Hand-off order: every entry handed to a socket gets the next number, so order survives re-queueing. */
  seq: number
  /** When it was last handed to a socket (ms since epoch), for `delivery.timeout`. */
  sentAt: number
}

/**
 * The bounded FIFO of messages waiting to be sent. With acknowledged delivery, the messages sent but not yet
 * acknowledged (`held`) count against the same bounds, so everything lifeline holds is bounded. Pure accounting: no
 * timers, no I/O; the caller reports what it evicts.
 */
export class SendQueue {
  #items: (QueueEntry | undefined)[] = []
  #head = 0
  #bytes = 0
  /** Messages sent and held until acknowledged (acknowledged delivery only). */
  held: HeldMessages | undefined

  readonly #limits: QueueLimits

  constructor(limits: QueueLimits) {
    this.#limits = limits
  }

  /** Messages waiting to be sent. */
  get length(): number {
    return this.#items.length - this.#head
  }

  /** Bytes waiting to be sent (what `bufferedAmount` adds to the socket's own). */
  get bytes(): number {
    return this.#bytes
  }

  /** Messages held in all: waiting plus unacknowledged. */
  get heldCount(): number {
    return this.length + (this.held?.count ?? 0)
  }

  /** Bytes held in all: waiting plus unacknowledged. */
  get heldBytes(): number {
    return this.#bytes + (this.held?.bytes ?? 0)
  }

  /**
   * Appends `entry`. Returns the entries it had to drop to stay within bounds (possibly `entry` itself), or throws
   * a `QueueFullError` (queueing nothing) when the policy is `'throw'`.
   */
  push(entry: QueueEntry): QueueEntry[] {
    const evicted = this.makeRoom(entry)
    if (evicted.includes(entry)) return evicted
    this.#items.push(entry)
    this.#bytes += entry.bytes
    return evicted
  }

  /**
   * Makes room for `entry` under the overflow policy without adding it (for a message sent at once but held for its
   * ack). Returns what it dropped — `entry` itself when it cannot be held — or throws a `QueueFullError`.
   */
  makeRoom(entry: QueueEntry): QueueEntry[] {
    const { maxMessages, maxBytes, overflow } = this.#limits
    const tooBig = entry.bytes > maxBytes || maxMessages < 1
    const full = () => this.heldCount + 1 > maxMessages || this.heldBytes + entry.bytes > maxBytes
    if (tooBig || full()) {
      if (overflow === 'throw') {
        throw new QueueFullError(
          tooBig
            ? `The message (${entry.bytes} bytes) is larger than queue.maxBytes (${maxBytes}).`
            : `The send queue is full (${this.heldCount} messages, ${this.heldBytes} bytes).`,
          entry.data,
        )
      }
      if (tooBig || overflow === 'drop-newest') return [entry]
    }
    const evicted: QueueEntry[] = []
    while (full()) evicted.push(this.#evictOldest()!)
    return evicted
  }

  /** The next message to send, without removing it. */
  peek(): QueueEntry | undefined {
    return this.#items[this.#head]
  }

  /** Removes and returns the next message to send. */
  shift(): QueueEntry | undefined {
    if (this.#head >= this.#items.length) return undefined
    const entry = this.#items[this.#head]!
    this.#items[this.#head] = undefined
    this.#head++
    this.#bytes -= entry.bytes
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return entry
  }

  /**
   * Puts `entries` back at the front, in their order (messages that never left, or that wait for a resend). Returns
   * what had to be dropped to stay within bounds: the oldest for `'drop-oldest'`, otherwise the newest.
   */
  unshift(entries: QueueEntry[]): QueueEntry[] {
    if (entries.length === 0) return []
    this.#items = [...entries, ...this.#items.slice(this.#head)]
    this.#head = 0
    for (const entry of entries) this.#bytes += entry.bytes
    const evicted: QueueEntry[] = []
    const { maxMessages, maxBytes, overflow } = this.#limits
    while (this.heldCount > 0 && (this.heldCount > maxMessages || this.heldBytes > maxBytes)) {
      evicted.push(overflow === 'drop-oldest' || this.length === 0 ? this.#evictOldest()! : this.#popNewest())
    }
    return evicted
  }

  /** Removes and returns the waiting messages at the front that were queued before `deadline`. */
  expire(deadline: number): QueueEntry[] {
    const expired: QueueEntry[] = []
    for (let next = this.peek(); next !== undefined && next.queuedAt < deadline; next = this.peek()) {
      expired.push(this.shift()!)
    }
    return expired
  }

  /**
   * Removes the messages with this delivery id that were put back to be sent again (they wait at the front, the only
   * waiting entries with a hand-off number). Returns how many there were.
   */
  release(id: string): number {
    const items = this.#items
    let released = 0
    for (let i = this.#head; i < items.length && items[i]!.seq !== 0; ) {
      const entry = items[i]!
      if (entry.id !== id) i++
      else {
        items.splice(i, 1)
        this.#bytes -= entry.bytes
        released++
      }
    }
    return released
  }

  /**
   * Takes back messages that have not been sent, by their places in `snapshot()`, given in ascending order, and
   * returns the places it took back: those of waiting messages, not of unacknowledged (already sent) ones.
   */
  withdraw(places: readonly number[]): number[] {
    const sent = this.held?.count ?? 0
    const taken = places.filter((place) => place >= sent && place - sent < this.length)
    // From the last place to the first: each removal leaves the places before it where they were.
    for (let i = taken.length - 1; i >= 0; i--) {
      this.#bytes -= this.#items.splice(this.#head + taken[i]! - sent, 1)[0]!.bytes
    }
    return taken
  }

  /** Everything held, as given to `send()`, oldest first: unacknowledged messages, then waiting ones. */
  snapshot(): SendData[] {
    const waiting = this.#items.slice(this.#head) as QueueEntry[]
    return [...(this.held?.list() ?? []), ...waiting].map((entry) => entry.data)
  }

  #popNewest(): QueueEntry {
    const entry = this.#items.pop()!
    this.#bytes -= entry.bytes
    return entry
  }

  /**
   * Removes the oldest message held: the lowest hand-off number among unacknowledged messages and those put back at
   * the front, or else the next waiting one.
   */
  #evictOldest(): QueueEntry | undefined {
    const held = this.held?.oldest()
    const next = this.peek()
    if (held === undefined || (next !== undefined && next.seq !== 0 && next.seq < held.seq)) return this.shift()
    this.held!.remove(held)
    return held
  }
}

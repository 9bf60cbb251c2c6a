import type { SendData } from './data'
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
 * The bounded FIFO of messages waiting to be sent, plus the messages sent but not yet acknowledged (acknowledged
 * delivery). Both count against the same bounds, so everything lifeline holds is bounded. Pure accounting: no
 * timers, no I/O; the caller reports what it evicts.
 */
export class SendQueue {
  private items: (QueueEntry | undefined)[] = []
  private head = 0
  private waitingBytes = 0
  private readonly unacked = new Map<string, QueueEntry[]>()
  private unackedCount = 0
  private unackedBytes = 0

  constructor(private readonly limits: QueueLimits) {}

  /** Messages waiting to be sent. */
  get length(): number {
    return this.items.length - this.head
  }

  /** Bytes waiting to be sent (what `bufferedAmount` adds to the socket's own). */
  get bytes(): number {
    return this.waitingBytes
  }

  /** Messages held in all: waiting plus unacknowledged. */
  get heldCount(): number {
    return this.length + this.unackedCount
  }

  /** Bytes held in all: waiting plus unacknowledged. */
  get heldBytes(): number {
    return this.waitingBytes + this.unackedBytes
  }

  /** Messages sent and not yet acknowledged. */
  get pendingAcks(): number {
    return this.unackedCount
  }

  /**
   * Appends `entry`. Returns the entries it had to drop to stay within bounds (possibly `entry` itself), or throws
   * a `QueueFullError` (queueing nothing) when the policy is `'throw'`.
   */
  push(entry: QueueEntry): QueueEntry[] {
    const evicted = this.makeRoom(entry)
    if (evicted.includes(entry)) return evicted
    this.items.push(entry)
    this.waitingBytes += entry.bytes
    return evicted
  }

  /**
   * Makes room for `entry` under the overflow policy without adding it (for a message sent at once but held for its
   * ack). Returns what it dropped — `entry` itself when it cannot be held — or throws a `QueueFullError`.
   */
  makeRoom(entry: QueueEntry): QueueEntry[] {
    const { maxMessages, maxBytes, overflow } = this.limits
    const tooBig = entry.bytes > maxBytes || maxMessages < 1
    if (tooBig || this.heldCount + 1 > maxMessages || this.heldBytes + entry.bytes > maxBytes) {
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
    while (this.heldCount + 1 > maxMessages || this.heldBytes + entry.bytes > maxBytes) {
      evicted.push(this.evictOldest()!)
    }
    return evicted
  }

  /** The next message to send, without removing it. */
  peek(): QueueEntry | undefined {
    return this.items[this.head]
  }

  /** Removes and returns the next message to send. */
  shift(): QueueEntry | undefined {
    if (this.head >= this.items.length) return undefined
    const entry = this.items[this.head]!
    this.items[this.head] = undefined
    this.head++
    this.waitingBytes -= entry.bytes
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return entry
  }

  /**
   * Puts `entries` back at the front, in their order (messages that never left, or that wait for a resend). Returns
   * what had to be dropped to stay within bounds: the oldest for `'drop-oldest'`, otherwise the newest.
   */
  unshift(entries: QueueEntry[]): QueueEntry[] {
    if (entries.length === 0) return []
    this.items = [...entries, ...this.items.slice(this.head)]
    this.head = 0
    for (const entry of entries) this.waitingBytes += entry.bytes
    const evicted: QueueEntry[] = []
    const { maxMessages, maxBytes, overflow } = this.limits
    while (this.heldCount > 0 && (this.heldCount > maxMessages || this.heldBytes > maxBytes)) {
      evicted.push(overflow === 'drop-oldest' || this.length === 0 ? this.evictOldest()! : this.popNewest())
    }
    return evicted
  }

  /** Removes and returns the waiting messages at the front that were queued before `deadline`. */
  expire(deadline: number): QueueEntry[] {
    const expired: QueueEntry[] = []
    let next = this.peek()
    while (next !== undefined && next.queuedAt < deadline) {
      expired.push(this.shift()!)
      next = this.peek()
    }
    return expired
  }

  /** Keeps a sent message until `ack(entry.id)`. */
  hold(entry: QueueEntry & { id: string }): void {
    const list = this.unacked.get(entry.id)
    if (list) list.push(entry)
    else this.unacked.set(entry.id, [entry])
    this.unackedCount++
    this.unackedBytes += entry.bytes
  }

  /**
   * Releases every held message with this id, and those put back to be sent again (they wait at the front, the
   * only waiting entries with a hand-off number). Returns how many there were.
   */
  ack(id: string): number {
    let released = 0
    for (let i = this.head; i < this.items.length && this.items[i]!.seq !== 0; ) {
      const entry = this.items[i]!
      if (entry.id !== id) i++
      else {
        this.items.splice(i, 1)
        this.waitingBytes -= entry.bytes
        released++
      }
    }
    const list = this.unacked.get(id)
    if (!list) return released
    this.unacked.delete(id)
    this.unackedCount -= list.length
    for (const entry of list) this.unackedBytes -= entry.bytes
    return released + list.length
  }

  /** Removes and returns held messages matching `predicate` (all when omitted), oldest first. */
  takeUnacked(predicate?: (entry: QueueEntry) => boolean): QueueEntry[] {
    const taken: QueueEntry[] = []
    for (const [id, list] of this.unacked) {
      const keep = predicate ? list.filter((entry) => !predicate(entry)) : []
      for (const entry of list) if (!keep.includes(entry)) taken.push(entry)
      if (keep.length === 0) this.unacked.delete(id)
      else this.unacked.set(id, keep)
    }
    for (const entry of taken) {
      this.unackedCount--
      this.unackedBytes -= entry.bytes
    }
    return taken.sort((a, b) => a.seq - b.seq)
  }

  /** The oldest `sentAt` among held messages, or `undefined` when none is held. */
  oldestSentAt(): number | undefined {
    let oldest: number | undefined
    for (const list of this.unacked.values()) {
      for (const entry of list) if (oldest === undefined || entry.sentAt < oldest) oldest = entry.sentAt
    }
    return oldest
  }

  /** Everything held, as given to `send()`, oldest first: unacknowledged messages, then waiting ones. */
  snapshot(): SendData[] {
    const held: QueueEntry[] = []
    for (const list of this.unacked.values()) held.push(...list)
    held.sort((a, b) => a.seq - b.seq)
    const waiting = this.items.slice(this.head) as QueueEntry[]
    return [...held, ...waiting].map((entry) => entry.data)
  }

  private popNewest(): QueueEntry {
    const entry = this.items.pop()!
    this.waitingBytes -= entry.bytes
    return entry
  }

  /**
   * Removes the oldest message held: the lowest hand-off number among unacknowledged messages and those put back at
   * the front, or else the next waiting one. Runs only on overflow, so a scan is affordable.
   */
  private evictOldest(): QueueEntry | undefined {
    let oldest: { id: string; list: QueueEntry[]; index: number } | undefined
    for (const [id, list] of this.unacked) {
      for (let index = 0; index < list.length; index++) {
        if (oldest === undefined || list[index]!.seq < oldest.list[oldest.index]!.seq) oldest = { id, list, index }
      }
    }
    const next = this.peek()
    if (oldest === undefined || (next !== undefined && next.seq !== 0 && next.seq < oldest.list[oldest.index]!.seq)) {
      return this.shift()
    }
    const [entry] = oldest.list.splice(oldest.index, 1)
    if (oldest.list.length === 0) this.unacked.delete(oldest.id)
    this.unackedCount--
    this.unackedBytes -= entry!.bytes
    return entry
  }
}

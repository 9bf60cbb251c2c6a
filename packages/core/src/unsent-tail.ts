import type { QueueEntry } from './send-queue'

/**
 * The messages handed to a socket that may still sit in its buffer, oldest first. After every hand-off, and while
 * the socket holds unsent bytes, the socket's `bufferedAmount` is looked at: messages it no longer covers have left
 * and are forgotten. When the connection dies, `takeUnsent()` names the messages its unsent bytes cover. Pure
 * accounting: the caller reads `bufferedAmount`.
 */
export class UnsentTail {
  #entries: QueueEntry[] = []
  #bytes = 0
  /** `bufferedAmount` at the last look: `ws` reports 0 once its connection is destroyed. */
  #lastBuffered = 0
  /** Whether `bufferedAmount` counts client frame headers (`ws` without compression). */
  framed = false

  /** Messages remembered. */
  get length(): number {
    return this.#entries.length
  }

  /** Remembers a message just handed to the socket, whose `bufferedAmount` is now `buffered` (above 0). */
  add(entry: QueueEntry, buffered: number): void {
    this.#entries.push(entry)
    this.#bytes += this.#wireSize(entry.bytes)
    this.observe(buffered)
  }

  /** A fresh look at `bufferedAmount`: forgets the oldest messages it no longer covers (all of them at 0). */
  observe(buffered: number): void {
    this.#lastBuffered = buffered
    if (buffered === 0) {
      this.#entries = []
      this.#bytes = 0
      return
    }
    while (this.#entries.length > 1 && this.#bytes - this.#wireSize(this.#entries[0]!.bytes) >= buffered) {
      this.#bytes -= this.#wireSize(this.#entries.shift()!.bytes)
    }
  }

  /**
   * The connection died with `buffered` bytes unsent (0 from `ws` means "unknown": the last look stands in). Returns
   * the messages those bytes cover, oldest first, and forgets everything.
   */
  takeUnsent(buffered: number): QueueEntry[] {
    const unsent = buffered > 0 ? buffered : this.#lastBuffered
    const covered: QueueEntry[] = []
    let bytes = 0
    for (let i = this.#entries.length - 1; i >= 0 && bytes < unsent; i--) {
      const entry = this.#entries[i]!
      bytes += this.#wireSize(entry.bytes)
      covered.unshift(entry)
    }
    this.observe(0)
    return covered
  }

  /** Bytes a message takes in `bufferedAmount`: `ws` adds 2–10 header bytes and a 4-byte mask to client frames. */
  #wireSize(bytes: number): number {
    if (!this.framed) return bytes
    return bytes + 6 + (bytes >= 65536 ? 8 : bytes >= 126 ? 2 : 0)
  }
}

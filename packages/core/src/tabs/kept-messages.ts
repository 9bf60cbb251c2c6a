import { byteSize, type SendData } from '../data'

/** A message a tab sent, numbered in the tab's order. */
export interface KeptMessage {
  readonly seq: number
  readonly data: SendData
  readonly size: number
}

/**
 * What a tab sent that the shared connection has not yet taken, oldest first: each message stays here until the
 * leader reports it handed to its socket or dropped, so that a new leader can be given what the old one never sent.
 */
export class KeptMessages {
  list: KeptMessage[] = []
  /** The messages' size in bytes (UTF-8 bytes for text). */
  bytes = 0
  #last = 0

  /** Keeps `data` as the tab's next message. */
  add(data: SendData): KeptMessage {
    const message = { seq: ++this.#last, data, size: byteSize(data) }
    this.list.push(message)
    this.bytes += message.size
    return message
  }

  /**
   * The leader's socket no longer holds messages `seqs` (sent, and acknowledged under acknowledged delivery): forgets
   * them, and returns them.
   */
  handed(seqs: readonly number[]): KeptMessage[] {
    const gone = new Set(seqs)
    const handed = this.list.filter((message) => gone.has(message.seq))
    this.list = this.list.filter((message) => !gone.has(message.seq))
    for (const message of handed) this.bytes -= message.size
    return handed
  }

  /** Forgets message `seq` and returns it, or `undefined` when it is no longer kept. */
  remove(seq: number): KeptMessage | undefined {
    const index = this.list.findIndex((message) => message.seq === seq)
    if (index < 0) return undefined
    const message = this.list.splice(index, 1)[0]!
    this.bytes -= message.size
    return message
  }
}

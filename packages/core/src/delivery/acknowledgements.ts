import type { SendData } from '../data'
import type { DeliveryHost, HeldMessages } from '../delivery-contract'
import type { QueueEntry } from '../send-queue'
import type { Timer } from '../timers'
import type { AcknowledgedSettings } from './acknowledged'

/**
 * One socket's messages sent and held until acknowledged, by id. They count against the queue's bounds (the queue
 * asks `count`, `bytes` and `oldest()`), come back to the queue when the connection ends, and are sent again or
 * dropped when `timeout` passes without an ack.
 */
export class Acknowledgements implements HeldMessages {
  count = 0
  bytes = 0
  readonly #byId = new Map<string, QueueEntry[]>()
  readonly #s: AcknowledgedSettings
  readonly #host: DeliveryHost
  #timer: Timer

  constructor(settings: AcknowledgedSettings, host: DeliveryHost) {
    this.#s = settings
    this.#host = host
  }

  id(data: SendData): string | undefined {
    try {
      const id = this.#s.id(data)
      return id == null ? undefined : String(id)
    } catch (error) {
      this.#host.report(error, 'delivery.id')
      return undefined
    }
  }

  hold(entry: QueueEntry & { id: string }): void {
    const list = this.#byId.get(entry.id)
    if (list) list.push(entry)
    else this.#byId.set(entry.id, [entry])
    this.count++
    this.bytes += entry.bytes
  }

  acknowledge(data: unknown): void {
    let ids: unknown
    try {
      ids = this.#s.ackOf(data)
    } catch (error) {
      this.#host.report(error, 'delivery.ackOf')
      return
    }
    if (ids == null) return
    for (const id of Array.isArray(ids) ? ids : [ids]) this.#release(String(id))
    this.#host.changed()
  }

  oldest(): QueueEntry | undefined {
    let oldest: QueueEntry | undefined
    for (const list of this.#byId.values()) {
      for (const entry of list) if (oldest === undefined || entry.seq < oldest.seq) oldest = entry
    }
    return oldest
  }

  remove(entry: QueueEntry): void {
    const list = this.#byId.get(entry.id!)
    const index = list?.indexOf(entry) ?? -1
    if (index < 0) return
    list!.splice(index, 1)
    if (list!.length === 0) this.#byId.delete(entry.id!)
    this.count--
    this.bytes -= entry.bytes
  }

  list(): QueueEntry[] {
    return [...this.#byId.values()].flat().sort((a, b) => a.seq - b.seq)
  }

  takeAll(): QueueEntry[] {
    return this.#take(() => true)
  }

  sent(): void {
    const timeout = this.#s.timeout
    if (timeout === Number.POSITIVE_INFINITY || this.#timer !== undefined) return
    const oldest = this.#oldestSentAt()
    if (oldest === undefined) return
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined
        const now = Date.now()
        const late = this.#take((entry) => now - entry.sentAt >= timeout)
        if (this.#s.onTimeout === 'drop') this.#host.drop(late, 'unacknowledged')
        else this.#host.requeue(late)
        this.#host.pump()
        this.sent()
      },
      Math.max(0, oldest + timeout - Date.now()),
    )
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /** Releases every held message with this id, and those put back in the queue to be sent again. */
  #release(id: string): void {
    this.#host.queue.release(id)
    const list = this.#byId.get(id)
    if (!list) return
    this.#byId.delete(id)
    this.count -= list.length
    for (const entry of list) this.bytes -= entry.bytes
  }

  /** Removes and returns the held messages matching `predicate`, in hand-off order. */
  #take(predicate: (entry: QueueEntry) => boolean): QueueEntry[] {
    const taken = this.list().filter(predicate)
    for (const entry of taken) this.remove(entry)
    return taken
  }

  #oldestSentAt(): number | undefined {
    let oldest: number | undefined
    for (const list of this.#byId.values()) {
      for (const entry of list) if (oldest === undefined || entry.sentAt < oldest) oldest = entry.sentAt
    }
    return oldest
  }
}

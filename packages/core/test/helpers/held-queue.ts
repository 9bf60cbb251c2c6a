import { acknowledged } from '../../src/delivery'
import type { DeliveryHost, HeldMessages } from '../../src/delivery-contract'
import type { DropReason } from '../../src/events'
import { type QueueEntry, type QueueLimits, SendQueue } from '../../src/send-queue'

export interface HeldQueue {
  queue: SendQueue
  held: HeldMessages
  /** What the store asked of its host, in order. */
  calls: { requeued: QueueEntry[][]; dropped: [QueueEntry[], DropReason][]; pumps: number; changes: number }
  /** Hooks that threw, as reported: [hook, error]. */
  reports: [string, unknown][]
}

/**
 * A SendQueue with acknowledged delivery's store attached, as a socket sets them up. Ids: what the entry's data
 * starts with up to the first space when it starts with '#'; an incoming message acknowledges the id it is equal to.
 */
export function heldQueue(
  limits: Partial<QueueLimits> = {},
  options: { timeout?: number; onTimeout?: 'resend' | 'drop' } = {},
): HeldQueue {
  const queue = new SendQueue({ maxMessages: 100, maxBytes: 1000, overflow: 'drop-oldest', ...limits })
  const calls: HeldQueue['calls'] = { requeued: [], dropped: [], pumps: 0, changes: 0 }
  const reports: [string, unknown][] = []
  const host: DeliveryHost = {
    queue,
    report: (error, hook) => reports.push([hook, error]),
    requeue: (entries) => calls.requeued.push(entries),
    drop: (entries, reason) => calls.dropped.push([entries, reason]),
    pump: () => calls.pumps++,
    changed: () => calls.changes++,
  }
  const held = acknowledged({
    id: (data) => (typeof data === 'string' && data.startsWith('#') ? data.slice(1).split(' ')[0] : undefined),
    ackOf: (data) => data,
    ...options,
  }).create(host)
  queue.held = held
  return { queue, held, calls, reports }
}

/**
 * What the send path and acknowledged delivery (`@lifeline/core/delivery`) say to each other. The delivery code
 * lives in its own entry point, so a socket without it does not ship it; the socket only calls these methods.
 */
import type { SendData } from './data'
import type { DropReason } from './events'
import type { QueueEntry, SendQueue } from './send-queue'

/** What a socket's send path offers acknowledged delivery. */
export interface DeliveryHost {
  /** The socket's queue of messages waiting to be sent. */
  readonly queue: SendQueue
  /** A hook threw: reported as an `error` event naming it. */
  report(error: unknown, hook: string): void
  /** Puts messages back at the front of the queue, in hand-off order, to be sent again. */
  requeue(entries: QueueEntry[]): void
  /** Messages that will not be sent: `drop` events. */
  drop(entries: QueueEntry[], reason: DropReason): void
  /** Hands waiting messages to the open socket, if there is one. */
  pump(): void
  /** Messages left lifeline's hands (acknowledged). */
  changed(): void
}

/** The messages one socket sent and holds until they are acknowledged. */
export interface HeldMessages {
  /** Messages held. */
  readonly count: number
  /** Bytes held. */
  readonly bytes: number
  /** The delivery id of an outgoing message, or `undefined` (fire-and-forget, or the `id` hook threw). */
  id(data: SendData): string | undefined
  /** Keeps a message just handed to the socket until its ack. */
  hold(entry: QueueEntry & { id: string }): void
  /** An incoming message: releases what it acknowledges. */
  acknowledge(data: unknown): void
  /** The held message handed off first, without removing it. */
  oldest(): QueueEntry | undefined
  /** Stops holding `entry` (evicted to make room). */
  remove(entry: QueueEntry): void
  /** What is held, in hand-off order. */
  list(): QueueEntry[]
  /** Removes and returns everything held, in hand-off order (the connection ended: it goes again). */
  takeAll(): QueueEntry[]
  /** Messages were handed to an open socket: watch their ack timeout. */
  sent(): void
  /** The connection ended or is closing: no more timers. */
  stop(): void
}

/** Acknowledged delivery, as `acknowledged()` from `@lifeline/core/delivery` makes it: the `delivery` option. */
export interface Delivery {
  /** Makes the store of held messages for one socket. */
  create(host: DeliveryHost): HeldMessages
}

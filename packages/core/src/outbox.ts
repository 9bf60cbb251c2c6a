import { byteSize, type SendData, statSize } from './data'
import type { DeliveryHost, HeldMessages } from './delivery-contract'
import type { DropReason } from './events'
import type { WebSocketLike } from './options'
import type { QueueEntry } from './send-queue'
import { SendQueue } from './send-queue'
import type { Settings } from './settings'
import type { Counters } from './stats'
import type { Timer } from './timers'
import { UnsentTail } from './unsent-tail'

const PUMP_MIN_DELAY = 1
const PUMP_MAX_DELAY = 50

/** What the outbox reports to its socket. */
export interface OutboxHooks {
  /** A message will not be sent. */
  drop(data: SendData, reason: DropReason): void
  /** The total buffered fell below `lowWaterMark`, and the queue has room again, after `send()` returned `false`. */
  drain(): void
  /** Messages moved between the queue and the socket, or left lifeline's hands (acked, dropped). */
  changed(): void
  /** A hook threw. */
  report(error: unknown, hook: string): void
}

/**
 * Everything between `send()` and the socket: the bounded queue, backpressure (the pump that hands queued messages
 * to the socket while its `bufferedAmount` is below `highWaterMark`), the messages still in the socket's buffer, and
 * (with `@lifeline/core/delivery`) the messages held until acknowledged. The connection's state machine says when a
 * connection is open (`connect`) and when it ended (`disconnect`); in between, messages go to that socket.
 */
export class Outbox {
  readonly #queue: SendQueue
  readonly #s: Settings
  readonly #hooks: OutboxHooks
  readonly #counters: Counters
  /** Acknowledged delivery's store, when it is on. */
  readonly #held: HeldMessages | undefined
  /** The open connection messages go to, or `null`. */
  #ws: WebSocketLike | null = null
  /** Messages handed to the socket that may still sit in its buffer. */
  readonly #tail = new UnsentTail()
  /** Hand-off counter: orders messages that go back to the queue. */
  #seq = 0
  #needDrain = false
  #drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = []
  #pumpTimer: Timer
  #pumpDelay = PUMP_MIN_DELAY
  /** The socket's `bufferedAmount` at the pump's last look. */
  #pumpBuffered = 0

  constructor(settings: Settings, hooks: OutboxHooks, counters: Counters) {
    this.#s = settings
    this.#hooks = hooks
    this.#counters = counters
    const queue = new SendQueue(settings.queue)
    this.#queue = queue
    const host: DeliveryHost = {
      queue,
      report: hooks.report,
      requeue: (entries) => this.#requeue(entries),
      drop: (entries, reason) => this.#dropAll(entries, reason),
      pump: () => this.#pump(),
      changed: () => {
        hooks.changed()
        if (this.#needDrain) this.#checkDrain(bufferedOf(this.#ws))
      },
    }
    this.#held = queue.held = settings.delivery?.create(host)
  }

  /** Bytes waiting in the queue. */
  get bytes(): number {
    return this.#queue.bytes
  }

  /** Messages held: waiting, plus unacknowledged ones. */
  get length(): number {
    return this.#queue.heldCount
  }

  /** What is held, as given to `send()`, oldest first: unacknowledged messages, then queued ones. */
  snapshot(): SendData[] {
    return this.#queue.snapshot()
  }

  /**
   * Takes back messages not yet handed to the socket, by their place in `snapshot()` (see `SendQueue.withdraw`). They
   * are not dropped: whoever takes them back keeps them.
   */
  withdraw(places: readonly number[]): number[] {
    const taken = this.#queue.withdraw(places)
    if (taken.length !== 0) {
      this.#hooks.changed()
      if (this.#needDrain) this.#checkDrain(bufferedOf(this.#ws))
    }
    return taken
  }

  /**
   * Sends now when a connection is open and nothing older waits, queues otherwise. Returns `false` when the sender
   * should wait for `drain`: the total buffered is at or above `highWaterMark`, or the queue is half full (by
   * messages or by bytes), so that a sender that waits never meets the queue's bounds.
   */
  send(data: SendData): boolean {
    const ws = this.#ws
    if (ws === null || this.#queue.length !== 0 || bufferedOf(ws) >= this.#s.highWaterMark) {
      return this.#enqueue(this.#entryFor(data))
    }
    if (this.#held !== undefined) return this.#sendHeld(ws, this.#entryFor(data))
    ws.send(data)
    const counters = this.#counters
    counters.messagesOut++
    counters.bytesOut += statSize(data)
    const buffered = bufferedOf(ws)
    if (buffered === 0) {
      if (this.#tail.length !== 0) this.#tail.observe(0)
      return true
    }
    this.#track(this.#entryFor(data), buffered)
    return this.#accepting(buffered)
  }

  /** A connection is open (after the `handshake` hook): send what waits. */
  connect(ws: WebSocketLike): void {
    this.#ws = ws
    this.#tail.framed = typeof ws.ping === 'function' && !(ws.extensions ?? '').includes('permessage-deflate')
    this.#pump()
  }

  /**
   * The connection ended or is being left: unacknowledged messages go back to the front of the queue, and so do
   * those its unsent bytes cover when `buffered` is given (the socket's `bufferedAmount` when it ended). `exact`: the
   * socket was still alive when `buffered` was read; otherwise 0 means "unknown" (`ws` reports 0 once its connection
   * is destroyed) and the last look stands in. A clean close sent its buffer before the close frame: no `buffered`.
   */
  disconnect(buffered?: number, exact = false): void {
    const ws = this.#ws
    this.#ws = null
    this.stopTimers()
    const tail = this.#tail
    if (exact && buffered !== undefined) tail.observe(buffered)
    const back =
      ws && buffered !== undefined && tail.length !== 0
        ? tail.takeUnsent(buffered).filter((entry) => entry.id === undefined)
        : []
    tail.observe(0)
    this.#requeue([...back, ...(this.#held?.takeAll() ?? [])])
  }

  /** Stops the pump and the ack timer. */
  stopTimers(): void {
    clearTimeout(this.#pumpTimer)
    this.#pumpTimer = undefined
    this.#held?.stop()
  }

  /** Resolves at the next `drain`, at once when none is pending. */
  drained(): Promise<void> {
    if (!this.#needDrain) return Promise.resolve()
    return new Promise((resolve, reject) => this.#drainWaiters.push({ resolve, reject }))
  }

  /** The socket closed for good or gave up: pending `drained()` promises reject with `error`. */
  rejectDrain(error: Error): void {
    this.#settleDrain(error)
  }

  /** An incoming message: releases the messages it acknowledges. */
  acknowledge(data: unknown): void {
    this.#held!.acknowledge(data)
  }

  #entryFor(data: SendData): QueueEntry {
    return {
      data,
      bytes: byteSize(data),
      queuedAt: this.#s.queue.ttl === Number.POSITIVE_INFINITY ? 0 : Date.now(),
      id: this.#held?.id(data),
      seq: 0,
      sentAt: 0,
    }
  }

  /** Sends a message now under acknowledged delivery: held until acked, so it counts against the queue bounds. */
  #sendHeld(ws: WebSocketLike, entry: QueueEntry): boolean {
    const evicted = entry.id === undefined ? [] : this.#queue.makeRoom(entry)
    if (!evicted.includes(entry)) this.#handOff(ws, entry)
    this.#dropAll(evicted, 'overflow')
    this.#held!.sent()
    return this.#accepting(bufferedOf(ws))
  }

  #enqueue(entry: QueueEntry): boolean {
    this.#dropExpired()
    this.#dropAll(this.#queue.push(entry), 'overflow')
    if (this.#ws !== null) this.#schedulePump()
    return this.#accepting(bufferedOf(this.#ws))
  }

  /**
   * After a write: `true` while the total buffered is below `highWaterMark` and the queue is less than half full (by
   * messages and by bytes); otherwise start waiting for drain.
   */
  #accepting(socketBuffered: number): boolean {
    const queue = this.#queue
    const { highWaterMark, queue: limits } = this.#s
    if (
      socketBuffered + queue.bytes < highWaterMark &&
      queue.heldCount * 2 < limits.maxMessages &&
      queue.heldBytes * 2 < limits.maxBytes
    ) {
      return true
    }
    this.#needDrain = true
    if (this.#ws !== null) this.#schedulePump()
    return false
  }

  /** While a drain is awaited: fires it once the total is below `lowWaterMark` and the queue at most a quarter full. */
  #checkDrain(socketBuffered: number): void {
    const queue = this.#queue
    const { lowWaterMark, queue: limits } = this.#s
    if (
      socketBuffered + queue.bytes < lowWaterMark &&
      queue.heldCount * 4 <= limits.maxMessages &&
      queue.heldBytes * 4 <= limits.maxBytes
    ) {
      this.#settleDrain()
    }
  }

  /** Hands one message to the socket, keeping what is needed to recover it if the connection dies. */
  #handOff(ws: WebSocketLike, entry: QueueEntry): void {
    // A message sent again keeps its first number, so resends never reorder it behind newer messages.
    if (entry.seq === 0) entry.seq = ++this.#seq
    entry.sentAt = Date.now()
    ws.send(entry.data)
    const counters = this.#counters
    counters.messagesOut++
    counters.bytesOut += statSize(entry.data)
    if (entry.id !== undefined) this.#held!.hold(entry as QueueEntry & { id: string })
    const buffered = bufferedOf(ws)
    if (buffered === 0) {
      if (this.#tail.length !== 0) this.#tail.observe(0)
    } else this.#track(entry, buffered)
  }

  /** Remembers a message the socket may still hold, and keeps looking at the socket's buffer until it empties. */
  #track(entry: QueueEntry, buffered: number): void {
    if (entry.seq === 0) entry.seq = ++this.#seq
    const tail = this.#tail
    tail.add(entry, buffered)
    this.#schedulePump()
    // msw's mock counts a send in `bufferedAmount` only until the microtask that delivers it: look again then, so
    // a connection closed in reaction to a message does not take that message for unsent and send it again.
    if (tail.length === 1) {
      const ws = this.#ws
      queueMicrotask(() => {
        if (ws !== null && this.#ws === ws && tail.length !== 0) tail.observe(bufferedOf(ws))
      })
    }
  }

  /** Puts messages back at the front of the queue in hand-off order, reporting what the bounds could not keep. */
  #requeue(entries: QueueEntry[]): void {
    if (entries.length === 0) return
    const queue = this.#queue
    // Messages put back earlier wait at the front (the only numbered ones): merge with them, never jump ahead.
    for (let next = queue.peek(); next !== undefined && next.seq !== 0; next = queue.peek()) {
      entries.push(queue.shift()!)
    }
    entries.sort((a, b) => a.seq - b.seq)
    this.#dropAll(queue.unshift(entries), 'overflow')
  }

  /** Hands queued messages to the socket while its `bufferedAmount` is below `highWaterMark`. */
  #pump(): void {
    const ws = this.#ws
    if (ws === null) return
    this.#dropExpired()
    const queue = this.#queue
    let sent = 0
    while (queue.length > 0 && bufferedOf(ws) < this.#s.highWaterMark) {
      this.#handOff(ws, queue.shift()!)
      sent++
      if (this.#ws !== ws) return
    }
    if (sent > 0) {
      this.#held?.sent()
      this.#hooks.changed()
    }
    const buffered = bufferedOf(ws)
    if (this.#tail.length !== 0) this.#tail.observe(buffered)
    if (this.#needDrain) {
      this.#checkDrain(buffered)
      if (this.#ws !== ws) return
    }
    if (queue.length > 0 || this.#needDrain || this.#tail.length !== 0) {
      // The socket is moving (it took messages, or its buffer shrank since the last look): look again soon.
      const progressed = sent > 0 || buffered < this.#pumpBuffered
      this.#pumpDelay = progressed ? PUMP_MIN_DELAY : Math.min(this.#pumpDelay * 2, PUMP_MAX_DELAY)
      this.#schedulePump()
    }
    this.#pumpBuffered = buffered
  }

  #schedulePump(): void {
    if (this.#pumpTimer !== undefined) return
    this.#pumpTimer = setTimeout(() => {
      this.#pumpTimer = undefined
      this.#pump()
    }, this.#pumpDelay)
  }

  /** Ends a wait for drain: `drain` and resolved promises, or (with `error`) rejected promises. */
  #settleDrain(error?: Error): void {
    const waiters = this.#drainWaiters
    this.#drainWaiters = []
    const wasWaiting = this.#needDrain
    this.#needDrain = false
    for (const waiter of waiters) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
    if (!error && wasWaiting) this.#hooks.drain()
  }

  #dropExpired(): void {
    const ttl = this.#s.queue.ttl
    if (ttl !== Number.POSITIVE_INFINITY) this.#dropAll(this.#queue.expire(Date.now() - ttl), 'expired')
  }

  #dropAll(entries: QueueEntry[], reason: DropReason): void {
    for (const entry of entries) this.#hooks.drop(entry.data, reason)
  }
}

/**
 * A socket's `bufferedAmount`, 0 where the implementation has none (happy-dom's WebSocket): without this, a missing
 * figure would read as "over the high-water mark" and nothing would ever be sent.
 */
function bufferedOf(ws: WebSocketLike | null): number {
  return ws?.bufferedAmount || 0
}

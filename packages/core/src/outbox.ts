import { byteSize, type SendData } from './data'
import type { DropReason } from './events'
import { DEFAULTS, type ResilientWebSocketOptions, type WebSocketLike } from './options'
import { type QueueEntry, SendQueue } from './send-queue'
import { UnsentTail } from './unsent-tail'

const PUMP_MIN_DELAY = 1
const PUMP_MAX_DELAY = 50

type OutboxOptions = Pick<ResilientWebSocketOptions, 'queue' | 'delivery' | 'highWaterMark' | 'lowWaterMark'>

/** What the outbox reports to its socket. */
export interface OutboxHooks {
  /** A message will not be sent. */
  drop(data: SendData, reason: DropReason): void
  /** The total buffered fell below `lowWaterMark` after `send()` returned `false`. */
  drain(): void
  /** Messages moved between the queue and the socket, or left lifeline's hands (acked, dropped). */
  changed(): void
}

/**
 * Everything between `send()` and the socket: the bounded queue, backpressure (the pump that hands queued messages
 * to the socket while its `bufferedAmount` is below `highWaterMark`), the messages still in the socket's buffer, and
 * acknowledged delivery. The connection's state machine says when a connection is open (`connect`) and when it
 * ended (`disconnect`); in between, messages go to that socket.
 */
export class Outbox {
  private readonly queue: SendQueue
  private readonly highWaterMark: number
  private readonly lowWaterMark: number
  /** The open connection messages go to, or `null`. */
  private ws: WebSocketLike | null = null
  /** Messages handed to the socket that may still sit in its buffer. */
  private readonly tail = new UnsentTail()
  /** Hand-off counter: orders messages that go back to the queue. */
  private seq = 0
  private needDrain = false
  private drainWaiters: { resolve: () => void; reject: (error: Error) => void }[] = []
  private pumpTimer: ReturnType<typeof setTimeout> | undefined
  private pumpDelay = PUMP_MIN_DELAY
  /** The socket's `bufferedAmount` at the pump's last look. */
  private pumpBuffered = 0
  private ackTimer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly options: OutboxOptions,
    private readonly hooks: OutboxHooks,
  ) {
    const queue = options.queue ?? {}
    this.queue = new SendQueue({
      maxMessages: queue.maxMessages ?? DEFAULTS.maxMessages,
      maxBytes: queue.maxBytes ?? DEFAULTS.maxBytes,
      overflow: queue.overflow ?? DEFAULTS.overflow,
    })
    this.highWaterMark = options.highWaterMark ?? DEFAULTS.highWaterMark
    this.lowWaterMark = Math.min(options.lowWaterMark ?? DEFAULTS.lowWaterMark, this.highWaterMark)
  }

  /** Bytes waiting in the queue. */
  get bytes(): number {
    return this.queue.bytes
  }

  /** Messages held: waiting, plus unacknowledged ones. */
  get length(): number {
    return this.queue.heldCount
  }

  /** What is held, as given to `send()`, oldest first: unacknowledged messages, then queued ones. */
  snapshot(): SendData[] {
    return this.queue.snapshot()
  }

  /**
   * Sends now when a connection is open and nothing older waits, queues otherwise. Returns `false` once the total
   * buffered is at or above `highWaterMark`.
   */
  send(data: SendData): boolean {
    const ws = this.readySocket()
    if (ws === null) return this.enqueue(this.entryFor(data))
    if (this.options.delivery !== undefined) return this.sendHeld(ws, this.entryFor(data))
    ws.send(data)
    const buffered = ws.bufferedAmount
    if (buffered === 0) {
      if (this.tail.length !== 0) this.tail.observe(0)
      return true
    }
    this.track(this.entryFor(data), buffered)
    return this.checkHighWater(buffered)
  }

  /** A connection is open (after the `handshake` hook): send what waits. */
  connect(ws: WebSocketLike): void {
    this.ws = ws
    this.tail.framed = typeof ws.ping === 'function' && !(ws.extensions ?? '').includes('permessage-deflate')
    this.pump()
  }

  /**
   * The connection ended or is being left: unacknowledged messages go back to the front of the queue, and with
   * `unsent: 'requeue'` so do the messages its buffer still held (a connection that died). A clean close sent its
   * buffer before the close frame: `'forget'`.
   */
  disconnect(unsent: 'requeue' | 'forget'): void {
    const ws = this.ws
    this.ws = null
    this.stopTimers()
    const back = ws && unsent === 'requeue' ? this.unsentEntries(ws) : []
    this.tail.observe(0)
    this.requeue([...back, ...this.queue.takeUnacked()])
  }

  /** Stops the pump and the ack timer. */
  stopTimers(): void {
    if (this.pumpTimer !== undefined) clearTimeout(this.pumpTimer)
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer)
    this.pumpTimer = undefined
    this.ackTimer = undefined
  }

  /** Resolves at the next `drain`, at once when none is pending. */
  drained(): Promise<void> {
    if (!this.needDrain) return Promise.resolve()
    return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }))
  }

  /** The socket closed for good or gave up: pending `drained()` promises reject with `error`. */
  rejectDrain(error: Error): void {
    this.settleDrain(error)
  }

  /** An incoming message: releases the messages it acknowledges. */
  acknowledge(data: unknown): void {
    const ids = this.options.delivery!.ackOf(data)
    if (ids === undefined) return
    if (typeof ids === 'string') this.queue.ack(ids)
    else for (const id of ids) this.queue.ack(id)
    this.hooks.changed()
  }

  private entryFor(data: SendData): QueueEntry {
    const { queue, delivery } = this.options
    return {
      data,
      bytes: byteSize(data),
      queuedAt: queue?.ttl === undefined ? 0 : Date.now(),
      id: delivery?.id(data),
      seq: 0,
      sentAt: 0,
    }
  }

  /** The open socket when a message may go straight to it (nothing older waits, its buffer is below the mark). */
  private readySocket(): WebSocketLike | null {
    const ws = this.ws
    return ws !== null && this.queue.length === 0 && ws.bufferedAmount < this.highWaterMark ? ws : null
  }

  /** Sends a message now under acknowledged delivery: held until acked, so it counts against the queue bounds. */
  private sendHeld(ws: WebSocketLike, entry: QueueEntry): boolean {
    const evicted = entry.id === undefined ? [] : this.queue.makeRoom(entry)
    if (!evicted.includes(entry)) this.handOff(ws, entry)
    this.dropAll(evicted, 'overflow')
    this.scheduleAckCheck()
    return this.checkHighWater(ws.bufferedAmount)
  }

  private enqueue(entry: QueueEntry): boolean {
    this.dropExpired()
    this.dropAll(this.queue.push(entry), 'overflow')
    if (this.ws !== null) this.schedulePump()
    return this.checkHighWater(this.ws?.bufferedAmount ?? 0)
  }

  /** After a write: `true` while the total buffered is below `highWaterMark`; otherwise start waiting for drain. */
  private checkHighWater(socketBuffered: number): boolean {
    if (socketBuffered + this.queue.bytes < this.highWaterMark) return true
    this.needDrain = true
    if (this.ws !== null) this.schedulePump()
    return false
  }

  /** Hands one message to the socket, keeping what is needed to recover it if the connection dies. */
  private handOff(ws: WebSocketLike, entry: QueueEntry): void {
    // A message sent again keeps its first number, so resends never reorder it behind newer messages.
    if (entry.seq === 0) entry.seq = ++this.seq
    entry.sentAt = Date.now()
    ws.send(entry.data)
    if (entry.id !== undefined) this.queue.hold(entry as QueueEntry & { id: string })
    const buffered = ws.bufferedAmount
    if (buffered === 0) {
      if (this.tail.length !== 0) this.tail.observe(0)
    } else this.track(entry, buffered)
  }

  /** Remembers a message the socket may still hold, and keeps looking at the socket's buffer until it empties. */
  private track(entry: QueueEntry, buffered: number): void {
    if (entry.seq === 0) entry.seq = ++this.seq
    this.tail.add(entry, buffered)
    this.schedulePump()
    // msw's mock counts a send in `bufferedAmount` only until the microtask that delivers it: look again then, so
    // a connection closed in reaction to a message does not take that message for unsent and send it again.
    if (this.tail.length === 1) {
      const ws = this.ws
      queueMicrotask(() => {
        if (ws !== null && this.ws === ws && this.tail.length !== 0) this.tail.observe(ws.bufferedAmount)
      })
    }
  }

  /** The messages a dead connection's unsent bytes cover (those with a delivery id come back as unacknowledged). */
  private unsentEntries(ws: WebSocketLike): QueueEntry[] {
    if (this.tail.length === 0) return []
    return this.tail.takeUnsent(ws.bufferedAmount).filter((entry) => entry.id === undefined)
  }

  /** Puts messages back at the front of the queue in hand-off order, reporting what the bounds could not keep. */
  private requeue(entries: QueueEntry[]): void {
    if (entries.length === 0) return
    // Messages put back earlier wait at the front (the only numbered ones): merge with them, never jump ahead.
    for (let next = this.queue.peek(); next !== undefined && next.seq !== 0; next = this.queue.peek()) {
      entries.push(this.queue.shift()!)
    }
    entries.sort((a, b) => a.seq - b.seq)
    this.dropAll(this.queue.unshift(entries), 'overflow')
  }

  /** Hands queued messages to the socket while its `bufferedAmount` is below `highWaterMark`. */
  private pump(): void {
    const ws = this.ws
    if (ws === null) return
    this.dropExpired()
    let sent = 0
    while (this.queue.length > 0 && ws.bufferedAmount < this.highWaterMark) {
      this.handOff(ws, this.queue.shift()!)
      sent++
      if (this.ws !== ws) return
    }
    if (sent > 0) {
      this.scheduleAckCheck()
      this.hooks.changed()
    }
    const buffered = ws.bufferedAmount
    if (this.tail.length !== 0) this.tail.observe(buffered)
    if (this.needDrain && buffered + this.queue.bytes < this.lowWaterMark) {
      this.settleDrain()
      if (this.ws !== ws) return
    }
    if (this.queue.length > 0 || this.needDrain || this.tail.length !== 0) {
      // The socket is moving (it took messages, or its buffer shrank since the last look): look again soon.
      const progressed = sent > 0 || buffered < this.pumpBuffered
      this.pumpDelay = progressed ? PUMP_MIN_DELAY : Math.min(this.pumpDelay * 2, PUMP_MAX_DELAY)
      this.schedulePump()
    }
    this.pumpBuffered = buffered
  }

  private schedulePump(): void {
    if (this.pumpTimer !== undefined) return
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined
      this.pump()
    }, this.pumpDelay)
  }

  /** Ends a wait for drain: `drain` and resolved promises, or (with `error`) rejected promises. */
  private settleDrain(error?: Error): void {
    const waiters = this.drainWaiters
    this.drainWaiters = []
    const wasWaiting = this.needDrain
    this.needDrain = false
    for (const waiter of waiters) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
    if (!error && wasWaiting) this.hooks.drain()
  }

  private dropExpired(): void {
    const ttl = this.options.queue?.ttl
    if (ttl !== undefined) this.dropAll(this.queue.expire(Date.now() - ttl), 'expired')
  }

  private dropAll(entries: QueueEntry[], reason: DropReason): void {
    for (const entry of entries) this.hooks.drop(entry.data, reason)
  }

  /** Arms the `delivery.timeout` check while messages wait for acks on an open connection. */
  private scheduleAckCheck(): void {
    const timeout = this.options.delivery?.timeout
    if (timeout === undefined || this.ackTimer !== undefined) return
    const oldest = this.queue.oldestSentAt()
    if (oldest === undefined) return
    this.ackTimer = setTimeout(
      () => {
        this.ackTimer = undefined
        const now = Date.now()
        const late = this.queue.takeUnacked((entry) => now - entry.sentAt >= timeout)
        if (this.options.delivery!.onTimeout === 'drop') this.dropAll(late, 'unacknowledged')
        else this.requeue(late)
        this.pump()
        this.scheduleAckCheck()
      },
      Math.max(0, oldest + timeout - Date.now()),
    )
  }
}

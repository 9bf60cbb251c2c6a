import {
  type DropEvent,
  type Provider,
  ResilientWebSocket,
  type ResilientWebSocketOptions,
  type SendData,
  type SocketStatus,
} from '../index'
import { withdrawQueued } from '../resilient-websocket'
import { eventFields, RELAYED, type RelayedType, type Wire } from './wire'

/** A message given to the connection, with the tab it came from. */
interface Pending {
  readonly from: string
  readonly seq: number
  readonly data: SendData
}

/** The status fields every tab mirrors; a change in any of them is announced. */
const MIRRORED = ['state', 'attempt', 'latency', 'url', 'protocol', 'lastClose', 'gaveUp'] as const

/**
 * The part of the tab that holds the shared connection: a `ResilientWebSocket` governed by this tab's options. It
 * sends what every tab gives it, in each tab's order, tells the tabs (`tell`: to every other tab and to this one)
 * each event and status change, which of their messages its socket has taken, and which it dropped.
 */
export class Leader {
  // Fields set in the constructor or later are `declare`d: they need no initialiser of their own in the output.
  declare readonly socket: ResilientWebSocket
  readonly #id: string
  readonly #epoch: number
  readonly #tell: (message: Wire) => void
  /** Messages given to the socket and not yet reported gone from it, in the order given. */
  #pending: Pending[] = []
  /** Messages no longer pending that the socket took, oldest first, for the next report. */
  readonly #taken: Pending[] = []
  #announced: SocketStatus | undefined
  #settleScheduled = false
  #stopped = false
  readonly #dropsNewest: boolean
  readonly #unsubscribe: () => void

  constructor(
    url: Provider<string | URL>,
    protocols: Provider<string | string[] | undefined>,
    options: ResilientWebSocketOptions,
    id: string,
    epoch: number,
    tell: (message: Wire) => void,
  ) {
    this.#id = id
    this.#epoch = epoch
    this.#tell = tell
    const socket = new ResilientWebSocket(url, protocols, options)
    this.socket = socket
    // Every tab turns binary messages into what its own binaryType asks for.
    socket.binaryType = 'arraybuffer'
    this.#dropsNewest = options.queue?.overflow === 'drop-newest'
    socket.on('message', (event) => tell({ t: 'ev', l: id, k: 'message', a: event.data }))
    for (const type of Object.keys(RELAYED) as RelayedType[]) {
      socket.on(type, (event: object) => tell({ t: 'ev', l: id, k: type, a: eventFields(event) }))
    }
    socket.on('drop', this.#dropped)
    this.#unsubscribe = socket.subscribe(this.#changed)
  }

  /** Tells every tab who leads and the connection's status. */
  announce(): void {
    const status = this.socket.status
    this.#announced = status
    this.#tell({ t: 'lead', l: this.#id, e: this.#epoch, s: status, x: this.socket.extensions })
  }

  /**
   * Gives tab `from`'s message `seq` to the socket. Throws what the socket's `send()` throws (a `QueueFullError`
   * under `queue.overflow: 'throw'`); the message is then not pending.
   */
  send(from: string, seq: number, data: SendData): void {
    const entry = { from, seq, data }
    this.#pending.push(entry)
    try {
      this.socket.send(data)
    } catch (error) {
      this.#pending.splice(this.#pending.indexOf(entry), 1)
      throw error
    }
    // When the socket holds nothing, every pending message is taken: known now, so that an identical message dropped
    // later in this task is not mistaken for one of them.
    if (this.socket.status.queuedMessages === 0) for (const taken of this.#pending.splice(0)) this.#taken.push(taken)
    // A message that went straight to the socket changes no queue figure: look after this task's sends.
    this.#settleSoon()
  }

  /**
   * Tab `from` closed: its messages the socket has not sent yet are taken back (that tab keeps them in its `queued`,
   * as a closed `ResilientWebSocket` keeps what it did not send). Sent ones stay: under acknowledged delivery, those
   * awaiting their ack are sent again after a reconnect.
   */
  takeBack(from: string): void {
    // What the socket no longer holds is reported first: every pending message left is then in `queued`.
    this.#settle()
    const places = this.#places()
    // Places in the order of `queued`, as withdrawQueued takes them.
    const mine = places.filter((_, i) => this.#pending[i]!.from === from)
    const taken = new Set(withdrawQueued(this.socket, mine))
    this.#pending = this.#pending.filter((_, i) => !taken.has(places[i]!))
  }

  /**
   * Tells the tabs what its socket took (a closing socket still sends it), then stops telling them anything and closes
   * the connection.
   */
  stop(code?: number, reason?: string): void {
    this.#settle()
    this.#stopped = true
    this.#unsubscribe()
    this.socket.removeAllListeners()
    this.socket.close(code, reason)
  }

  readonly #changed = (): void => {
    this.#settleSoon()
    const status = this.socket.status
    const last = this.#announced
    if (!last || MIRRORED.some((field) => status[field] !== last[field])) this.announce()
  }

  /**
   * Settles once the socket's current step is over: while it evicts a message, its queue no longer holds it but its
   * `drop` event has not been dispatched yet.
   */
  #settleSoon(): void {
    if (this.#settleScheduled) return
    this.#settleScheduled = true
    queueMicrotask(() => {
      this.#settleScheduled = false
      if (!this.#stopped) this.#settle()
    })
  }

  /**
   * Where each pending message is in the socket's `queued` (-1: no longer held). `queued` lists what the socket holds
   * (unacknowledged messages, then waiting ones), each in the order given, so the pending messages still held are
   * found there in order, by their data: matched from the newest, as the socket lets go of its oldest first (sends,
   * acks in order, expiry, evicting the oldest), or from the oldest when it evicts its newest (`newest`).
   */
  #places(newest = false): number[] {
    const held = this.socket.queued
    const last = held.length - 1
    if (!newest) held.reverse()
    const pending = newest ? this.#pending : this.#pending.slice().reverse()
    let at = 0
    const places = pending.map(({ data }) => {
      const index = held.indexOf(data, at)
      if (index < 0) return -1
      at = index + 1
      return newest ? index : last - index
    })
    return newest ? places : places.reverse()
  }

  /**
   * The pending messages the socket no longer holds, in matching order (see `#places`): the last one with some data
   * is the one a drop of that data took.
   */
  #gone(newest: boolean): Pending[] {
    const places = this.#places(newest)
    const gone = this.#pending.filter((_, i) => places[i]! < 0)
    return newest ? gone : gone.reverse()
  }

  /** Forgets the pending messages the socket no longer holds, and tells their tabs, by number, with those taken. */
  #settle(): void {
    const gone = this.#gone(false).reverse()
    const left = new Set(gone)
    this.#pending = this.#pending.filter((entry) => !left.has(entry))
    const taken = this.#taken.splice(0).concat(gone)
    if (taken.length === 0) return
    const handed: Record<string, number[]> = {}
    for (const entry of taken) (handed[entry.from] ??= []).push(entry.seq)
    this.#tell({ t: 'ok', m: handed })
  }

  /**
   * The socket dropped a message: find whose it was (among the pending ones it no longer holds, the one its overflow
   * policy took) and tell its tab. A message no tab keeps any more (handed over, then put back when the connection
   * died) is reported in this tab, so that no drop goes unseen.
   */
  readonly #dropped = ({ data, reason }: DropEvent): void => {
    const entry = this.#gone(reason === 'overflow' && this.#dropsNewest)
      .filter((gone) => gone.data === data)
      .pop()
    if (entry) this.#pending.splice(this.#pending.indexOf(entry), 1)
    this.#tell({ t: 'drop', to: entry?.from ?? this.#id, seq: entry?.seq ?? -1, r: reason, d: data })
  }
}

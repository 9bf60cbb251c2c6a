import type { ConnectionState } from './events'
import { reportError } from './report-error'

/** How the last connection (or attempt) ended. */
export interface LastClose {
  readonly code: number
  readonly reason: string
  readonly wasClean: boolean
}

/**
 * An immutable snapshot of a socket, for adapters (`useSyncExternalStore`, a `BehaviorSubject`) and dashboards. Its
 * identity changes only when one of its fields changes.
 */
export interface SocketStatus {
  readonly state: ConnectionState
  /** `CONNECTING` (0) while connecting or waiting to retry, `OPEN` (1), `CLOSING` (2), `CLOSED` (3). */
  readonly readyState: number
  /** Retries since the last stable connection: 0 while the first try runs or once a connection stayed open. */
  readonly attempt: number
  /** The last heartbeat round trip in ms; `undefined` until measured. */
  readonly latency: number | undefined
  /**
   * Bytes not yet sent (socket plus queue) as of the last change lifeline made: a `send()`, a hand-off to the socket,
   * a drop. Read `socket.bufferedAmount` for the live figure.
   */
  readonly bufferedAmount: number
  /** Messages lifeline holds: waiting in the queue, plus unacknowledged ones under acknowledged delivery. */
  readonly queuedMessages: number
  readonly url: string
  readonly protocol: string
  /** How the last connection or attempt ended; `undefined` until one did. */
  readonly lastClose: LastClose | undefined
  /**
   * `true` once lifeline stopped retrying on its own (`reconnect: false`, `maxAttempts`, a fatal close code,
   * `shouldReconnect` or a policy said no): `state` is then `'closed'` although `close()` was not called. `false`
   * otherwise, and again after `reconnect()`.
   */
  readonly gaveUp: boolean
}

const FIELDS = [
  'state',
  'readyState',
  'attempt',
  'latency',
  'bufferedAmount',
  'queuedMessages',
  'url',
  'protocol',
  'lastClose',
  'gaveUp',
] as const

function same(a: SocketStatus, b: SocketStatus): boolean {
  for (const field of FIELDS) if (a[field] !== b[field]) return false
  return true
}

/**
 * Holds a socket's current `SocketStatus` and its subscribers. The socket says when something changed: `changed()`
 * for state changes (subscribers are called at once), `changedSoon()` for the send path (subscribers are called once,
 * in a microtask, however many messages were sent meanwhile). A snapshot is built only after a change, never per read.
 */
export class StatusStore {
  #current: SocketStatus
  /** The snapshot subscribers were last called for. */
  #told: SocketStatus
  #stale = false
  #scheduled = false
  readonly #listeners = new Set<{ listener: () => void }>()

  readonly #read: () => SocketStatus

  constructor(read: () => SocketStatus) {
    this.#read = read
    this.#current = this.#told = Object.freeze(read())
  }

  get(): SocketStatus {
    if (this.#stale) {
      this.#stale = false
      const next = this.#read()
      if (!same(next, this.#current)) this.#current = Object.freeze(next)
    }
    return this.#current
  }

  /** Calls `listener` after each change of the snapshot; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    const entry = { listener }
    this.#listeners.add(entry)
    return () => {
      this.#listeners.delete(entry)
    }
  }

  /** A field changed: subscribers are called now if the snapshot differs from the one they last heard of. */
  changed(): void {
    this.#stale = true
    if (this.#listeners.size !== 0) this.#notifyIfChanged()
  }

  /** A queue figure changed: subscribers are called once, in a microtask, if the snapshot then differs. */
  changedSoon(): void {
    this.#stale = true
    if (this.#scheduled || this.#listeners.size === 0) return
    this.#scheduled = true
    queueMicrotask(() => {
      this.#scheduled = false
      this.#notifyIfChanged()
    })
  }

  #notifyIfChanged(): void {
    const current = this.get()
    if (current === this.#told) return
    this.#told = current
    for (const entry of [...this.#listeners]) {
      if (!this.#listeners.has(entry)) continue
      try {
        entry.listener()
      } catch (error) {
        reportError(error)
      }
    }
  }
}

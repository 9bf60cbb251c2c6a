/**
 * The soak's bookkeeping, free of I/O: what each client sent and what became of it (acknowledged, dropped, or
 * neither: lost), and the order in which the server first saw each client's messages.
 */

/** A client's messages by delivery id: sent → acknowledged or dropped; whatever is neither at the end is lost. */
export class DeliveryLedger {
  /** id → 'pending' | 'acked' | 'dropped' */
  #states = new Map()
  sent = 0
  acked = 0
  /** Acks for an id already acknowledged (a resend the server acknowledged again). */
  duplicateAcks = 0
  /** Acks for an id already dropped (it had reached the server before the drop). */
  ackedAfterDrop = 0
  /** Acks for ids never sent: a bug in the test or the server. */
  unknownAcks = 0
  /** Drops by reason. */
  dropped = {}

  /** `send()` accepted a message with this id. */
  sentMessage(id) {
    if (this.#states.has(id)) throw new Error(`id ${id} sent twice`)
    this.#states.set(id, 'pending')
    this.sent++
  }

  /** The server acknowledged `id`. */
  ack(id) {
    const state = this.#states.get(id)
    if (state === undefined) this.unknownAcks++
    else if (state === 'acked') this.duplicateAcks++
    else if (state === 'dropped') this.ackedAfterDrop++
    else {
      this.#states.set(id, 'acked')
      this.acked++
    }
  }

  /** lifeline reported `id` in a `drop` event. */
  drop(id, reason) {
    const state = this.#states.get(id)
    if (state !== 'pending') return
    this.#states.set(id, 'dropped')
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1
  }

  /** Messages neither acknowledged nor dropped (yet). */
  get pending() {
    let count = 0
    for (const state of this.#states.values()) if (state === 'pending') count++
    return count
  }

  /** The first few ids still pending: for the report when something was lost. */
  pendingIds(limit = 5) {
    const ids = []
    for (const [id, state] of this.#states) {
      if (state !== 'pending') continue
      ids.push(id)
      if (ids.length === limit) break
    }
    return ids
  }
}

/**
 * The order in which the server first saw each client's messages: numbered from 1 by their sender, they must arrive
 * in increasing order once repeats (resends) are set aside. Gaps are allowed: a dropped message may never arrive.
 */
export class ArrivalOrder {
  /** client → `{ n, connection }` of the highest number seen */
  #last = new Map()
  /** client → numbers seen */
  #seen = new Map()
  arrivals = 0
  duplicates = 0
  /**
   * First arrivals lower than one already seen from the same client: `{ client, n, after, connection,
   * afterConnection }` (the connections they came on, when told).
   */
  outOfOrder = []

  add(client, n, connection) {
    this.arrivals++
    let seen = this.#seen.get(client)
    if (seen === undefined) {
      seen = new Set()
      this.#seen.set(client, seen)
    }
    if (seen.has(n)) {
      this.duplicates++
      return
    }
    seen.add(n)
    const last = this.#last.get(client)
    if (last !== undefined && n < last.n) {
      this.outOfOrder.push({ client, n, after: last.n, connection, afterConnection: last.connection })
    } else this.#last.set(client, { n, connection })
  }

  /** How many distinct messages arrived from `client`. */
  distinct(client) {
    return this.#seen.get(client)?.size ?? 0
  }
}

/** The delivery id a soak message carries: messages are JSON that starts with `{"id":"<id>"`. */
export function idOf(text) {
  if (typeof text !== 'string' || !text.startsWith('{"id":"')) return undefined
  const end = text.indexOf('"', 7)
  return end === -1 ? undefined : text.slice(7, end)
}

/** A soak message: `{"id":"c<client>-<n>","client":<client>,"n":<n>,"pad":"…"}`, `bytes` long at least. */
export function message(client, n, bytes = 0) {
  const head = `{"id":"c${client}-${n}","client":${client},"n":${n},"pad":"`
  return `${head}${'x'.repeat(Math.max(0, bytes - head.length - 2))}"}`
}

/** The ids an `/ack` answer acknowledges: `{"ack":"<id>"}` → the id; anything else → undefined. */
export function ackOf(text) {
  if (typeof text !== 'string' || !text.startsWith('{"ack":')) return undefined
  return JSON.parse(text).ack
}

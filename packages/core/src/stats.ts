/** Counters since the socket was created, for logs and metrics: `socket.stats`. */
export interface SocketStats {
  /** Connections that opened (after the `handshake` hook). */
  readonly connectionsOpened: number
  /** Attempts that failed before opening: refused, timed out, a failing provider or `handshake` hook... */
  readonly attemptsFailed: number
  /** Messages received (heartbeat answers included). */
  readonly messagesIn: number
  /** What they weighed: `byteLength`/`size` of binary data, `length` of text (bytes for ASCII text). */
  readonly bytesIn: number
  /** Messages handed to a socket (resent ones again, `handshake` and heartbeat messages included). */
  readonly messagesOut: number
  /** What they weighed, counted as for `bytesIn`. */
  readonly bytesOut: number
  /** Messages dropped, by reason. */
  readonly drops: { readonly overflow: number; readonly expired: number; readonly unacknowledged: number }
  /** Milliseconds spent not open (connecting, waiting to retry, given up) until `close()` ended it. */
  readonly msNotOpen: number
}

/** The live counters a socket, its outbox and its connections add to. */
export interface Counters {
  connectionsOpened: number
  attemptsFailed: number
  messagesIn: number
  bytesIn: number
  messagesOut: number
  bytesOut: number
  overflow: number
  expired: number
  unacknowledged: number
}

export function newCounters(): Counters {
  return {
    connectionsOpened: 0,
    attemptsFailed: 0,
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    overflow: 0,
    expired: 0,
    unacknowledged: 0,
  }
}

/** A frozen snapshot of `counters`, with the time not open so far. */
export function statsOf(counters: Counters, msNotOpen: number): SocketStats {
  const { overflow, expired, unacknowledged, ...rest } = counters
  return Object.freeze({ ...rest, drops: Object.freeze({ overflow, expired, unacknowledged }), msNotOpen })
}

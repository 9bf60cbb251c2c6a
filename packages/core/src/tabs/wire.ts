import {
  type DropReason,
  LatencyEvent,
  ReconnectingEvent,
  type SendData,
  SocketCloseEvent,
  SocketErrorEvent,
  SocketEvent,
  SocketOpenEvent,
  type SocketStatus,
} from '../index'

/**
 * The messages the tabs of one channel exchange over their `BroadcastChannel`. Keys are short: every message is
 * cloned once for every tab.
 */
export type Wire =
  /** A tab that just opened asks who holds the connection. */
  | { t: 'hi' }
  /**
   * Tab `l` holds the connection (it took the lead at `e`, which grows with every new leader); `s` is its status and
   * `x` its extensions. Sent when a tab takes the lead, whenever the connection's status changes, and to answer `hi`.
   */
  | { t: 'lead'; l: string; e: number; s: SocketStatus; x: string }
  /** An event of leader `l`'s connection: a message's data, or the event's fields. */
  | { t: 'ev'; l: string; k: 'message'; a: unknown }
  | { t: 'ev'; l: string; k: RelayedType; a: EventFields }
  /** Message number `seq` of tab `from`, for leader `to` to send. */
  | { t: 'send'; to: string; from: string; seq: number; d: SendData }
  /**
   * The leader's socket no longer holds these messages of each tab, by number: it sent them (and, under acknowledged
   * delivery, the server acknowledged them).
   */
  | { t: 'ok'; m: Record<string, number[]> }
  /** The leader dropped tab `to`'s message `seq` (`-1`: one no tab holds any more) for reason `r`; `d` is its data. */
  | { t: 'drop'; to: string; seq: number; r: DropReason; d: SendData }
  /** Tab `from` closed: leader `to` takes back that tab's messages its socket has not sent. */
  | { t: 'back'; to: string; from: string }
  /** A tab asks leader `to` to reconnect with code `c` and reason `r`. */
  | { t: 'rc'; to: string; c: number | undefined; r: string | undefined }

/** The events of the leader's connection relayed to every tab besides `message`; `state` follows from the status. */
export const RELAYED = {
  open: SocketOpenEvent,
  close: SocketCloseEvent,
  error: SocketErrorEvent,
  reconnecting: ReconnectingEvent,
  latency: LatencyEvent,
}

export type RelayedType = keyof typeof RELAYED

/** An event's fields, as they cross to another tab. */
export type EventFields = Record<string, unknown>

/**
 * The fields of an event (every field, so that what core adds to its events crosses too), in a form structured
 * cloning takes: no target; a close event given as reason, as its fields; an error that is not an `Error` (a
 * platform event, say), as text.
 */
export function eventFields(event: object): EventFields {
  const fields: EventFields = {}
  for (const [key, value] of Object.entries(event)) {
    if (key === 'target') continue
    fields[key] =
      value instanceof SocketEvent
        ? eventFields(value)
        : value === null || typeof value !== 'object' || value instanceof Error
          ? value
          : String(value)
  }
  return fields
}

/**
 * Rebuilds a relayed event for `target`, this tab's socket: an instance of the event's class with the fields it
 * had, dispatched now. A close event given as reason becomes one again.
 */
export function reviveEvent(target: unknown, type: RelayedType, fields: EventFields): object {
  const reason = fields.reason as EventFields | undefined
  return Object.assign(Object.create(RELAYED[type].prototype), fields, {
    type,
    target,
    timeStamp: Date.now(),
    ...(type === 'reconnecting' && reason?.type === 'close' ? { reason: reviveEvent(target, 'close', reason) } : {}),
  })
}

import {
  type DropReason,
  LatencyEvent,
  ReconnectingEvent,
  type SendData,
  SocketCloseEvent,
  SocketErrorEvent,
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
  /** An event of leader `l`'s connection: a message's data, or the arguments of the event's constructor. */
  | { t: 'ev'; l: string; k: 'message'; a: unknown }
  | { t: 'ev'; l: string; k: RelayedType; a: unknown[] }
  /** Message number `seq` of tab `from`, for leader `to` to send. */
  | { t: 'send'; to: string; from: string; seq: number; d: SendData }
  /** The leader handed to its socket each tab's messages up to the number given for it. */
  | { t: 'ok'; m: Record<string, number> }
  /** The leader dropped tab `to`'s message `seq` (`-1`: one no tab holds any more) for reason `r`; `d` is its data. */
  | { t: 'drop'; to: string; seq: number; r: DropReason; d: SendData }
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

type CloseInit = { code: number; reason: string; wasClean: boolean; willReconnect: boolean }

function closeInit(event: SocketCloseEvent): CloseInit {
  return { code: event.code, reason: event.reason, wasClean: event.wasClean, willReconnect: event.willReconnect }
}

/** An error as it can cross to another tab: an `Error` as is (the platform clones it), anything else as text. */
function cloneable(error: unknown): unknown {
  return error instanceof Error ? error : String(error)
}

/**
 * The constructor arguments (after the target) of a relayed event, in a form that survives structured cloning: no
 * socket objects, no platform events.
 */
export function eventArguments(type: RelayedType, event: any): unknown[] {
  switch (type) {
    case 'open':
      return [event.attempt, event.reconnected]
    case 'close':
      return [closeInit(event)]
    case 'error':
      return [event.error instanceof Error ? event.error : event.message]
    case 'reconnecting':
      return [
        event.attempt,
        event.delay,
        event.reason instanceof SocketCloseEvent ? closeInit(event.reason) : cloneable(event.reason),
      ]
    default:
      return [event.latency]
  }
}

/** Rebuilds a relayed event for `target`, the tab's own socket. */
export function reviveEvent(target: unknown, type: RelayedType, args: unknown[]): object {
  if (type === 'reconnecting' && (args[2] as Partial<CloseInit> | null)?.code !== undefined) {
    args[2] = new SocketCloseEvent(target, args[2] as CloseInit)
  }
  return new (RELAYED[type] as new (target: unknown, ...rest: any[]) => object)(target, ...args)
}

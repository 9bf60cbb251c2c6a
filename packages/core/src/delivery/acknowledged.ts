import type { SendData } from '../data'
import type { Delivery, DeliveryHost } from '../delivery-contract'
import { checkFunction, checkOption, MAX_DELAY, NEVER } from '../settings'
import { Acknowledgements } from './acknowledgements'

export interface AcknowledgedOptions {
  /**
   * The delivery id of an outgoing message (what was given to `send()`), or `undefined` for fire-and-forget. If it
   * throws, the message is sent without an id and an `error` event names `delivery.id`.
   */
  id: (data: SendData) => string | undefined
  /**
   * The ids an incoming message acknowledges (its `data`), or `undefined` when it is not an ack. If it throws (say,
   * `JSON.parse` of a message that is not JSON), the message is not an ack and an `error` event names `delivery.ackOf`;
   * the message is still dispatched.
   */
  ackOf: (data: any) => string | readonly string[] | undefined
  /** Milliseconds to wait for an ack before `onTimeout` applies. @default Infinity (wait; resend after a reconnect) */
  timeout?: number
  /** What happens to a message not acknowledged within `timeout`. @default 'resend' */
  onTimeout?: 'resend' | 'drop'
}

/** `acknowledged()`'s options, checked. */
export interface AcknowledgedSettings {
  readonly id: (data: SendData) => string | undefined
  readonly ackOf: (data: any) => string | readonly string[] | undefined
  readonly timeout: number
  readonly onTimeout: 'resend' | 'drop'
}

/**
 * Acknowledged delivery, for the `delivery` option: messages with an id are kept until the server acknowledges them
 * and are sent again, in their original order, after a reconnect (or after `timeout`). lifeline defines no wire
 * format: `id` and `ackOf` say how to read ids and acks. Throws a `TypeError` or `RangeError` naming a bad option.
 *
 * ```ts
 * import { acknowledged } from '@lifeline/core/delivery'
 * new ResilientWebSocket(url, { delivery: acknowledged({ id: (data) => …, ackOf: (data) => … }) })
 * ```
 */
export function acknowledged(options: AcknowledgedOptions): Delivery {
  if (typeof options?.id !== 'function' || typeof options.ackOf !== 'function') {
    throw new TypeError('acknowledged() needs two functions: { id(data), ackOf(data) }.')
  }
  const settings: AcknowledgedSettings = Object.freeze({
    id: checkFunction('delivery.id', options.id),
    ackOf: checkFunction('delivery.ackOf', options.ackOf),
    timeout: checkOption('delivery.timeout', options.timeout, Number.POSITIVE_INFINITY, [0, MAX_DELAY, NEVER]),
    onTimeout: checkOption('delivery.onTimeout', options.onTimeout, 'resend' as const, ['resend', 'drop']),
  })
  return Object.freeze({ create: (host: DeliveryHost) => new Acknowledgements(settings, host) })
}

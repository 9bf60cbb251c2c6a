import type { Jitter } from './backoff'
import type { SendData } from './data'
import type { Delivery } from './delivery-contract'
import type { SocketCloseEvent } from './events'
import type { ForegroundSignal, NetworkSignal } from './lifecycle'
import type {
  HandshakeContext,
  HeartbeatOptions,
  ResilientWebSocketOptions,
  ResumeContext,
  RetryContext,
  RetryPolicy,
  WebSocketConstructor,
  WebSocketLike,
} from './options'
import type { OverflowPolicy } from './send-queue'

/** The longest delay a timer can wait (2³¹−1 ms, about 24.8 days); longer ones would fire at once. */
export const MAX_DELAY = 2147483647

/** Every default, as the README's options table lists them. */
export const DEFAULTS = Object.freeze({
  reconnect: Object.freeze({
    minDelay: 1000,
    maxDelay: 10000,
    factor: 2,
    jitter: 'full' as Jitter,
    maxAttempts: Number.POSITIVE_INFINITY,
    stableAfter: 5000,
  }),
  connectTimeout: 10000,
  closeTimeout: 5000,
  fatalCloseCodes: Object.freeze([1008]) as readonly number[],
  queue: Object.freeze({
    maxMessages: 10000,
    maxBytes: 8 * 1024 * 1024,
    overflow: 'drop-oldest' as OverflowPolicy,
    ttl: Number.POSITIVE_INFINITY,
  }),
  highWaterMark: 1024 * 1024,
  lowWaterMark: 256 * 1024,
  heartbeat: Object.freeze({ interval: 25000, timeout: 10000 }),
  lifecycle: Object.freeze({ sleepThreshold: 2000 }),
})

/** Backoff settings, resolved. */
export interface BackoffConfig {
  readonly minDelay: number
  readonly maxDelay: number
  readonly factor: number
  readonly jitter: Jitter
  readonly maxAttempts: number
  readonly stableAfter: number
  readonly random: () => number
}

/** The queue's bounds, resolved. */
export interface QueueConfig {
  readonly maxMessages: number
  readonly maxBytes: number
  readonly overflow: OverflowPolicy
  readonly ttl: number
}

/** The heartbeat, resolved; `auto`: only where the implementation has protocol pings. */
export interface HeartbeatConfig {
  readonly interval: number
  readonly timeout: number
  readonly message: HeartbeatOptions['message']
  readonly isPong: ((data: any) => boolean) | undefined
  readonly auto: boolean
}

/** What a socket runs on: every option checked and resolved once, in the constructor, then frozen. */
export interface Settings {
  readonly WebSocket: WebSocketConstructor | undefined
  readonly createWebSocket: ((url: string, protocols: string[] | undefined) => WebSocketLike) | undefined
  /** `false` never reconnects; a function is a retry policy; otherwise the backoff applies. */
  readonly policy: false | RetryPolicy | undefined
  readonly backoff: BackoffConfig
  readonly connectTimeout: number
  readonly closeTimeout: number
  readonly fatalCloseCodes: readonly number[]
  readonly shouldReconnect: ((event: SocketCloseEvent, ctx: RetryContext) => boolean) | undefined
  /** The queue's bounds; `ttl` Infinity: no limit. */
  readonly queue: QueueConfig
  readonly highWaterMark: number
  readonly lowWaterMark: number
  readonly handshake: ((send: (data: SendData) => void, ctx: HandshakeContext) => void | Promise<void>) | undefined
  readonly resume: ((url: URL, ctx: ResumeContext) => void | string | URL | Promise<void | string | URL>) | undefined
  readonly delivery: Delivery | undefined
  readonly heartbeat: HeartbeatConfig | false
  readonly network: NetworkSignal | false | undefined
  readonly foreground: ForegroundSignal | false | undefined
  readonly sleepThreshold: number
}

const INF = Number.POSITIVE_INFINITY
/** Rule flags: Infinity is allowed (it means "never"), and the minimum itself is not. */
export const NEVER = 1
const ABOVE = 2

/** How a number or string option is checked: `[min, max, flags]`, or the list of allowed strings. */
export type Rule = readonly [number, number, number?] | readonly string[]

/** The rule of each option of the default import (`@lifeline/core/delivery` passes its own). */
const RULES: Record<string, Rule> = {
  'reconnect.minDelay': [0, MAX_DELAY],
  'reconnect.maxDelay': [0, MAX_DELAY],
  'reconnect.factor': [1, MAX_DELAY],
  'reconnect.jitter': ['full', 'equal', 'decorrelated', 'none'],
  'reconnect.maxAttempts': [1, INF],
  'reconnect.stableAfter': [0, MAX_DELAY, NEVER],
  connectTimeout: [0, MAX_DELAY, NEVER],
  closeTimeout: [0, MAX_DELAY, NEVER],
  highWaterMark: [0, INF, ABOVE],
  lowWaterMark: [0, INF],
  'queue.maxMessages': [1, INF],
  'queue.maxBytes': [1, INF],
  'queue.overflow': ['drop-oldest', 'drop-newest', 'throw'],
  'queue.ttl': [0, INF],
  'heartbeat.interval': [0, MAX_DELAY, ABOVE],
  'heartbeat.timeout': [0, MAX_DELAY, ABOVE],
  'lifecycle.sleepThreshold': [0, MAX_DELAY],
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'function' ? 'a function' : String(value)
}

/** Checks option `name` by its rule; returns `fallback` when it is not given. */
export function checkOption<T>(name: string, value: unknown, fallback: T, rule: Rule | undefined = RULES[name]): T {
  if (value === undefined) return fallback
  if (!rule) return value as T
  if (typeof rule[0] === 'string') {
    if ((rule as readonly unknown[]).includes(value)) return value as T
    throw new RangeError(`${name} must be one of ${rule.map(show).join(', ')}; got ${show(value)}.`)
  }
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number; got ${show(value)}.`)
  const [min, max, flags = 0] = rule as readonly [number, number, number?]
  if ((flags & ABOVE ? value > min : value >= min) && (value <= max || (flags & NEVER && value === INF))) {
    return value as T
  }
  const upTo = max < INF ? ` and ≤ ${max}` : ''
  throw new RangeError(
    `${name} must be ${flags & ABOVE ? '>' : '≥'} ${min}${upTo}${flags & NEVER ? ', or Infinity' : ''}; got ${value}.`,
  )
}

/** Checks every option of `defaults`' shape in `source`, for options under `prefix`. */
function pick<T extends object>(prefix: string, source: Record<string, unknown>, defaults: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, fallback] of Object.entries(defaults)) out[key] = checkOption(prefix + key, source[key], fallback)
  return out as T
}

/** Checks an optional function option. */
export function checkFunction<T>(name: string, value: T): T {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`${name} must be a function; got ${show(value)}.`)
  }
  return value
}

/** An optional object option (`{}` when not given). */
function group(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined || value === true || value === false || typeof value === 'function') return {}
  if (typeof value !== 'object' || value === null) throw new TypeError(`${name} must be an object; got ${show(value)}.`)
  return value as Record<string, unknown>
}

/**
 * Checks every option and resolves the defaults, once. Throws a `TypeError` for a wrong type and a `RangeError` for
 * a value out of range, each naming the option and the value.
 */
export function resolveSettings(options: ResilientWebSocketOptions): Settings {
  const o = group('options', options) as ResilientWebSocketOptions
  const reconnect = o.reconnect
  const r = group('reconnect', reconnect)
  const backoff: Omit<BackoffConfig, 'random'> & { maxDelay: number } = pick('reconnect.', r, DEFAULTS.reconnect)
  if (r.maxDelay === undefined) backoff.maxDelay = Math.max(backoff.maxDelay, backoff.minDelay)
  if (backoff.minDelay > backoff.maxDelay) {
    throw new RangeError(
      `reconnect.minDelay (${backoff.minDelay}) must not be above reconnect.maxDelay (${backoff.maxDelay}).`,
    )
  }
  const { connectTimeout, closeTimeout, highWaterMark } = pick('', o as Record<string, unknown>, DEFAULTS)
  const lowWaterMark = checkOption('lowWaterMark', o.lowWaterMark, Math.min(DEFAULTS.lowWaterMark, highWaterMark))
  if (lowWaterMark > highWaterMark) {
    throw new RangeError(`lowWaterMark (${lowWaterMark}) must not be above highWaterMark (${highWaterMark}).`)
  }
  const h = o.heartbeat
  const beat = group('heartbeat', h)
  const delivery = o.delivery
  if (delivery !== undefined && typeof (delivery as Partial<Delivery> | null)?.create !== 'function') {
    throw new TypeError(
      "delivery takes what acknowledged() from '@lifeline/core/delivery' returns: delivery: acknowledged({ id, ackOf }).",
    )
  }
  if (o.fatalCloseCodes !== undefined && !Array.isArray(o.fatalCloseCodes)) {
    throw new TypeError(`fatalCloseCodes must be an array; got ${show(o.fatalCloseCodes)}.`)
  }
  const lifecycle = group('lifecycle', o.lifecycle)
  return Object.freeze({
    WebSocket: checkFunction('WebSocket', o.WebSocket),
    createWebSocket: checkFunction('createWebSocket', o.createWebSocket),
    policy: reconnect === false || typeof reconnect === 'function' ? reconnect : undefined,
    backoff: Object.freeze({
      ...backoff,
      random: checkFunction('reconnect.random', r.random as () => number) ?? Math.random,
    }),
    connectTimeout,
    closeTimeout,
    fatalCloseCodes: Object.freeze([...(o.fatalCloseCodes ?? DEFAULTS.fatalCloseCodes)]),
    shouldReconnect: checkFunction('shouldReconnect', o.shouldReconnect),
    queue: Object.freeze(pick('queue.', group('queue', o.queue), DEFAULTS.queue)),
    highWaterMark,
    lowWaterMark,
    handshake: checkFunction('handshake', o.handshake),
    resume: checkFunction('resume', o.resume),
    delivery,
    heartbeat:
      h === false
        ? false
        : Object.freeze({
            ...pick('heartbeat.', beat, DEFAULTS.heartbeat),
            message: beat.message as HeartbeatConfig['message'],
            isPong:
              beat.message === undefined
                ? undefined
                : checkFunction('heartbeat.isPong', beat.isPong as HeartbeatConfig['isPong']),
            auto: h === undefined,
          }),
    network: lifecycle.network as Settings['network'],
    foreground: lifecycle.foreground as Settings['foreground'],
    sleepThreshold: pick('lifecycle.', lifecycle, DEFAULTS.lifecycle).sleepThreshold,
  })
}

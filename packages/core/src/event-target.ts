import { EventEmitter } from 'eventemitter3'
import type { ResilientWebSocketEventMap } from './events'
import { reportError } from './report-error'

type EventType = keyof ResilientWebSocketEventMap
type Listeners = { [K in EventType]: (event: ResilientWebSocketEventMap[K]) => void }
type Handler<K extends EventType> = ((event: ResilientWebSocketEventMap[K]) => void) | null

/** An object listener, as `EventTarget` accepts. */
export interface ListenerObject {
  handleEvent(event: any): void
}

/** A listener for `addEventListener`: a function or an object with `handleEvent`. */
export type EventListenerLike<K extends EventType> = ((event: ResilientWebSocketEventMap[K]) => void) | ListenerObject

/** An `AbortSignal`, described by what `addEventListener` uses of it (the platform's and Node's both fit). */
export interface AbortSignalLike {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** One registration, as eventemitter3 stores it. */
interface Registration {
  fn: (event: unknown) => void
  context: unknown
  once: boolean
}

const prefix = EventEmitter.prefixed

/**
 * Calls every listener of `type` with `event`, as eventemitter3's `emit` does, except that a listener that throws
 * does not stop the others: its exception is reported as the platform reports listener exceptions.
 */
export function fire(target: EventEmitter<any>, type: string, event: unknown): void {
  const entry = (target as unknown as { _events: Record<string, Registration | Registration[]> })._events[
    prefix ? prefix + type : type
  ]
  if (entry === undefined) return
  if (!Array.isArray(entry)) {
    call(target, type, entry, event)
    return
  }
  const length = entry.length
  for (let i = 0; i < length; i++) call(target, type, entry[i]!, event)
}

function call(target: EventEmitter<any>, type: string, listener: Registration, event: unknown): void {
  if (listener.once) target.removeListener(type, listener.fn, undefined, true)
  try {
    listener.fn.call(listener.context, event)
  } catch (error) {
    reportError(error)
  }
}

/**
 * The `EventTarget` side of a WebSocket on top of eventemitter3: `addEventListener`/`removeEventListener` (the same
 * listener is added once; `{ once, signal }`; `handleEvent` objects), `dispatchEvent`, and the `onopen`,
 * `onmessage`, `onclose`, `onerror` handler properties. `on()` listeners receive the same event objects.
 */
export class WebSocketEventTarget extends EventEmitter<Listeners> {
  /** Per handler property in use: the function it holds, and the one listener, registered once, that calls it. */
  #handlers: { [type: string]: { fn: (event: any) => void; call: (event: any) => void } } | undefined
  /** The listener function standing for each `handleEvent` object (made on first use, as the next two). */
  #objectListeners: WeakMap<ListenerObject, (event: any) => void> | undefined
  /** For listeners added with `{ signal }`, by type: what stops watching that signal. */
  #signalWatches: Map<EventType, Map<(event: any) => void, () => void>> | undefined

  /** Adds a listener, as `EventTarget` does: the same listener twice is added once; `{ once, signal }` work. */
  addEventListener<K extends EventType>(
    type: K,
    listener: EventListenerLike<K> | null,
    options?: boolean | { once?: boolean; signal?: AbortSignalLike },
  ): void {
    if (!listener) return
    const fn = this.#listenerFunction(listener)
    if ((this.listeners(type) as unknown[]).includes(fn)) return
    const opts = typeof options === 'object' ? options : {}
    if (opts.signal?.aborted) return
    if (opts.once) this.once(type, fn as never)
    else this.on(type, fn as never)
    const signal = opts.signal
    if (signal) {
      // Aborting removes this registration only: not the same listener added again later without the signal.
      const abort = () => this.removeEventListener(type, listener)
      signal.addEventListener('abort', abort, { once: true })
      const all = (this.#signalWatches ??= new Map())
      let watches = all.get(type)
      if (!watches) all.set(type, (watches = new Map()))
      watches.set(fn, () => signal.removeEventListener('abort', abort))
    }
  }

  /** Removes a listener added with `addEventListener` (or `on`). */
  removeEventListener<K extends EventType>(type: K, listener: EventListenerLike<K> | null): void {
    if (!listener) return
    const fn = this.#listenerFunction(listener)
    this.off(type, fn as never)
    const watches = this.#signalWatches?.get(type)
    const unwatch = watches?.get(fn)
    if (unwatch) {
      watches!.delete(fn)
      unwatch()
    }
  }

  /** Dispatches `event` to this target's listeners. */
  dispatchEvent(event: { type: string }): boolean {
    fire(this, event.type, event)
    return true
  }

  get onopen(): Handler<'open'> {
    return this.#handlers?.open?.fn ?? null
  }
  set onopen(handler: Handler<'open'>) {
    this.#setHandler('open', handler)
  }
  get onmessage(): Handler<'message'> {
    return this.#handlers?.message?.fn ?? null
  }
  set onmessage(handler: Handler<'message'>) {
    this.#setHandler('message', handler)
  }
  get onclose(): Handler<'close'> {
    return this.#handlers?.close?.fn ?? null
  }
  set onclose(handler: Handler<'close'>) {
    this.#setHandler('close', handler)
  }
  get onerror(): Handler<'error'> {
    return this.#handlers?.error?.fn ?? null
  }
  set onerror(handler: Handler<'error'>) {
    this.#setHandler('error', handler)
  }

  /**
   * As on the platform: a handler keeps its place among the listeners when replaced, leaves when set to null, and is
   * separate from the same function added with `addEventListener`.
   */
  #setHandler<K extends EventType>(type: K, handler: Handler<K>): void {
    const handlers = (this.#handlers ??= {})
    const slot = handlers[type]
    if (typeof handler === 'function') {
      if (slot) slot.fn = handler
      else {
        const entry = { fn: handler as (event: any) => void, call: (event: any) => entry.fn.call(this, event) }
        handlers[type] = entry
        this.on(type, entry.call as never)
      }
    } else if (slot) {
      this.off(type, slot.call as never)
      delete handlers[type]
    }
  }

  #listenerFunction(listener: ((event: any) => void) | ListenerObject): (event: any) => void {
    if (typeof listener === 'function') return listener
    const known = (this.#objectListeners ??= new WeakMap())
    let fn = known.get(listener)
    if (!fn) {
      fn = (event) => listener.handleEvent(event)
      known.set(listener, fn)
    }
    return fn
  }
}

// The ready-state constants of the WebSocket interface, read-only, on the classes and on their instances (as the
// platform's WebSocket has them on the class and its prototype).
for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
  const constant = { value, enumerable: true }
  Object.defineProperty(WebSocketEventTarget, name, constant)
  Object.defineProperty(WebSocketEventTarget.prototype, name, constant)
}

import EventEmitter from 'eventemitter3'
import type { ResilientWebSocketEventMap } from './events'

type EventType = keyof ResilientWebSocketEventMap
type Listeners = { [K in EventType]: (event: ResilientWebSocketEventMap[K]) => void }
type Handler<K extends EventType> = ((event: ResilientWebSocketEventMap[K]) => void) | null

/** An object listener, as `EventTarget` accepts. */
export interface ListenerObject {
  handleEvent(event: any): void
}

/** A listener for `addEventListener`: a function or an object with `handleEvent`. */
export type EventListenerLike<K extends EventType> = ((event: ResilientWebSocketEventMap[K]) => void) | ListenerObject

/**
 * The `EventTarget` side of a WebSocket on top of eventemitter3: `addEventListener`/`removeEventListener` (the same
 * listener is added once; `{ once, signal }`; `handleEvent` objects), `dispatchEvent`, and the `onopen`,
 * `onmessage`, `onclose`, `onerror` handler properties. `on()` listeners receive the same event objects.
 */
export class WebSocketEventTarget extends EventEmitter<Listeners> {
  private readonly handlers: { [K in EventType]?: Handler<K> } = {}
  /** One listener per handler property, registered while the property holds a function; it calls the current one. */
  private readonly handlerSlots: { [K in EventType]?: (event: ResilientWebSocketEventMap[K]) => void } = {}
  private readonly objectListeners = new WeakMap<ListenerObject, (event: any) => void>()
  /** For listeners added with `{ signal }`, by type: what stops watching that signal. */
  private readonly signalWatches = new Map<EventType, Map<(event: any) => void, () => void>>()

  /** Adds a listener, as `EventTarget` does: the same listener twice is added once; `{ once, signal }` work. */
  addEventListener<K extends EventType>(
    type: K,
    listener: EventListenerLike<K> | null,
    options?: boolean | { once?: boolean; signal?: AbortSignal },
  ): void {
    if (!listener) return
    const fn = this.listenerFunction(listener)
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
      let watches = this.signalWatches.get(type)
      if (!watches) this.signalWatches.set(type, (watches = new Map()))
      watches.set(fn, () => signal.removeEventListener('abort', abort))
    }
  }

  /** Removes a listener added with `addEventListener` (or `on`). */
  removeEventListener<K extends EventType>(type: K, listener: EventListenerLike<K> | null): void {
    if (!listener) return
    const fn = this.listenerFunction(listener)
    this.off(type, fn as never)
    const watches = this.signalWatches.get(type)
    const unwatch = watches?.get(fn)
    if (unwatch) {
      watches!.delete(fn)
      unwatch()
    }
  }

  /** Dispatches `event` to this target's listeners. */
  dispatchEvent(event: { type: string }): boolean {
    this.emit(event.type as EventType, event as never)
    return true
  }

  get onopen(): Handler<'open'> {
    return this.handlers.open ?? null
  }
  set onopen(handler: Handler<'open'>) {
    this.setHandler('open', handler)
  }
  get onmessage(): Handler<'message'> {
    return this.handlers.message ?? null
  }
  set onmessage(handler: Handler<'message'>) {
    this.setHandler('message', handler)
  }
  get onclose(): Handler<'close'> {
    return this.handlers.close ?? null
  }
  set onclose(handler: Handler<'close'>) {
    this.setHandler('close', handler)
  }
  get onerror(): Handler<'error'> {
    return this.handlers.error ?? null
  }
  set onerror(handler: Handler<'error'>) {
    this.setHandler('error', handler)
  }

  /**
   * As on the platform: a handler keeps its place among the listeners when replaced, leaves when set to null, and is
   * separate from the same function added with `addEventListener`.
   */
  private setHandler<K extends EventType>(type: K, handler: Handler<K>): void {
    const value = typeof handler === 'function' ? handler : null
    ;(this.handlers as Record<K, Handler<K>>)[type] = value
    const slot = this.handlerSlots[type]
    if (value && !slot) {
      const call = (event: ResilientWebSocketEventMap[K]) => (this.handlers[type] as Handler<K>)?.call(this, event)
      ;(this.handlerSlots as Record<K, unknown>)[type] = call
      this.on(type, call as never)
    } else if (!value && slot) {
      this.off(type, slot as never)
      delete this.handlerSlots[type]
    }
  }

  private listenerFunction(listener: ((event: any) => void) | ListenerObject): (event: any) => void {
    if (typeof listener === 'function') return listener
    let fn = this.objectListeners.get(listener)
    if (!fn) {
      fn = (event) => listener.handleEvent(event)
      this.objectListeners.set(listener, fn)
    }
    return fn
  }
}

import { Injectable, InjectionToken, inject } from '@angular/core'
import type { WebSocketConstructor } from '@lifeline/core'
import { webSocket } from '@lifeline/rx'
import { BehaviorSubject, type Observable, scan } from 'rxjs'
import { SERVER_URL } from './server-url'

/** A ticker message: `{ seq, price, at }`, `seq` counting from 1. */
export interface Tick {
  seq: number
  price: number
  at: number
}

/** The WebSocket implementation the service uses: the browser's unless provided (tests provide a scripted one). */
export const WEBSOCKET_IMPL = new InjectionToken<WebSocketConstructor | undefined>('WEBSOCKET_IMPL', {
  providedIn: 'root',
  factory: () => undefined,
})

/** How many ticks `recent$` keeps. */
export const KEEP = 20

/** The topic the feed subscribes to. The example server sends its ticker to every connection and ignores these. */
export const SUBSCRIBE = { subscribe: 'prices' }
export const UNSUBSCRIBE = { unsubscribe: 'prices' }

/** The application ping and the example server's answer (browsers have no protocol pings). */
const PING = '{"type":"ping"}'
const isPong = (data: unknown) => typeof data === 'string' && data.startsWith('{"type":"pong"')

/** The connection as the service has seen it, from `openObserver` and `closeObserver`. */
export interface Connection {
  /** `'connecting'` until the first open; `'reconnecting'` after a close lifeline recovers from. */
  state: 'connecting' | 'open' | 'reconnecting' | 'closed'
  /** Connections opened so far: more than 1 means it reconnected. */
  opens: number
  /** How the last connection or attempt ended. */
  lastClose?: { code: number; reason: string }
}

const isTick = (value: any): value is Tick => typeof value?.seq === 'number' && typeof value?.price === 'number'

/**
 * The example server's price feed over one reconnecting socket (`webSocket()` from `@lifeline/rx`). The socket opens
 * with the first subscriber of `ticks$` and closes a second after the last leaves. Every reconnection resumes after
 * the last `seq` seen (`?since=N`), so the feed has no gaps, and the `prices` topic is subscribed again.
 */
@Injectable({ providedIn: 'root' })
export class TickerService {
  private readonly server = inject(SERVER_URL)
  private lastSeq: number | undefined
  private readonly connection = new BehaviorSubject<Connection>({ state: 'connecting', opens: 0 })

  private readonly socket = webSocket<unknown>({
    url: `${this.server}/ticker`,
    WebSocketCtor: inject(WEBSOCKET_IMPL),
    // Short, so that what lifeline does shows within seconds of breaking the server.
    reconnect: { minDelay: 300, maxDelay: 2000, stableAfter: 3000 },
    connectTimeout: 3000,
    heartbeat: { message: PING, isPong, interval: 1000, timeout: 2000 },
    resume: (url) => {
      if (this.lastSeq !== undefined) url.searchParams.set('since', String(this.lastSeq))
    },
    // Unlike rxjs's, lifeline's observers hear every open and every close, reconnections included.
    openObserver: {
      next: () =>
        this.connection.next({ ...this.connection.value, state: 'open', opens: this.connection.value.opens + 1 }),
    },
    closeObserver: {
      next: ({ code, reason, willReconnect }) =>
        this.connection.next({
          ...this.connection.value,
          state: willReconnect ? 'reconnecting' : 'closed',
          lastClose: { code, reason },
        }),
    },
  })

  /** Every tick, in order. */
  readonly ticks$: Observable<Tick> = this.socket.multiplex(
    () => SUBSCRIBE,
    () => UNSUBSCRIBE,
    (value): boolean => {
      if (!isTick(value)) return false
      this.lastSeq = Math.max(this.lastSeq ?? 0, value.seq)
      return true
    },
  ) as Observable<Tick>

  /** The last `KEEP` ticks, newest first. */
  readonly recent$: Observable<Tick[]> = this.ticks$.pipe(
    scan((recent: Tick[], tick: Tick) => [tick, ...recent].slice(0, KEEP), []),
  )

  /** The connection: its state, how many times it opened, how the last one ended. */
  readonly connection$: Observable<Connection> = this.connection.asObservable()

  /** Closes the socket for good. */
  close(): void {
    this.socket.complete()
  }
}

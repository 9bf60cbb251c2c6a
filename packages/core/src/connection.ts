import { CLOSE_TIMEOUT, CONNECT_TIMEOUT, HANDSHAKE_FAILED, HEARTBEAT_TIMEOUT } from './close-codes'
import { type SendData, statSize, toSendable } from './data'
import { domException } from './errors'
import type { CloseInit } from './events'
import { Heartbeat } from './heartbeat'
import type { Provider, WebSocketConstructor, WebSocketLike } from './options'
import type { Settings } from './settings'
import type { Counters } from './stats'
import { after, type Timer } from './timers'
import { normalizeProtocols, normalizeUrl } from './url'

/** Why a connection or an attempt ended, when lifeline knows an error: the error, and the hook that threw it. */
export interface Failure {
  error: unknown
  hook?: string | undefined
}

/** What a connection tells the socket that made it. Each call names the connection, for the "still current" check. */
export interface ConnectionOwner {
  /** The URL of this attempt is known. */
  target(connection: Connection): void
  /** The socket opened and the `handshake` hook finished. */
  ready(connection: Connection): void
  /** A message arrived (not a heartbeat answer). */
  message(data: unknown): void
  /** The attempt failed or the connection ended. The connection has already let its socket go. */
  ended(connection: Connection, init: CloseInit, failure?: Failure, giveUp?: boolean): void
  /** An error that does not end the connection by itself, or a hook that threw. */
  report(error: unknown, hook?: string): void
  /** The connection stayed open `stableAfter` ms. */
  stable(connection: Connection): void
  /** A heartbeat round trip, in ms. */
  latency(ms: number): void
}

const ABNORMAL = 1006

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/** Closes a socket lifeline no longer listens to, ignoring what it throws. */
function quietClose(ws: WebSocketLike, code?: number, reason?: string): void {
  try {
    if (ws.readyState < 2) ws.close(code, reason)
  } catch {
    // Already closing, or the implementation refuses: nothing listens to it any more.
  }
}

/** Drops a connection at once, without the close handshake a dead peer never completes. */
function kill(ws: WebSocketLike): void {
  try {
    if (typeof ws.terminate === 'function') ws.terminate()
    else quietClose(ws)
  } catch {
    // Nothing listens to it any more.
  }
}

/**
 * One connection attempt and, if it opens, the connection: it resolves the URL and protocols, creates the socket,
 * listens to it, runs the `handshake` hook, the connect, stable and close timers and the heartbeat, and lets the
 * socket go in the end. It reports to its owner, which holds the state machine; once it has ended (or been left),
 * nothing it hears reaches the owner any more.
 */
export class Connection {
  /** The socket, once created; `undefined` once it is let go. */
  ws: WebSocketLike | undefined
  /** The URL of this attempt (`''` until the providers answered). */
  url = ''
  protocol = ''
  extensions = ''
  /** The binary type to set on the socket. */
  binaryType: string
  /** The handshake hook finished: the connection is in use. */
  ready = false
  /** The connection stayed open `stableAfter` ms. */
  stable = false
  /** The socket's `bufferedAmount` when the connection ended. */
  unsent = 0
  /** `unsent` was read while the socket was alive (lifeline ended it): 0 then means nothing was left. */
  unsentExact = false

  readonly #s: Settings
  readonly #owner: ConnectionOwner
  readonly #counters: Counters
  /** The retry that led here, and whether an earlier connection had been open: for the hooks. */
  readonly #attempt: number
  readonly #reconnected: boolean
  /** The connect timer, then the stable timer, then the close timer. */
  #timer: Timer
  #heartbeat: Heartbeat | undefined
  #isPong: ((data: any) => boolean) | undefined
  /** Ended or left: the owner hears nothing more. */
  #left = false
  /** The socket opened (the `handshake` hook may still run). */
  #opened = false

  constructor(
    settings: Settings,
    owner: ConnectionOwner,
    counters: Counters,
    attempt: number,
    reconnected: boolean,
    binaryType: string,
  ) {
    this.#s = settings
    this.#owner = owner
    this.#counters = counters
    this.#attempt = attempt
    this.#reconnected = reconnected
    this.binaryType = binaryType
  }

  /** Starts the attempt: the connect timer, the URL and protocol providers, `resume`, then the socket. */
  start(urlSource: Provider<string | URL>, protocolSource: Provider<string | string[] | undefined>): void {
    const timeout = this.#s.connectTimeout
    this.#timer = after(
      () =>
        this.#end(
          ABNORMAL,
          CONNECT_TIMEOUT,
          false,
          { error: domException(`No connection within connectTimeout (${timeout} ms).`, 'TimeoutError') },
          true,
        ),
      timeout,
    )
    let hook = 'url'
    const failed = (error: unknown) => this.#end(ABNORMAL, '', false, { error, hook })
    /** Runs step `name`; what it answers (at once or later) goes to `next`. */
    const step = <T>(name: string, run: () => T | Promise<T>, next: (value: T) => unknown): unknown => {
      hook = name
      const value = run()
      return isPromise<T>(value)
        ? value.then((resolved) => {
            hook = name
            return this.#left ? undefined : next(resolved)
          })
        : next(value)
    }
    const provide = <T>(source: Provider<T>) => (typeof source === 'function' ? (source as () => T)() : source)
    try {
      const result = step(
        'url',
        () => provide(urlSource),
        (rawUrl) => {
          const href = normalizeUrl(rawUrl)
          return step(
            'protocols',
            () => provide(protocolSource),
            (rawProtocols) => {
              const protocols = normalizeProtocols(rawProtocols)
              const resume = this.#s.resume
              if (!resume) return this.#open(href, protocols)
              const url = new URL(href)
              const ctx = { attempt: this.#attempt, reconnected: this.#reconnected }
              return step(
                'resume',
                () => resume(url, ctx),
                (changed) => this.#open(normalizeUrl(changed ?? url), protocols),
              )
            },
          )
        },
      )
      if (isPromise(result)) result.then(undefined, failed)
    } catch (error) {
      failed(error)
    }
  }

  /** Checks the live connection now (the app came back, the network changed): a heartbeat ping. */
  check(): void {
    this.#heartbeat?.check()
  }

  /**
   * Closes the connection for good: waits for the server's close frame at most `closeTimeout` ms (not at all when
   * the heartbeat already finds the peer silent), then drops it and ends with 1006.
   */
  close(code?: number, reason?: string): void {
    const silent = (this.#heartbeat as { silent?: boolean } | undefined)?.silent === true
    this.#stopTimers()
    quietClose(this.ws!, code, reason)
    const expire = () => this.#end(ABNORMAL, CLOSE_TIMEOUT, false, undefined, true)
    if (silent) expire()
    else this.#timer = after(expire, this.#s.closeTimeout)
  }

  /**
   * Stops listening and lets the socket go. With `code`, an open socket whose buffer is empty (or that cannot be
   * dropped at once) closes cleanly and is dropped if its close frame takes longer than `closeTimeout`; any other
   * socket is closed or dropped at once. Returns whether the close is clean.
   */
  leave(code?: number, reason?: string): boolean {
    const ws = this.ws
    if (ws) {
      this.unsent = ws.bufferedAmount || 0
      this.unsentExact = true
    }
    this.#detach()
    if (!ws) return false
    if (code !== undefined && ws.readyState === 1) {
      // A clean close would send the unsent tail, which goes back to the queue: drop the socket instead.
      if (this.unsent > 0 && typeof ws.terminate === 'function') {
        kill(ws)
        return false
      }
      this.ws = ws
      quietClose(ws, code, reason)
      this.#timer = after(() => this.dispose(), this.#s.closeTimeout)
      ws.onclose = () => this.dispose()
      return true
    }
    quietClose(ws)
    return false
  }

  /** Ends a connection left with `leave()`: its close timer stops, and its socket is dropped if still there. */
  dispose(): void {
    clearTimeout(this.#timer)
    const ws = this.ws
    this.ws = undefined
    if (ws) {
      ws.onclose = null
      if (ws.readyState !== 3) kill(ws)
    }
  }

  /** The connection failed or ended: let the socket go (killing it when `kill`), then tell the owner. */
  #end(code: number, reason: string, wasClean: boolean, failure?: Failure, drop = false, giveUp = false): void {
    if (this.#left) return
    const ws = this.ws
    this.unsent = ws?.bufferedAmount || 0
    // Read before lifeline drops a live socket, the figure is exact; after the socket closed, `ws` reports 0.
    this.unsentExact = drop
    this.#detach()
    if (ws) {
      if (drop) kill(ws)
      else quietClose(ws)
    }
    this.#owner.ended(this, { code, reason, wasClean }, failure, giveUp)
  }

  /** Stops every timer and the heartbeat, and stops listening to the socket. */
  #detach(): void {
    this.#left = true
    this.#stopTimers()
    const ws = this.ws
    this.ws = undefined
    if (ws) {
      ws.onopen = null
      ws.onmessage = null
      ws.onclose = null
      // `ws` throws an unhandled 'error' when no error listener is left: keep a quiet one.
      ws.onerror = () => {}
      ws.off?.('pong', this.#onPongFrame)
      ws.off?.('ping', this.#onPingFrame)
    }
  }

  #stopTimers(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#heartbeat?.stop()
    this.#heartbeat = undefined
  }

  #open(url: string, protocols: string[] | undefined): void {
    this.url = url
    this.#owner.target(this)
    if (this.#left) return
    const { createWebSocket, WebSocket } = this.#s
    const Ctor = WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    if (!createWebSocket && typeof Ctor !== 'function') {
      const error = new TypeError(
        "No WebSocket implementation found: pass one with the `WebSocket` option (in Node: import { WebSocket } from 'ws').",
      )
      this.#end(ABNORMAL, '', false, { error }, false, true)
      return
    }
    let ws: WebSocketLike
    try {
      ws = createWebSocket
        ? createWebSocket(url, protocols)
        : protocols === undefined
          ? new Ctor!(url)
          : new Ctor!(url, protocols)
    } catch (error) {
      this.#end(ABNORMAL, '', false, { error, hook: createWebSocket ? 'createWebSocket' : undefined })
      return
    }
    this.ws = ws
    ws.binaryType = this.binaryType
    ws.onopen = () => {
      if (!this.#left) this.#onOpen(ws)
    }
    ws.onmessage = this.#onMessage
    ws.onerror = (event: any) => {
      const error = event?.error ?? event
      // Before opening, an error ends the attempt: Node's own WebSocket fires no `close` after a refused connection.
      if (!this.#opened) this.#end(ABNORMAL, '', false, { error })
      else if (!this.#left) this.#owner.report(error)
    }
    ws.onclose = (event: any) =>
      this.#end(
        typeof event?.code === 'number' ? event.code : ABNORMAL,
        typeof event?.reason === 'string' ? event.reason : '',
        Boolean(event?.wasClean),
      )
  }

  #onOpen(ws: WebSocketLike): void {
    this.#opened = true
    this.protocol = ws.protocol ?? ''
    this.extensions = ws.extensions ?? ''
    const handshake = this.#s.handshake
    if (!handshake) {
      this.#ready(ws)
      return
    }
    const fail = (error: unknown) => this.#end(ABNORMAL, HANDSHAKE_FAILED, false, { error, hook: 'handshake' }, true)
    try {
      const send = (data: SendData) => {
        if (!this.#left) this.#send(ws, toSendable(data))
      }
      const result = handshake(send, {
        attempt: this.#attempt,
        reconnected: this.#reconnected,
        url: this.url,
        protocol: this.protocol,
      })
      if (isPromise(result)) {
        result.then(() => {
          if (!this.#left) this.#ready(ws)
        }, fail)
        return
      }
    } catch (error) {
      fail(error)
      return
    }
    this.#ready(ws)
  }

  #ready(ws: WebSocketLike): void {
    this.ready = true
    clearTimeout(this.#timer)
    this.#timer = after(() => {
      this.#timer = undefined
      this.stable = true
      this.#owner.stable(this)
    }, this.#s.backoff.stableAfter)
    this.#startHeartbeat(ws)
    this.#owner.ready(this)
  }

  #send(ws: WebSocketLike, data: SendData): void {
    ws.send(data)
    this.#counters.messagesOut++
    this.#counters.bytesOut += statSize(data)
  }

  readonly #onMessage = (event: { data: unknown }): void => {
    const data = event.data
    const counters = this.#counters
    counters.messagesIn++
    counters.bytesIn += statSize(data)
    // A pong is consumed, also one that arrives after the heartbeat stopped (during close()).
    if (this.#isPong !== undefined && this.#pong(data)) return
    this.#heartbeat?.hear()
    this.#owner.message(data)
  }

  #pong(data: unknown): boolean {
    try {
      if (!this.#isPong!(data)) return false
    } catch (error) {
      this.#owner.report(error, 'heartbeat.isPong')
      return false
    }
    this.#heartbeat?.pong()
    return true
  }

  #startHeartbeat(ws: WebSocketLike): void {
    const config = this.#s.heartbeat
    const canPing = typeof ws.ping === 'function'
    if (typeof ws.on === 'function') {
      ws.on('pong', this.#onPongFrame)
      ws.on('ping', this.#onPingFrame)
    }
    if (config === false || (config.auto && !canPing)) return
    const message = config.message
    this.#isPong = config.isPong
    this.#heartbeat = new Heartbeat(
      { interval: config.interval, timeout: config.timeout, sleepThreshold: this.#s.sleepThreshold },
      {
        ping: () => {
          try {
            if (message !== undefined) {
              this.#send(ws, toSendable(typeof message === 'function' ? message() : message))
            } else if (canPing) ws.ping!()
          } catch (error) {
            // A socket that cannot send is found dead by the timeout.
            if (typeof message === 'function') this.#owner.report(error, 'heartbeat.message')
          }
        },
        dead: () => this.#end(ABNORMAL, HEARTBEAT_TIMEOUT, false, undefined, true),
        latency: (ms) => this.#owner.latency(ms),
      },
    )
    this.#heartbeat.start()
  }

  readonly #onPongFrame = (): void => {
    if (this.#isPong === undefined) this.#heartbeat?.pong()
    else this.#heartbeat?.hear()
  }

  readonly #onPingFrame = (): void => {
    this.#heartbeat?.hear()
  }
}

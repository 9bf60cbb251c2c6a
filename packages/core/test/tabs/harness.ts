import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import type { ResilientWebSocket, ResilientWebSocketEventMap } from '../../src'
import { SharedWebSocket, type SharedWebSocketOptions } from '../../src/tabs'

export const TABS_URL = 'ws://example.test/feed'
/** The lock and channel name the sockets on TABS_URL meet under. */
export const TABS_NAME = `lifeline:${TABS_URL}`
export const RETRY_DELAY = 100

/** Options every tab starts from: the scripted socket, retries after exactly RETRY_DELAY, no signals, no heartbeat. */
export const TAB_OPTIONS: SharedWebSocketOptions = {
  WebSocket: FakeWebSocket,
  reconnect: { minDelay: RETRY_DELAY, maxDelay: RETRY_DELAY, jitter: 'none' },
  lifecycle: { network: false, foreground: false },
  heartbeat: false,
}

export interface Tabs {
  /** The fake browser: channels and locks. */
  readonly browser: FakeTabs
  /** Opens tab `name` with a SharedWebSocket on TABS_URL (or `url`). */
  open(name: string, options?: SharedWebSocketOptions, url?: string | (() => string)): SharedWebSocket
  /** Tab `name` vanishes (closed, crashed, discarded): its locks and channels go, and its code stops. */
  crash(name: string): void
}

/**
 * Fake timers, a fresh FakeWebSocket registry and a fake browser (BroadcastChannel and navigator.locks) for every test
 * of the calling file. After each test every tab is closed, the server side finishes their closing handshakes, and
 * no timer, channel or lock may be left.
 */
export function useTabs(): Tabs {
  let browser: FakeTabs
  const open = new Map<string, SharedWebSocket>()
  beforeEach(() => {
    vi.useFakeTimers()
    FakeWebSocket.reset()
    browser = new FakeTabs().install()
  })
  afterEach(async () => {
    for (const socket of open.values()) {
      socket.close()
      socket.removeAllListeners()
    }
    open.clear()
    for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
    await vi.advanceTimersByTimeAsync(0)
    const timers = vi.getTimerCount()
    vi.clearAllTimers()
    vi.useRealTimers()
    browser.uninstall()
    FakeWebSocket.reset()
    expect(timers, 'timers left after closing every tab').toBe(0)
    expect(browser.openChannels, 'channels left open').toBe(0)
    expect(browser.locks.holder(TABS_NAME), 'lock still held').toBeUndefined()
  })
  return {
    get browser() {
      return browser
    },
    open(name, options = {}, url = TABS_URL) {
      const socket = browser.in(name, () => new SharedWebSocket(url, { ...TAB_OPTIONS, ...options }))
      open.set(name, socket)
      return socket
    },
    crash(name) {
      browser.crash(name)
      // The tab's code is gone with it: stop what it still runs here (its socket closes as the browser closes it).
      // What it would still tell the others meets its closed channel: a dead tab reports nothing.
      const scope = globalThis as { reportError?: unknown }
      const report = Object.getOwnPropertyDescriptor(scope, 'reportError')
      scope.reportError = () => {}
      try {
        open.get(name)?.close()
      } finally {
        if (report) Object.defineProperty(scope, 'reportError', report)
        else delete scope.reportError
      }
      open.delete(name)
    },
  }
}

/** Lets channel messages, lock grants and timers due now (or within `ms`) run. */
export async function flush(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

/** The data of every `message` event `socket` receives, in order. */
export function messages(socket: SharedWebSocket): unknown[] {
  const list: unknown[] = []
  socket.on('message', (event) => list.push(event.data))
  return list
}

/** The data and reason of every `drop` event of `socket`. */
export function drops(socket: SharedWebSocket): { data: unknown; reason: string }[] {
  const list: { data: unknown; reason: string }[] = []
  socket.on('drop', (event) => list.push({ data: event.data, reason: event.reason }))
  return list
}

/** `recordEvents` from @lifeline/testing/wait, for a SharedWebSocket (it has the same events). */
export function record(socket: SharedWebSocket, types: (keyof ResilientWebSocketEventMap)[]): string[] {
  return recordEvents(socket as unknown as ResilientWebSocket, types)
}

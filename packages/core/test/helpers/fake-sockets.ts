import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, beforeEach, expect, vi } from 'vitest'
import { type Provider, ResilientWebSocket, type ResilientWebSocketOptions } from '../../src'

export const TEST_URL = 'ws://example.test/feed'

/** Options every unit test starts from: the scripted socket, no lifecycle signals. */
export const BASE_OPTIONS: ResilientWebSocketOptions = {
  WebSocket: FakeWebSocket,
  lifecycle: { network: false, foreground: false },
}

type Make = (
  options?: ResilientWebSocketOptions,
  url?: Provider<string | URL>,
  protocols?: Provider<string | string[] | undefined>,
) => ResilientWebSocket

/** The sockets the current test made; closed after it. */
const sockets: ResilientWebSocket[] = []
let active = false

/**
 * Hands a socket the test made itself to `useFakeSockets()`, which closes it after the test. Throws when the test
 * file does not call `useFakeSockets()`, so no socket goes unclosed.
 */
export function track<T extends ResilientWebSocket>(socket: T): T {
  if (!active) throw new Error('call useFakeSockets() in this test file before making sockets')
  sockets.push(socket)
  return socket
}

/**
 * Installs fake timers and a fresh FakeWebSocket registry for every test of the calling file, and returns a factory
 * whose sockets are closed after each test, with every socket handed to `track()`. After closing them (and the fake
 * server answering their close handshakes) no timer may be left.
 */
export function useFakeSockets(): Make {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeWebSocket.reset()
    active = true
  })
  afterEach(() => {
    active = false
    for (const socket of sockets.splice(0)) {
      socket.close()
      socket.removeAllListeners()
    }
    // The "server" answers every close handshake still running (otherwise `closeTimeout` would end it later).
    for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
    const left = vi.getTimerCount()
    vi.clearAllTimers()
    vi.useRealTimers()
    FakeWebSocket.reset()
    expect(left, 'timers left after closing every socket').toBe(0)
  })
  return (options = {}, url = TEST_URL, protocols = undefined) =>
    track(new ResilientWebSocket(url, protocols, { ...BASE_OPTIONS, ...options }))
}

/** Lets the pending first attempt (a `setTimeout(0)` after the constructor) and any settled promises run. */
export async function flush(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

/** The error a function throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to throw')
}

/** Asserts `error` is a DOMException named `name`. */
export function expectDomException(error: unknown, name: string): void {
  expect(error).toBeInstanceOf(DOMException)
  expect((error as DOMException).name).toBe(name)
}

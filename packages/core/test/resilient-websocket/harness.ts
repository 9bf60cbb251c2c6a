import { afterEach, beforeEach, expect, vi } from 'vitest'
import { type Provider, ResilientWebSocket, type ResilientWebSocketOptions } from '../../src'
import { FakeWebSocket } from '../helpers/fake-websocket'

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

/**
 * Installs fake timers and a fresh FakeWebSocket registry for every test of the calling file, and returns a factory
 * whose sockets are closed after each test. After closing them no timer may be left.
 */
export function useFakeSockets(): Make {
  const sockets: ResilientWebSocket[] = []
  beforeEach(() => {
    vi.useFakeTimers()
    FakeWebSocket.reset()
  })
  afterEach(() => {
    for (const socket of sockets.splice(0)) {
      socket.close()
      socket.removeAllListeners()
    }
    const left = vi.getTimerCount()
    vi.clearAllTimers()
    vi.useRealTimers()
    FakeWebSocket.reset()
    expect(left, 'timers left after closing every socket').toBe(0)
  })
  return (options = {}, url = TEST_URL, protocols = undefined) => {
    const socket = new ResilientWebSocket(url, protocols, { ...BASE_OPTIONS, ...options })
    sockets.push(socket)
    return socket
  }
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

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, beforeEach, expect, vi } from 'vitest'

/** Options every unit test starts from: the scripted socket, no lifecycle signals, no heartbeat, fixed 100 ms retries. */
export const FAKE = {
  url: 'ws://example.test/feed',
  WebSocketCtor: FakeWebSocket,
  lifecycle: { network: false as const, foreground: false as const },
  heartbeat: false,
  reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' as const },
}

/** What `report()` handed to the platform's `reportError` during the current test. */
export const reported: unknown[] = []

/**
 * Fake timers, a fresh FakeWebSocket registry and a captured `reportError` for every test of the calling file. After
 * each test, `cleanup()` (given by the file: closing what it made) must leave no timer behind.
 */
export function useFakes(cleanup: () => void = () => {}): void {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeWebSocket.reset()
    reported.length = 0
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error))
  })
  afterEach(() => {
    cleanup()
    // The "server" answers every close handshake still running.
    for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
    const left = vi.getTimerCount()
    vi.clearAllTimers()
    vi.useRealTimers()
    vi.unstubAllGlobals()
    expect(left, 'timers left after closing everything').toBe(0)
  })
}

/** Runs due timers and settled promises (the first attempt starts in a `setTimeout(0)`). */
export async function flush(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

/** The newest fake socket, opened by the "server", with every promise after it settled. */
export async function openLast(): Promise<FakeWebSocket> {
  await flush()
  const ws = FakeWebSocket.last()
  ws.open()
  await flush()
  return ws
}

/** Records what an observable emits, as `next:<json>`, `error:<code or message>`, `complete`. */
export function record(log: string[]) {
  return {
    next: (value: unknown) => log.push(`next:${JSON.stringify(value)}`),
    error: (error: any) => log.push(`error:${error?.code ?? error?.message ?? error}`),
    complete: () => log.push('complete'),
  }
}

export { FakeWebSocket }

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { vi } from 'vitest'
import {
  type DropReason,
  ResilientWebSocket,
  type ResilientWebSocketOptions,
  type SendData,
  type WebSocketConstructor,
} from '../../src'
import { track } from './fake-sockets'

/** The URL every fake client connects to. */
export const FAKE_URL = 'ws://fake.test/feed'

/** Retries after exactly this many ms (no jitter), so tests can step to the next attempt. */
export const RETRY_DELAY = 100

/**
 * A ResilientWebSocket on FakeWebSocket with deterministic retries and no environment signals, closed after the test
 * (the test file calls `useFakeSockets()`). Nothing happens until the test advances the fake timers.
 */
export function fakeClient(options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  return track(
    new ResilientWebSocket(FAKE_URL, {
      WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
      reconnect: { minDelay: RETRY_DELAY, maxDelay: RETRY_DELAY, jitter: 'none' },
      lifecycle: { network: false, foreground: false },
      ...options,
    }),
  )
}

/** Lets the pending attempt start, then opens the FakeWebSocket it created. */
export async function openNext(): Promise<FakeWebSocket> {
  const before = FakeWebSocket.instances.length
  await vi.advanceTimersByTimeAsync(0)
  if (FakeWebSocket.instances.length === before) await vi.advanceTimersByTimeAsync(RETRY_DELAY)
  if (FakeWebSocket.instances.length === before) throw new Error('no new connection attempt')
  const ws = FakeWebSocket.last()
  ws.open()
  return ws
}

/** The server drops the live connection (code 1006), then the retry opens a new one. */
export async function dropAndReopen(ws: FakeWebSocket): Promise<FakeWebSocket> {
  ws.serverClose(1006)
  return openNext()
}

export interface RecordedDrop {
  data: SendData
  reason: DropReason
}

/** Records every `drop` event of `socket`, in order. */
export function recordDrops(socket: ResilientWebSocket): RecordedDrop[] {
  const drops: RecordedDrop[] = []
  socket.on('drop', (event) => drops.push({ data: event.data, reason: event.reason }))
  return drops
}

/** Counts `drain` events of `socket`. */
export function countDrains(socket: ResilientWebSocket): { count: number } {
  const counter = { count: 0 }
  socket.on('drain', () => counter.count++)
  return counter
}

/** A string of exactly `bytes` ASCII characters (so UTF-8 bytes and FakeWebSocket's buffered count agree). */
export function ascii(label: string, bytes: number): string {
  if (label.length > bytes) throw new Error(`label ${label} longer than ${bytes}`)
  return label + '.'.repeat(bytes - label.length)
}

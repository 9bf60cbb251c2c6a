import type { ResilientWebSocket } from '@lifeline/core'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import { acquire, idOf, liveSockets, release } from '../src/leases'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.runAllTimers()
  vi.useRealTimers()
})

/** The part of a socket the registry touches. */
function fakeSocket() {
  return { state: 'connecting', close: vi.fn(), reconnect: vi.fn() } as unknown as ResilientWebSocket & {
    close: ReturnType<typeof vi.fn>
    reconnect: ReturnType<typeof vi.fn>
  }
}

test('one socket per key, however many users; closed `delay` ms after the last user left', () => {
  const socket = fakeSocket()
  const create = vi.fn(() => socket)
  expect(acquire('k1', create)).toBe(socket)
  expect(acquire('k1', create)).toBe(socket)
  expect(create).toHaveBeenCalledTimes(1)
  release('k1', 1000)
  vi.advanceTimersByTime(5000)
  expect(socket.close).not.toHaveBeenCalled()
  release('k1', 1000)
  vi.advanceTimersByTime(999)
  expect(socket.close).not.toHaveBeenCalled()
  vi.advanceTimersByTime(1)
  expect(socket.close).toHaveBeenCalledTimes(1)
  expect(liveSockets()).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
})

test('taken again before the delay ends: the same socket, not closed', () => {
  const socket = fakeSocket()
  acquire('k2', () => socket)
  release('k2', 0)
  const again = acquire('k2', () => fakeSocket())
  vi.runAllTimers()
  expect(again).toBe(socket)
  expect(socket.close).not.toHaveBeenCalled()
  release('k2', 0)
  vi.runAllTimers()
  expect(socket.close).toHaveBeenCalledTimes(1)
})

test('a socket that gave up starts again when a new user takes it', () => {
  const socket = fakeSocket()
  acquire('k3', () => socket)
  ;(socket as { state: string }).state = 'closed'
  acquire('k3', () => fakeSocket())
  expect(socket.reconnect).toHaveBeenCalledTimes(1)
  release('k3', 0)
  release('k3', 0)
})

test('a socket closed for good (its reconnect() throws) is replaced for the new user', () => {
  const closed = fakeSocket()
  acquire('k5', () => closed)
  ;(closed as { state: string }).state = 'closed'
  closed.reconnect.mockImplementation(() => {
    throw new DOMException('closed with close()', 'InvalidStateError')
  })
  const fresh = fakeSocket()
  expect(acquire('k5', () => fresh)).toBe(fresh)
  release('k5', 0)
  release('k5', 0)
  vi.runAllTimers()
  expect(fresh.close).toHaveBeenCalledTimes(1)
})

test('after closing, the key makes a new socket', () => {
  const first = fakeSocket()
  acquire('k4', () => first)
  release('k4', 0)
  vi.runAllTimers()
  const second = fakeSocket()
  expect(acquire('k4', () => second)).toBe(second)
  release('k4', 0)
})

test('idOf: strings as they are, functions by identity', () => {
  const a = () => 'ws://a'
  const b = () => 'ws://a'
  expect(idOf('ws://x')).toBe('ws://x')
  expect(idOf(a)).toBe(idOf(a))
  expect(idOf(a)).not.toBe(idOf(b))
})

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import useWebSocket, { ReadyState, type UseWebSocketOptions } from '../src'
import { liveSockets } from '../src/leases'
import { probe } from './helpers/probe'

// Fake timers and a scripted socket: exact delays, and proof that no timer outlives the hook.
const URL = 'ws://timers.test/feed'
const BASE: UseWebSocketOptions = {
  WebSocket: FakeWebSocket as never,
  heartbeat: false,
  lifecycle: { network: false, foreground: false },
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeWebSocket.reset()
})

afterEach(() => {
  cleanup()
  act(() => vi.runOnlyPendingTimers())
  for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
  vi.useRealTimers()
  FakeWebSocket.reset()
})

/** Runs the first attempt (core starts it after the current task) and opens the scripted socket. */
function openFirst(): FakeWebSocket {
  act(() => vi.advanceTimersByTime(0))
  const ws = FakeWebSocket.last()
  act(() => ws.open())
  return ws
}

test('share: closed exactly closeDelay ms after the last user unmounted, then no timer is left', () => {
  const options = { ...BASE, share: true, closeDelay: 1000 }
  const a = probe(() => useWebSocket(URL, options))
  const b = probe(() => useWebSocket(URL, options))
  const view = render(
    <>
      <a.Probe />
      <b.Probe />
    </>,
  )
  const ws = openFirst()
  expect(FakeWebSocket.instances).toHaveLength(1)
  expect(a.last.readyState).toBe(ReadyState.OPEN)
  expect(b.last.readyState).toBe(ReadyState.OPEN)

  view.rerender(<b.Probe />)
  act(() => vi.advanceTimersByTime(5000))
  expect(ws.closeCalls).toHaveLength(0)

  view.unmount()
  act(() => vi.advanceTimersByTime(999))
  expect(ws.closeCalls).toHaveLength(0)
  act(() => vi.advanceTimersByTime(1))
  expect(ws.closeCalls).toHaveLength(1)
  act(() => ws.finishClose())
  expect(liveSockets()).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
})

test('a private socket closes in the task after unmount; its pending render batch and every timer are gone', () => {
  const p = probe(() => useWebSocket(URL, BASE))
  const view = render(<p.Probe />)
  const ws = openFirst()
  act(() => {
    for (let i = 0; i < 5; i++) ws.receive(`m${i}`)
  })
  view.unmount()
  expect(ws.closeCalls).toHaveLength(0)
  act(() => vi.advanceTimersByTime(0))
  expect(ws.closeCalls).toHaveLength(1)
  act(() => ws.finishClose())
  expect(liveSockets()).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
})

test('StrictMode mounts twice, one socket is made; unmounting closes it', () => {
  const p = probe(() => useWebSocket(URL, BASE))
  const view = render(
    <StrictMode>
      <p.Probe />
    </StrictMode>,
  )
  const ws = openFirst()
  expect(FakeWebSocket.instances).toHaveLength(1)
  expect(p.last.readyState).toBe(ReadyState.OPEN)
  view.unmount()
  act(() => vi.advanceTimersByTime(0))
  expect(ws.closeCalls).toHaveLength(1)
})

test('a private socket is not kept for closeDelay: only shared ones are', () => {
  const p = probe(() => useWebSocket(URL, { ...BASE, closeDelay: 5000 }))
  const view = render(<p.Probe />)
  const ws = openFirst()
  view.unmount()
  act(() => vi.advanceTimersByTime(0))
  expect(ws.closeCalls).toHaveLength(1)
})

test('a number reconnectInterval waits that long ±20% before each retry', () => {
  const random = vi.spyOn(Math, 'random').mockReturnValue(0.5)
  const p = probe(() => useWebSocket(URL, { ...BASE, reconnectInterval: 1000 }))
  render(<p.Probe />)
  const ws = openFirst()
  act(() => ws.serverClose(1006))
  expect(p.last.state).toBe('reconnecting')
  expect(p.last.readyState).toBe(ReadyState.CONNECTING)
  act(() => vi.advanceTimersByTime(999))
  expect(FakeWebSocket.instances).toHaveLength(1)
  act(() => vi.advanceTimersByTime(1))
  expect(FakeWebSocket.instances).toHaveLength(2)
  random.mockRestore()
})

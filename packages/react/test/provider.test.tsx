import { ResilientWebSocket } from '@lifeline/core'
import { TestServer, WebSocket } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { useSocket, useSocketStatus, useWebSocketMessage, WebSocketProvider } from '../src'
import { liveSockets } from '../src/leases'
import { counted, REAL } from './helpers/options'
import { probe } from './helpers/probe'

let server: TestServer
const sockets: ResilientWebSocket[] = []

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  cleanup()
  for (const socket of sockets.splice(0)) socket.close()
  await until(() => liveSockets() === 0)
  await server.stop()
})

function socketFor(url: string): ResilientWebSocket {
  const socket = new ResilientWebSocket(url, {
    WebSocket: WebSocket as never,
    heartbeat: false,
    reconnect: { minDelay: 20, maxDelay: 100 },
    lifecycle: { network: false, foreground: false },
  })
  sockets.push(socket)
  return socket
}

type Tick = { symbol: string; price: number }
const priceOf = (symbol: string) => (event: { data: unknown }, current: number) => {
  const tick = JSON.parse(String(event.data)) as Tick
  return tick.symbol === symbol ? tick.price : current
}

describe('selector hooks', () => {
  test('useWebSocketMessage re-renders a component only when its slice changes', async () => {
    const socket = socketFor(server.url)
    const a = probe(() => useWebSocketMessage(priceOf('A'), 0))
    const b = probe(() => useWebSocketMessage(priceOf('B'), 0))
    render(
      <WebSocketProvider socket={socket}>
        <a.Probe />
        <b.Probe />
      </WebSocketProvider>,
    )
    const client = await server.connection(1)
    await until(() => socket.readyState === 1)
    const bRenders = b.renders
    for (let price = 1; price <= 50; price++) client.socket.send(JSON.stringify({ symbol: 'A', price }))
    await until(() => a.last === 50, 5000, 'A at 50')
    expect(b.renders).toBe(bRenders)
    expect(b.last).toBe(0)
    expect(a.renders).toBeLessThanOrEqual(1 + 10)

    client.socket.send(JSON.stringify({ symbol: 'B', price: 7 }))
    await until(() => b.last === 7, 5000, 'B at 7')
    expect(a.last).toBe(50)
  })

  test('a selector can fold messages into a list; one that throws is reported and keeps its slice', async () => {
    const reported: unknown[] = []
    ;(globalThis as { reportError?: (error: unknown) => void }).reportError = (error) => reported.push(error)
    try {
      const socket = socketFor(server.url)
      const list = probe(() =>
        useWebSocketMessage((event, messages: string[]) => {
          if (event.data === 'boom') throw new Error('selector')
          return [...messages, String(event.data)]
        }, []),
      )
      render(
        <WebSocketProvider socket={socket}>
          <list.Probe />
        </WebSocketProvider>,
      )
      const client = await server.connection(1)
      await until(() => socket.readyState === 1)
      for (const data of ['a', 'boom', 'b']) client.socket.send(data)
      await until(() => list.last.length === 2)
      expect(list.last).toEqual(['a', 'b'])
      expect(reported).toHaveLength(1)
    } finally {
      delete (globalThis as { reportError?: unknown }).reportError
    }
  })

  test('useSocketStatus(select) re-renders only when the selected field changes', async () => {
    const socket = socketFor(server.url)
    const ready = probe(() => useSocketStatus((status) => status?.readyState))
    const queued = probe(() => useSocketStatus((status) => status?.queuedMessages))
    const whole = probe(() => useSocketStatus())
    render(
      <WebSocketProvider socket={socket}>
        <ready.Probe />
        <queued.Probe />
        <whole.Probe />
      </WebSocketProvider>,
    )
    expect(ready.last).toBe(0)
    act(() => {
      for (let i = 0; i < 5; i++) socket.send(`queued ${i}`)
    })
    await until(() => queued.results.includes(5), 5000, 'five queued')
    await until(() => ready.last === 1, 5000, 'open')
    await server.receivedCount(5)
    await until(() => whole.last?.queuedMessages === 0, 5000, 'the whole status shows the flushed queue')
    expect(whole.last).toBe(socket.status)
    // One render per readyState: the queue's changes re-rendered the other two components only.
    expect(ready.results).toEqual([0, 1])
    expect(whole.renders).toBeGreaterThan(ready.renders)
  })

  test('outside a provider there is no socket: the hooks give null and their initial values', () => {
    const p = probe(() => [
      useSocket(),
      useSocketStatus((status) => status?.state ?? 'none'),
      useWebSocketMessage(priceOf('A'), 3),
    ])
    render(<p.Probe />)
    expect(p.last).toEqual([null, 'none', 3])
  })
})

describe('<WebSocketProvider url>', () => {
  test('opens one connection under StrictMode, gives it to the subtree, closes it on unmount', async () => {
    const { options, created } = counted()
    const socketProbe = probe(() => useSocket())
    const last = probe(() => useWebSocketMessage((event, _: unknown) => event.data, undefined as unknown))
    const view = render(
      <StrictMode>
        <WebSocketProvider url={server.url} options={options}>
          <socketProbe.Probe />
          <last.Probe />
        </WebSocketProvider>
      </StrictMode>,
    )
    expect(socketProbe.results[0]).toBeNull()
    await until(() => socketProbe.last?.readyState === 1, 5000, 'open')
    const socket = socketProbe.last!
    socket.send('hello')
    const client = await server.connection(1)
    client.socket.send('hi there')
    await until(() => last.last === 'hi there')
    await server.receivedCount(1)
    expect(created()).toBe(1)
    expect(server.clients).toHaveLength(1)

    view.unmount()
    await until(() => (socket as ResilientWebSocket).state === 'closed', 5000, 'closed on unmount')
    expect(liveSockets()).toBe(0)
  })

  test('the provider renders again only when its socket changes, not for messages or status', async () => {
    const counter = probe(() => null)
    const price = probe(() => useWebSocketMessage(priceOf('A'), 0))
    render(
      <WebSocketProvider url={server.url} options={REAL}>
        <counter.Probe />
        <price.Probe />
      </WebSocketProvider>,
    )
    const client = await server.connection(1)
    for (let p = 1; p <= 20; p++) client.socket.send(JSON.stringify({ symbol: 'A', price: p }))
    await until(() => price.last === 20)
    expect(counter.renders).toBe(1)
  })
})

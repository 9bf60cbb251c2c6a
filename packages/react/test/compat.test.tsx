import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { cleanup, render } from '@testing-library/react'
import useRwu, { ReadyState as RwuReadyState } from 'react-use-websocket'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import useLifeline, { ReadyState } from '../src'
import { liveSockets } from '../src/leases'
import { probe } from './helpers/probe'

// The call-compatible part, run against react-use-websocket itself: the same scenario, the same calls, both hooks.
// Both use the global WebSocket, as in a page: here `ws`'s (happy-dom's own has no `bufferedAmount`, which lifeline's
// backpressure reads), over a real connection. Moving is an import change.

type Hook = (url: string | null, options?: any, connect?: boolean) => any
const HOOKS: [string, Hook][] = [
  ['lifeline', useLifeline as Hook],
  ['react-use-websocket', useRwu as Hook],
]

let server: TestServer
const holder = globalThis as { WebSocket?: unknown }
const pageWebSocket = holder.WebSocket

beforeAll(() => {
  holder.WebSocket = NodeWebSocket
})

afterAll(() => {
  holder.WebSocket = pageWebSocket
})

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  cleanup()
  await until(() => liveSockets() === 0)
  await until(() => server.clients.every((client) => client.socket.readyState === 3), 5000, 'connections closed')
  await server.stop()
})

test('ReadyState has the same values', () => {
  for (const name of ['UNINSTANTIATED', 'CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const) {
    expect(ReadyState[name]).toBe(RwuReadyState[name])
  }
})

describe.each(HOOKS)('%s', (_name, useWebSocket) => {
  type Props = { url: string | null; options?: object; connect?: boolean }
  const make = () => probe(({ url, options = {}, connect = true }: Props) => useWebSocket(url, options, connect))

  test('readyState: UNINSTANTIATED without a URL, CONNECTING on the first render with one, OPEN, CLOSED once connect is false', async () => {
    const p = make()
    const view = render(<p.Probe url={null} />)
    expect(p.last.readyState).toBe(-1)
    view.rerender(<p.Probe url={server.url} />)
    expect(p.last.readyState).toBe(0)
    await until(() => p.last.readyState === 1)
    view.rerender(<p.Probe url={server.url} connect={false} />)
    await until(() => p.last.readyState === 3)
    await until(() => server.clients[0]!.socket.readyState === 3, 5000, 'the server sees the close')
  })

  test('lastMessage and lastJsonMessage', async () => {
    const p = make()
    render(<p.Probe url={server.url} />)
    expect(p.last.lastMessage).toBeNull()
    expect(p.last.lastJsonMessage).toBeNull()
    await until(() => p.last.readyState === 1)
    const client = await server.connection(1)
    client.socket.send('{"price":42}')
    await until(() => p.last.lastMessage?.data === '{"price":42}')
    expect(p.last.lastJsonMessage).toEqual({ price: 42 })
    client.socket.send('plain text')
    await until(() => p.last.lastMessage?.data === 'plain text')
    expect(p.last.lastJsonMessage).toEqual({})
  })

  test('sendMessage before open is sent once open; keep = false before open is dropped; sendJsonMessage', async () => {
    const p = make()
    render(<p.Probe url={server.url} />)
    p.last.sendMessage('queued')
    p.last.sendMessage('dropped', false)
    p.last.sendJsonMessage({ n: 1 })
    await until(() => p.last.readyState === 1)
    p.last.sendMessage('after open')
    await server.receivedCount(3)
    expect(server.received).toEqual(['queued', '{"n":1}', 'after open'])
  })

  test('filter decides lastMessage, onMessage sees every message, onOpen is called', async () => {
    const seen: unknown[] = []
    let opened = 0
    const options = {
      filter: (event: { data: unknown }) => event.data !== 'ignored',
      onMessage: (event: { data: unknown }) => seen.push(event.data),
      onOpen: () => opened++,
    }
    const p = make()
    render(<p.Probe url={server.url} options={options} />)
    await until(() => p.last.readyState === 1)
    const client = await server.connection(1)
    client.socket.send('first')
    client.socket.send('ignored')
    await until(() => seen.length === 2)
    await until(() => p.last.lastMessage?.data === 'first')
    expect(seen).toEqual(['first', 'ignored'])
    expect(opened).toBe(1)
  })

  test('share: two components, one connection, both see the messages', async () => {
    const a = make()
    const b = make()
    const options = { share: true }
    render(
      <>
        <a.Probe url={server.url} options={options} />
        <b.Probe url={server.url} options={options} />
      </>,
    )
    await until(() => a.last.readyState === 1 && b.last.readyState === 1)
    const client = await server.connection(1)
    client.socket.send('to both')
    await until(() => a.last.lastMessage?.data === 'to both' && b.last.lastMessage?.data === 'to both')
    expect(server.clients).toHaveLength(1)
  })
})

test('a burst of 2,000 messages: both deliver all; lifeline renders a few times, react-use-websocket once per message', async () => {
  const counts: Record<string, number> = {}
  for (const [name, useWebSocket] of HOOKS) {
    let seen = 0
    const options = { onMessage: () => seen++ }
    const p = probe(() => useWebSocket(server.url, options))
    render(<p.Probe />)
    await until(() => p.last.readyState === 1)
    const before = p.renders
    const client = await server.connection(server.clients.length)
    for (let i = 0; i < 2000; i++) client.socket.send(`m${i}`)
    await until(() => seen === 2000, 20000, `${name}: 2,000 messages`)
    await until(() => p.last.lastMessage?.data === 'm1999', 5000, `${name}: the last message`)
    counts[name] = p.renders - before
    cleanup()
  }
  console.info(`renders for 2,000 messages: ${JSON.stringify(counts)}`)
  expect(counts.lifeline).toBeLessThanOrEqual(40)
  expect(counts.lifeline).toBeLessThan(counts['react-use-websocket']!)
}, 60000)

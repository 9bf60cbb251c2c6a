// The README's examples, with the test server's URL and `ws` as the implementation: they compile (pnpm typecheck
// covers tests) and do what the README says.
import { SharedWebSocket } from '@lifeline/core/tabs'
import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, expect, test } from 'vitest'
import useWebSocket, { ReadyState, useSocket, useSocketStatus, useWebSocketMessage, WebSocketProvider } from '../src'
import { liveSockets } from '../src/leases'
import { REAL } from './helpers/options'

let server: TestServer

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  cleanup()
  await until(() => liveSockets() === 0)
  await server.stop()
})

function Chat({ url }: { url: string }) {
  const { sendMessage, lastMessage, readyState, state, bufferedAmount } = useWebSocket(url, REAL)
  const label = {
    [ReadyState.UNINSTANTIATED]: 'idle',
    [ReadyState.CONNECTING]: state === 'reconnecting' ? 'reconnecting…' : 'connecting…',
    [ReadyState.OPEN]: 'open',
    [ReadyState.CLOSING]: 'closing',
    [ReadyState.CLOSED]: 'closed',
  }[readyState]
  return (
    <div>
      <p>
        {label}
        {bufferedAmount ? ` (${bufferedAmount} bytes waiting)` : ''}
      </p>
      {/* Sent now when open, otherwise queued and sent in order once connected. */}
      <button type="button" onClick={() => sendMessage('hello')}>
        Say hello
      </button>
      <p>{lastMessage ? String(lastMessage.data) : 'no message yet'}</p>
    </div>
  )
}

type Tick = { symbol: string; price: number }

function Price({ symbol }: { symbol: string }) {
  // Runs for every message; this component renders only when its own price changes.
  const price = useWebSocketMessage((message, current: number | undefined) => {
    const tick = JSON.parse(String(message.data)) as Tick
    return tick.symbol === symbol ? tick.price : current
  }, undefined)
  return (
    <li>
      {symbol}: {price ?? '…'}
    </li>
  )
}

function Connection() {
  // Renders when the state changes, not when the queue or the latency does.
  const state = useSocketStatus((status) => status?.state ?? 'connecting')
  return <p>{state}</p>
}

function Buy({ symbol }: { symbol: string }) {
  const socket = useSocket()
  return (
    <button type="button" onClick={() => socket?.send(JSON.stringify({ buy: symbol }))}>
      Buy {symbol}
    </button>
  )
}

function Ticker({ url }: { url: string }) {
  return (
    <WebSocketProvider url={url} options={REAL}>
      <Connection />
      <ul>
        <Price symbol="AAPL" />
        <Price symbol="MSFT" />
      </ul>
      <Buy symbol="AAPL" />
    </WebSocketProvider>
  )
}

function Feed({ url }: { url: string }) {
  // One server connection however many tabs show this component.
  const { lastMessage, sendMessage, readyState } = useWebSocket(url, { ...REAL, Socket: SharedWebSocket })
  return (
    <div>
      <p>{readyState === 1 ? 'open' : 'connecting…'}</p>
      <button type="button" onClick={() => sendMessage('hello')}>
        Say hello
      </button>
      <p>{lastMessage ? String(lastMessage.data) : 'no message yet'}</p>
    </div>
  )
}

/** The README's typed form: a type for `lastJsonMessage`, and the class named as the second type argument. */
function TypedFeed({ url }: { url: string }) {
  const { lastJsonMessage, getWebSocket } = useWebSocket<Tick, SharedWebSocket>(url, {
    ...REAL,
    Socket: SharedWebSocket,
  })
  return (
    <p>
      {getWebSocket()?.isLeader ? 'leader' : 'follower'} {lastJsonMessage?.symbol}
    </p>
  )
}

test('Chat: connecting, open, a hello sent, the answer shown', async () => {
  render(<Chat url={server.url} />)
  expect(screen.getByText('connecting…')).toBeTruthy()
  fireEvent.click(screen.getByText('Say hello'))
  await until(() => screen.queryByText('open') !== null)
  const client = await server.connection(1)
  expect(await client.next()).toBe('hello')
  client.socket.send('hi!')
  await until(() => screen.queryByText('hi!') !== null)
})

test('Ticker: the connection state, one price per symbol, a buy order', async () => {
  render(<Ticker url={server.url} />)
  expect(screen.getByText('connecting')).toBeTruthy()
  const client = await server.connection(1)
  await until(() => screen.queryByText('open') !== null)
  client.socket.send(JSON.stringify({ symbol: 'AAPL', price: 190 }))
  client.socket.send(JSON.stringify({ symbol: 'MSFT', price: 420 }))
  await until(() => screen.queryByText('AAPL: 190') !== null && screen.queryByText('MSFT: 420') !== null)
  fireEvent.click(screen.getByText('Buy AAPL'))
  expect(await client.next()).toBe('{"buy":"AAPL"}')
})

test('Feed: two tabs, one server connection; a hello from each tab; the answer shown in both', async () => {
  const tabs = new FakeTabs().install()
  try {
    const first = within(tabs.in('a', () => render(<Feed url={server.url} />)).container)
    await until(() => first.queryByText('open') !== null)
    const second = within(tabs.in('b', () => render(<Feed url={server.url} />)).container)
    await until(() => second.queryByText('open') !== null)
    fireEvent.click(first.getByText('Say hello'))
    fireEvent.click(second.getByText('Say hello'))
    const client = await server.connection(1)
    expect(await server.receivedCount(2)).toEqual(['hello', 'hello'])
    client.socket.send('hi both!')
    await until(() => first.queryByText('hi both!') !== null && second.queryByText('hi both!') !== null)
    expect(server.clients).toHaveLength(1)

    const typed = within(tabs.in('c', () => render(<TypedFeed url={server.url} />)).container)
    client.socket.send(JSON.stringify({ symbol: 'AAPL', price: 1 }))
    await until(() => typed.queryByText('follower AAPL') !== null)
    cleanup()
    await until(() => liveSockets() === 0)
  } finally {
    tabs.uninstall()
  }
})

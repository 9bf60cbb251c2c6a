import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { act, cleanup, render } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import useWebSocket, { ReadyState, type UseWebSocketOptions, type WebSocketHook } from '../src'
import { liveSockets } from '../src/leases'
import { counted, REAL } from './helpers/options'
import { probe } from './helpers/probe'

let server: TestServer

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  cleanup()
  await until(() => liveSockets() === 0, 5000, 'every socket closed after unmount')
  await server.stop()
})

type Props = { url: string | null; options?: UseWebSocketOptions; connect?: boolean }

function hookProbe() {
  return probe(({ url, options = REAL, connect = true }: Props) => useWebSocket(url, options, connect))
}

const open = (p: { last: { readyState: number } }) =>
  until(() => p.last.readyState === ReadyState.OPEN, 5000, 'readyState OPEN')

describe('readyState', () => {
  test('CONNECTING on the first render, OPEN, CONNECTING (never CLOSED) while the server restarts, OPEN again', async () => {
    const p = hookProbe()
    render(<p.Probe url={server.url} />)
    expect(p.results[0]!.readyState).toBe(ReadyState.CONNECTING)
    expect(p.results[0]!.state).toBe('connecting')
    await open(p)

    await server.stop()
    await until(() => p.last.state === 'reconnecting', 5000, 'reconnecting')
    expect(p.last.readyState).toBe(ReadyState.CONNECTING)
    await server.restart()
    await until(() => p.last.readyState === ReadyState.OPEN && server.clients.length === 2, 10000, 'reopened')

    expect(p.results.map((r) => r.readyState)).not.toContain(ReadyState.CLOSED)
    expect(p.results.some((r) => r.attempt! > 0)).toBe(true)
  })

  test('UNINSTANTIATED without a URL; CLOSED once connect turns false; a new connection when it turns true', async () => {
    const p = hookProbe()
    const view = render(<p.Probe url={null} />)
    expect(p.last.readyState).toBe(ReadyState.UNINSTANTIATED)
    expect(p.last.getWebSocket()).toBeNull()

    view.rerender(<p.Probe url={server.url} />)
    expect(p.last.readyState).toBe(ReadyState.CONNECTING)
    await open(p)
    const first = await server.connection(1)

    view.rerender(<p.Probe url={server.url} connect={false} />)
    expect(p.last.readyState).toBe(ReadyState.CLOSED)
    await until(() => first.socket.readyState === 3, 5000, 'server sees the close')
    expect(p.last.getWebSocket()).toBeNull()

    view.rerender(<p.Probe url={server.url} connect />)
    expect(p.last.readyState).toBe(ReadyState.CONNECTING)
    await open(p)
    expect(server.clients).toHaveLength(2)
  })

  test('a new URL shows CONNECTING at once, not the old socket’s OPEN, and resets lastMessage', async () => {
    const other = await TestServer.start()
    try {
      const p = hookProbe()
      const view = render(<p.Probe url={server.url} />)
      await open(p)
      ;(await server.connection(1)).socket.send('from the first')
      await until(() => p.last.lastMessage?.data === 'from the first')
      view.rerender(<p.Probe url={other.url} />)
      expect(p.last.readyState).toBe(ReadyState.CONNECTING)
      await open(p)
      expect(p.last.lastMessage).toBeNull()
      await other.connection(1)
      await until(() => server.clients[0]!.socket.readyState === 3, 5000, 'the first connection closed')
    } finally {
      cleanup()
      await until(() => liveSockets() === 0)
      await other.stop()
    }
  })

  test('gives up after reconnectAttempts: onReconnectStop, CLOSED; reconnect() starts again', async () => {
    const onReconnectStop = vi.fn()
    const options = { ...REAL, reconnectAttempts: 2, reconnectInterval: 10, onReconnectStop }
    const p = hookProbe()
    render(<p.Probe url={server.url} options={options} />)
    await open(p)
    await server.stop()
    await until(() => p.last.readyState === ReadyState.CLOSED, 5000, 'given up')
    expect(p.last.state).toBe('closed')
    expect(onReconnectStop).toHaveBeenCalledTimes(1)
    expect(onReconnectStop).toHaveBeenCalledWith(2)

    await server.restart()
    act(() => p.last.reconnect())
    await open(p)
  })
})

function Child({ send }: { send: (message: string) => void }) {
  useEffect(() => {
    send('one')
    send('two')
  }, [send])
  return null
}

/** Effects run children first: Child sends before the hook's effect has made the socket. */
function App({ url, record }: { url: string; record: (result: WebSocketHook) => void }) {
  const result = useWebSocket(url, REAL)
  const { sendMessage, sendJsonMessage } = result
  record(result)
  useEffect(() => {
    sendMessage('three')
    sendJsonMessage({ n: 4 })
  }, [sendMessage, sendJsonMessage])
  return <Child send={sendMessage} />
}

describe('sending', () => {
  test('messages sent before open arrive in order: before the socket exists, while connecting, and after', async () => {
    const p = probe(() => useWebSocket(server.url, REAL))
    render(<App url={server.url} record={(result) => p.results.push(result)} />)
    await open(p)
    p.last.sendMessage('five')
    await server.receivedCount(5)
    expect(server.received).toEqual(['one', 'two', 'three', '{"n":4}', 'five'])
  })

  test('keep = false: dropped while not open (returns false), sent when open', async () => {
    const results: boolean[] = []
    const p = probe(() => {
      const result = useWebSocket(server.url, REAL)
      const { sendMessage } = result
      useEffect(() => {
        results.push(sendMessage('dropped', false), sendMessage('kept'))
      }, [sendMessage])
      return result
    })
    render(<p.Probe />)
    await open(p)
    results.push(p.last.sendMessage('live', false))
    await server.receivedCount(2)
    expect(server.received).toEqual(['kept', 'live'])
    expect(results).toEqual([false, true, true])
  })

  test('messages sent while connect is false are kept and sent on the next connection', async () => {
    const p = hookProbe()
    const view = render(<p.Probe url={server.url} connect={false} />)
    expect(p.last.sendMessage('waiting')).toBe(true)
    expect(p.last.sendMessage('not kept', false)).toBe(false)
    view.rerender(<p.Probe url={server.url} connect />)
    await open(p)
    await server.receivedCount(1)
    expect(server.received).toEqual(['waiting'])
  })
})

describe('messages', () => {
  test('filter decides lastMessage; onMessage sees every message', async () => {
    const seen: unknown[] = []
    const options: UseWebSocketOptions = {
      ...REAL,
      onMessage: (event) => seen.push(event.data),
      filter: (event) => String(event.data).startsWith('keep'),
    }
    const p = hookProbe()
    render(<p.Probe url={server.url} options={options} />)
    await open(p)
    const client = await server.connection(1)
    for (const data of ['keep:1', 'skip:2', 'keep:3', 'skip:4']) client.socket.send(data)
    await until(() => seen.length === 4)
    await until(() => p.last.lastMessage?.data === 'keep:3')
    expect(seen).toEqual(['keep:1', 'skip:2', 'keep:3', 'skip:4'])
    expect(p.results.map((r) => r.lastMessage?.data)).not.toContain('skip:2')
  })

  test('lastJsonMessage parses; text that is not JSON gives one shared empty object; disableJson gives null', async () => {
    const p = hookProbe()
    const view = render(<p.Probe url={server.url} />)
    await open(p)
    const client = await server.connection(1)
    client.socket.send('{"price":7}')
    await until(() => p.last.lastMessage?.data === '{"price":7}')
    expect(p.last.lastJsonMessage).toEqual({ price: 7 })
    client.socket.send('not json')
    await until(() => p.last.lastMessage?.data === 'not json')
    const unparsable = p.last.lastJsonMessage
    expect(unparsable).toEqual({})
    view.rerender(<p.Probe url={server.url} options={{ ...REAL, disableJson: true }} />)
    expect(p.last.lastJsonMessage).toBeNull()
    view.rerender(<p.Probe url={server.url} />)
    expect(p.last.lastJsonMessage).toBe(unparsable)
  })

  test('heartbeat replies (returnMessage) reach neither lastMessage nor onMessage, and give the latency', async () => {
    server.wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        if (data.toString() === 'ping') socket.send('pong')
      })
    })
    const seen: unknown[] = []
    const options: UseWebSocketOptions = {
      ...REAL,
      heartbeat: { interval: 20, timeout: 2000, returnMessage: 'pong' },
      onMessage: (event) => seen.push(event.data),
    }
    const p = hookProbe()
    render(<p.Probe url={server.url} options={options} />)
    await open(p)
    await until(() => server.received.filter((m) => m === 'ping').length >= 2, 5000, 'two pings')
    await until(() => p.last.latency !== undefined, 5000, 'a latency')
    ;(await server.connection(1)).socket.send('data')
    await until(() => p.last.lastMessage?.data === 'data')
    expect(seen).toEqual(['data'])
    expect(p.results.map((r) => r.lastMessage?.data)).not.toContain('pong')
  })
})

describe('one connection', () => {
  for (const share of [false, true]) {
    test(`StrictMode opens exactly one connection (share: ${share}) and calls no onClose`, async () => {
      const onClose = vi.fn()
      const onOpen = vi.fn()
      const { options, created } = counted({ share, onClose, onOpen })
      const p = hookProbe()
      render(
        <StrictMode>
          <p.Probe url={server.url} options={options} />
        </StrictMode>,
      )
      await open(p)
      p.last.sendMessage('round trip')
      await server.receivedCount(1)
      expect(created()).toBe(1)
      expect(server.clients).toHaveLength(1)
      expect(onOpen).toHaveBeenCalledTimes(1)
      expect(onClose).not.toHaveBeenCalled()
    })
  }

  test('share: two components use one socket; it stays while one remains and closes after the last leaves', async () => {
    const { options, created } = counted({ share: true, closeDelay: 200 })
    const a = hookProbe()
    const b = hookProbe()
    const view = render(
      <>
        <a.Probe url={server.url} options={options} />
        <b.Probe url={server.url} options={options} />
      </>,
    )
    await open(a)
    await open(b)
    expect(a.last.getWebSocket()).toBe(b.last.getWebSocket())
    const socket = a.last.getWebSocket()!

    view.rerender(<b.Probe url={server.url} options={options} />)
    b.last.sendMessage('still here')
    await server.receivedCount(1)

    view.rerender(null)
    expect(socket.state).toBe('open')
    await until(() => socket.state === 'closed', 5000, 'closed after closeDelay')
    await until(() => server.clients[0]!.socket.readyState === 3)
    expect(created()).toBe(1)
    expect(server.clients).toHaveLength(1)
  })

  test('share: a component that mounts within closeDelay takes the same connection', async () => {
    const { options, created } = counted({ share: true, closeDelay: 2000 })
    const a = hookProbe()
    const view = render(<a.Probe url={server.url} options={options} />)
    await open(a)
    const socket = a.last.getWebSocket()
    view.rerender(null)
    const b = hookProbe()
    view.rerender(<b.Probe url={server.url} options={options} />)
    expect(b.results[0]!.readyState).toBe(ReadyState.CONNECTING)
    await open(b)
    expect(b.last.getWebSocket()).toBe(socket)
    expect(created()).toBe(1)
  })

  test('share: a socket closed by hand with close() is replaced for the next component', async () => {
    const options = { ...REAL, share: true, closeDelay: 1000 }
    const a = hookProbe()
    const view = render(<a.Probe url={server.url} options={options} />)
    await open(a)
    const closed = a.last.getWebSocket()!
    act(() => closed.close())
    await until(() => a.last.readyState === ReadyState.CLOSED)
    view.rerender(null)
    const b = hookProbe()
    view.rerender(<b.Probe url={server.url} options={options} />)
    await open(b)
    expect(b.last.getWebSocket()).not.toBe(closed)
    expect(server.clients).toHaveLength(2)
  })

  test('share: different URLs, protocols or query parameters get different sockets', async () => {
    const options = { ...REAL, share: true, closeDelay: 50 }
    const a = hookProbe()
    const b = hookProbe()
    const c = hookProbe()
    render(
      <>
        <a.Probe url={server.url} options={options} />
        <b.Probe url={server.url} options={{ ...options, queryParams: { room: 1 } }} />
        <c.Probe url={server.url} options={{ ...options, protocols: 'chat' }} />
      </>,
    )
    await open(a)
    await open(b)
    await open(c)
    expect(new Set([a, b, c].map((x) => x.last.getWebSocket())).size).toBe(3)
    expect(server.clients).toHaveLength(3)
  })
})

describe('cleanup', () => {
  test('unmount closes the socket and removes every listener', async () => {
    const p = hookProbe()
    const view = render(<p.Probe url={server.url} />)
    await open(p)
    const socket = p.last.getWebSocket()!
    expect(socket.listenerCount('message')).toBe(1)
    view.unmount()
    await until(() => socket.state === 'closed', 5000, 'closed')
    for (const type of ['open', 'close', 'error', 'message'] as const) expect(socket.listenerCount(type)).toBe(0)
    expect(liveSockets()).toBe(0)
    await until(() => server.clients[0]!.socket.readyState === 3, 5000, 'the server sees the close')
  })
})

describe('user code that throws', () => {
  const holder = globalThis as { reportError?: (error: unknown) => void }
  afterEach(() => {
    delete holder.reportError
  })

  test('a throwing onOpen, onMessage or filter is reported and breaks neither the socket nor lastMessage', async () => {
    const reported: unknown[] = []
    holder.reportError = (error) => reported.push(error)
    const options: UseWebSocketOptions = {
      ...REAL,
      onOpen: () => {
        throw new Error('onOpen')
      },
      onMessage: (event) => {
        if (event.data === 'a') throw new Error('onMessage')
      },
      filter: (event) => {
        if (event.data === 'b') throw new Error('filter')
        return true
      },
    }
    const p = hookProbe()
    render(<p.Probe url={server.url} options={options} />)
    await open(p)
    const client = await server.connection(1)
    client.socket.send('a')
    client.socket.send('b')
    await until(() => reported.length === 3)
    await until(() => p.last.lastMessage?.data === 'a')
    client.socket.send('c')
    await until(() => p.last.lastMessage?.data === 'c')
    expect(reported.map((error) => (error as Error).message)).toEqual(['onOpen', 'onMessage', 'filter'])
    expect(p.results.map((r) => r.lastMessage?.data)).not.toContain('b')
    p.last.sendMessage('still works')
    await server.receivedCount(1)
    expect(p.last.readyState).toBe(ReadyState.OPEN)
  })
})

describe('the rest of the result', () => {
  test('getWebSocket() is the ResilientWebSocket; reconnect() opens a new connection; URL functions work', async () => {
    const p = hookProbe()
    const url = async () => server.url
    render(<p.Probe url={url as never} />)
    await open(p)
    const socket = p.last.getWebSocket()!
    expect(socket.url).toBe(`${server.url}/`)
    act(() => p.last.reconnect())
    await until(() => server.clients.length === 2 && p.last.readyState === ReadyState.OPEN)
    expect(p.last.getWebSocket()).toBe(socket)
    expect(p.last).toMatchObject({ state: 'open', queuedMessages: 0, url: `${server.url}/` })
  })
})

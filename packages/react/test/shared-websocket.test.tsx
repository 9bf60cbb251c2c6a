import type { SocketMessageEvent, SocketStatus } from '@lifeline/core'
import { SharedWebSocket } from '@lifeline/core/tabs'
import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { cleanup, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import useWebSocket, {
  ReadyState,
  type UseWebSocketOptions,
  useSocket,
  useSocketStatus,
  useWebSocketMessage,
  WebSocketProvider,
} from '../src'
import { liveSockets } from '../src/leases'
import { counted, REAL } from './helpers/options'
import { probe } from './helpers/probe'

// A SharedWebSocket wherever @lifeline/react takes a socket: made by useWebSocket (`Socket: SharedWebSocket`), given
// to <WebSocketProvider socket>, or made by the provider from `url`. Tabs are FakeTabs (BroadcastChannel and
// navigator.locks in one process); the connection is real, to a `ws` server.

let server: TestServer
/** Sockets a test made itself; closed after it. */
const made: SharedWebSocket[] = []

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  cleanup()
  for (const socket of made.splice(0)) socket.close()
  await until(() => liveSockets() === 0, 5000, 'every socket closed after unmount')
  await server.stop()
})

const SHARED = { ...REAL, Socket: SharedWebSocket }

const sharedProbe = (options: UseWebSocketOptions<SharedWebSocket> = SHARED) =>
  probe(() => useWebSocket(server.url, options))

const open = (p: { last: { readyState: number } }, what = 'readyState OPEN') =>
  until(() => p.last.readyState === ReadyState.OPEN, 5000, what)

/** Every connection the server has accepted that is still open. */
const openOnServer = () => server.clients.filter((client) => client.socket.readyState === 1).length

describe('in tabs that can share (BroadcastChannel and navigator.locks)', () => {
  let tabs: FakeTabs

  beforeEach(() => {
    tabs = new FakeTabs().install()
  })

  afterEach(async () => {
    cleanup()
    for (const socket of made.splice(0)) socket.close()
    await until(() => liveSockets() === 0, 5000, 'every socket closed after unmount')
    tabs.uninstall()
    expect(tabs.openChannels, 'channels left open').toBe(0)
  })

  test('useWebSocket with Socket: SharedWebSocket: two tabs, one server connection, every message in both', async () => {
    const a = sharedProbe()
    const b = sharedProbe()
    tabs.in('a', () => render(<a.Probe />))
    await open(a, 'tab a open')
    const viewB = tabs.in('b', () => render(<b.Probe />))
    await open(b, 'tab b open')

    // The type follows the class: isLeader needs no cast.
    expect(a.last.getWebSocket()).toBeInstanceOf(SharedWebSocket)
    expect(a.last.getWebSocket()!.isLeader).toBe(true)
    expect(b.last.getWebSocket()!.isLeader).toBe(false)
    expect(b.last.state).toBe('open')
    expect(server.clients).toHaveLength(1)

    const client = await server.connection(1)
    client.socket.send('to every tab')
    await until(() => a.last.lastMessage?.data === 'to every tab', 5000, 'tab a got the message')
    await until(() => b.last.lastMessage?.data === 'to every tab', 5000, 'tab b got the message')

    // The follower's sends reach the server through the leader, in the follower's order.
    for (const text of ['b1', 'b2', 'b3']) b.last.sendMessage(text)
    expect(await server.receivedCount(3)).toEqual(['b1', 'b2', 'b3'])
    expect(server.clients).toHaveLength(1)

    // The follower's component unmounts: that tab detaches, the connection stays.
    const followerSocket = b.last.getWebSocket()!
    viewB.unmount()
    await until(() => followerSocket.state === 'closed', 5000, "the follower's socket closed")
    client.socket.send('still here')
    await until(() => a.last.lastMessage?.data === 'still here', 5000, 'tab a still receives')
    expect(client.socket.readyState).toBe(1)
    expect(server.clients).toHaveLength(1)
  })

  test("the leader tab's component unmounts: the other tab leads, connects once, and what it sends arrives", async () => {
    const a = sharedProbe()
    const b = sharedProbe()
    const viewA = tabs.in('a', () => render(<a.Probe />))
    await open(a, 'tab a open')
    tabs.in('b', () => render(<b.Probe />))
    await open(b, 'tab b open')
    const led = vi.fn()
    b.last.getWebSocket()!.on('leader', led)
    const first = await server.connection(1)

    viewA.unmount()
    await until(() => first.socket.readyState === 3, 5000, "the old leader's connection closed")
    await until(() => b.last.getWebSocket()?.isLeader === true, 5000, 'tab b leads')
    expect(led).toHaveBeenCalledTimes(1)
    const second = await server.connection(2)
    await open(b, 'tab b open on its own connection')
    b.last.sendMessage('after the handover')
    expect(await second.next()).toBe('after the handover')
    expect(server.clients).toHaveLength(2)
    expect(openOnServer()).toBe(1)
  })

  test('a URL function with `channel`: the tabs meet under that name and share one connection', async () => {
    const url = () => server.url
    const options = { ...SHARED, channel: 'feed' }
    const a = probe(() => useWebSocket(url, options))
    const b = probe(() => useWebSocket(url, options))
    tabs.in('a', () => render(<a.Probe />))
    await open(a, 'tab a open')
    tabs.in('b', () => render(<b.Probe />))
    await open(b, 'tab b open')
    expect(tabs.locks.holder('lifeline:feed')).toBe('a')
    expect(b.last.getWebSocket()!.isLeader).toBe(false)
    b.last.sendMessage('through the channel')
    expect(await (await server.connection(1)).next()).toBe('through the channel')
    expect(server.clients).toHaveLength(1)
  })

  test('StrictMode makes one SharedWebSocket and one connection; unmounting closes it', async () => {
    let sockets = 0
    class Counted extends SharedWebSocket {
      constructor(...args: ConstructorParameters<typeof SharedWebSocket>) {
        super(...args)
        sockets++
      }
    }
    const { options, created } = counted({ Socket: Counted })
    const p = probe(() => useWebSocket(server.url, options))
    const view = tabs.in('a', () =>
      render(
        <StrictMode>
          <p.Probe />
        </StrictMode>,
      ),
    )
    await open(p)
    p.last.sendMessage('once')
    await server.receivedCount(1)
    expect(sockets).toBe(1)
    expect(created()).toBe(1)
    expect(server.clients).toHaveLength(1)

    view.unmount()
    await until(() => server.clients[0]!.socket.readyState === 3, 5000, 'closed on unmount')
    expect(tabs.locks.holder(`lifeline:${server.url}`)).toBeUndefined()
  })

  test("a follower tab's throwing onMessage is reported; its lastMessage and the other tab go on", async () => {
    const reported: unknown[] = []
    ;(globalThis as { reportError?: (error: unknown) => void }).reportError = (error) => reported.push(error)
    try {
      const a = sharedProbe()
      const b = sharedProbe({
        ...SHARED,
        onMessage: () => {
          throw new Error('onMessage')
        },
      })
      tabs.in('a', () => render(<a.Probe />))
      await open(a)
      tabs.in('b', () => render(<b.Probe />))
      await open(b)
      const client = await server.connection(1)
      client.socket.send('one')
      client.socket.send('two')
      await until(() => b.last.lastMessage?.data === 'two', 5000, 'tab b got both')
      await until(() => a.last.lastMessage?.data === 'two', 5000, 'tab a got both')
      expect(reported).toHaveLength(2)
      expect(b.last.readyState).toBe(ReadyState.OPEN)
    } finally {
      delete (globalThis as { reportError?: unknown }).reportError
    }
  })

  test('<WebSocketProvider socket={sharedWebSocket}> in a follower tab: selector hooks, status and sending', async () => {
    const leader = tabs.in('a', () => new SharedWebSocket(server.url, REAL))
    const follower = tabs.in('b', () => new SharedWebSocket(server.url, REAL))
    made.push(leader, follower)
    const priceOf = (symbol: string) => (message: SocketMessageEvent, current: number) => {
      const tick = JSON.parse(String(message.data)) as { symbol: string; price: number }
      return tick.symbol === symbol ? tick.price : current
    }
    const priceA = probe(() => useWebSocketMessage(priceOf('A'), 0))
    const priceB = probe(() => useWebSocketMessage(priceOf('B'), 0))
    const state = probe(() => useSocketStatus((status) => status?.state))
    const socket = probe(() => useSocket())
    render(
      <WebSocketProvider socket={follower}>
        <priceA.Probe />
        <priceB.Probe />
        <state.Probe />
        <socket.Probe />
      </WebSocketProvider>,
    )
    expect(socket.last).toBe(follower)
    await until(() => state.last === 'open', 5000, 'the follower mirrors the open connection')
    expect(follower.isLeader).toBe(false)

    const client = await server.connection(1)
    const rendersB = priceB.renders
    for (let price = 1; price <= 20; price++) client.socket.send(JSON.stringify({ symbol: 'A', price }))
    await until(() => priceA.last === 20, 5000, 'A at 20 in the follower')
    expect(priceB.renders).toBe(rendersB)
    expect(priceA.renders).toBeLessThanOrEqual(1 + 10)

    socket.last!.send('from the follower')
    expect(await client.next()).toBe('from the follower')
    expect(server.clients).toHaveLength(1)

    // The leader goes: the follower's status shows the handover, then the new connection open.
    leader.close()
    await until(() => follower.isLeader, 5000, 'the follower leads')
    await server.connection(2)
    await until(() => state.last === 'open' && follower.status.readyState === 1, 5000, 'open again')
    expect(state.results).toContain('connecting')
    expect(openOnServer()).toBe(1)
  })

  test('<WebSocketProvider url options={{ Socket: SharedWebSocket }}> makes a SharedWebSocket and closes it', async () => {
    const socket = probe(() => useSocket())
    const status = probe(() => useSocketStatus())
    const view = tabs.in('a', () =>
      render(
        <WebSocketProvider url={server.url} options={SHARED}>
          <socket.Probe />
          <status.Probe />
        </WebSocketProvider>,
      ),
    )
    await until(() => status.last?.state === 'open', 5000, 'open')
    expect(socket.last).toBeInstanceOf(SharedWebSocket)
    expect(status.last).toBeInstanceOf(Object)
    expect(Object.isFrozen(status.last as SocketStatus)).toBe(true)
    view.unmount()
    await until(() => server.clients[0]!.socket.readyState === 3, 5000, 'closed on unmount')
  })
})

describe('where tabs cannot share (no navigator.locks)', () => {
  beforeEach(() => {
    // A navigator without the Web Locks API, as in older browsers and some webviews.
    vi.stubGlobal('navigator', { userAgent: navigator.userAgent, onLine: true })
  })

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  test('each hook has its own connection that works as a ResilientWebSocket', async () => {
    expect((navigator as { locks?: unknown }).locks).toBeUndefined()
    const a = sharedProbe()
    const b = sharedProbe()
    const view = render(
      <>
        <a.Probe />
        <b.Probe />
      </>,
    )
    await open(a)
    await open(b)
    expect(a.last.getWebSocket()!.isLeader).toBe(true)
    expect(b.last.getWebSocket()!.isLeader).toBe(true)
    expect(server.clients).toHaveLength(2)

    const [toA, toB] = [await server.connection(1), await server.connection(2)]
    toA.socket.send('for one')
    toB.socket.send('for one')
    await until(() => a.last.lastMessage?.data === 'for one' && b.last.lastMessage?.data === 'for one')
    a.last.sendMessage('x')
    a.last.sendMessage('y')
    b.last.sendMessage('z')
    await server.receivedCount(3)
    expect([...toA.messages, ...toB.messages].sort()).toEqual(['x', 'y', 'z'])
    expect(toA.messages.join() === 'x,y' || toB.messages.join() === 'x,y').toBe(true)

    view.unmount()
    await until(() => openOnServer() === 0, 5000, 'both closed on unmount')
  })
})

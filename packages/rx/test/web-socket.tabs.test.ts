import { ResilientWebSocket } from '@lifeline/core'
import { SharedWebSocket } from '@lifeline/core/tabs'
import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { config as rxjsConfig, type Subscription } from 'rxjs'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { WebSocket } from 'ws'
import { type CloseInfo, type SocketClass, type WebSocketSubject, type WebSocketSubjectConfig, webSocket } from '../src'
import { record } from './helpers/fake'
import { entries } from './helpers/server'

// webSocket() subjects made with `Socket: SharedWebSocket` in the tabs of one fake browser (BroadcastChannel and
// navigator.locks from FakeTabs), against a real ws server. The first tab to subscribe holds the connection; the
// others relay through it.

let server: TestServer
let browser: FakeTabs
const subjects: WebSocketSubject<any>[] = []
/** What lifeline and rxjs reported (`reportError`, rxjs's `onUnhandledError`) during the current test. */
const reported: unknown[] = []

beforeEach(async () => {
  reported.length = 0
  vi.stubGlobal('reportError', (error: unknown) => reported.push(error))
  rxjsConfig.onUnhandledError = (error) => reported.push(error)
  browser = new FakeTabs().install()
  server = await TestServer.start()
})

afterEach(async () => {
  for (const subject of subjects.splice(0)) subject.complete()
  await server.stop()
  browser.uninstall()
  rxjsConfig.onUnhandledError = null
  vi.unstubAllGlobals()
  expect(browser.openChannels, 'channels left open').toBe(0)
})

/** A tab of the fake browser with its own `webSocket()` subject sharing the connection, and what it saw. */
interface Tab {
  subject: WebSocketSubject<any>
  /** Runs `fn` in this tab: a subscriber that starts the subject's socket must subscribe in here. */
  in<T>(fn: () => T): T
  /** What this tab's first subscriber received, as `next:<json>`, `error:<code>`, `complete`. */
  log: string[]
  opens: unknown[]
  closes: CloseInfo[]
}

function tab(name: string, config: Partial<WebSocketSubjectConfig<any>> = {}): Tab {
  const opens: unknown[] = []
  const closes: CloseInfo[] = []
  const subject = webSocket<any>({
    url: server.url,
    Socket: SharedWebSocket,
    WebSocketCtor: WebSocket,
    reconnect: { minDelay: 10, maxDelay: 50 },
    heartbeat: false,
    openObserver: { next: (event) => opens.push(event) },
    closeObserver: { next: (event) => closes.push(event) },
    ...config,
  })
  subjects.push(subject)
  return { subject, in: (fn) => browser.in(name, fn), log: [], opens, closes }
}

/** Tabs `names`, opened in that order (the first holds the connection), each with one subscriber, all open. */
async function subscribedTabs(names: string[], config: Partial<WebSocketSubjectConfig<any>> = {}) {
  const tabs = names.map((name) => tab(name, config))
  for (const t of tabs) t.in(() => t.subject.subscribe(record(t.log)))
  const client = await server.connection(1)
  await allOpen(tabs, 1)
  return { tabs, client }
}

/** Waits until every tab has seen `count` opens. */
function allOpen(tabs: Tab[], count: number): Promise<void> {
  return until(() => tabs.every((t) => t.opens.length >= count), 5000, `${count} opens in every tab`)
}

/** Stops the server and waits until every tab has seen the connection lost (lifeline reconnecting). */
async function stopServer(tabs: Tab[]): Promise<void> {
  await server.stop()
  await until(() => tabs.every((t) => t.closes.at(-1)?.willReconnect === true), 5000, 'every tab to see the close')
}

/** The messages of one tab (`"<name>…"` strings) among `messages`, in their order. */
const from = (messages: string[], name: string) => messages.filter((m) => m.startsWith(`"${name}`))

test('Socket takes the class that makes the socket: SharedWebSocket, ResilientWebSocket (checked by the type checker)', () => {
  const shared: WebSocketSubjectConfig<string> = { url: 'ws://example.test', Socket: SharedWebSocket, channel: 'a' }
  const plain: SocketClass = ResilientWebSocket
  expect(shared.Socket).toBe(SharedWebSocket)
  expect(plain).toBe(ResilientWebSocket)
  // @ts-expect-error ws's WebSocket is not a lifeline socket (no `queued`, another constructor).
  const wrong: WebSocketSubjectConfig<string> = { url: 'ws://example.test', Socket: WebSocket }
  // @ts-expect-error a class without the socket's interface.
  const empty: SocketClass = class {}
  expect([wrong, empty]).toHaveLength(2)
})

test('Socket is called with the url, protocol and options, channel included', async () => {
  const made: unknown[][] = []
  class Recording extends ResilientWebSocket {
    constructor(...args: ConstructorParameters<SocketClass>) {
      super(...args)
      made.push(args)
    }
  }
  const t = tab('a', { Socket: Recording, protocol: 'chat', channel: 'prices' })
  t.in(() => t.subject.subscribe())
  await allOpen([t], 1)
  expect(made).toHaveLength(1)
  const [url, protocol, options] = made[0] as [string, string, Record<string, unknown>]
  expect([url, protocol]).toEqual([server.url, 'chat'])
  expect(options.channel).toBe('prices')
  expect(options.WebSocket).toBe(WebSocket)
})

describe('three tabs with Socket: SharedWebSocket', () => {
  test("share one server connection; every tab's subscribers receive every message; each tab's next() reaches the server", async () => {
    const { tabs, client } = await subscribedTabs(['a', 'b', 'c'])
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    const second: string[] = []
    b.in(() => b.subject.subscribe(record(second)))
    for (const n of [1, 2, 3]) client.socket.send(JSON.stringify({ n }))
    for (const log of [a.log, b.log, c.log, second]) await entries(log, 3)
    for (const log of [a.log, b.log, c.log, second])
      expect(log).toEqual(['next:{"n":1}', 'next:{"n":2}', 'next:{"n":3}'])
    for (const t of tabs) for (const n of [1, 2]) t.subject.next(`${tabs.indexOf(t)}:${n}`)
    await server.receivedCount(6)
    expect(from(client.messages, '0')).toEqual(['"0:1"', '"0:2"'])
    expect(from(client.messages, '1')).toEqual(['"1:1"', '"1:2"'])
    expect(from(client.messages, '2')).toEqual(['"2:1"', '"2:2"'])
    expect(server.clients).toHaveLength(1)
  })

  test('a URL function with a channel: the tabs of that channel share one connection, another channel has its own', async () => {
    const url = () => server.url
    const [a, b] = [tab('a', { url, channel: 'prices' }), tab('b', { url, channel: 'prices' })]
    const c = tab('c', { url, channel: 'news' })
    for (const t of [a, b, c]) t.in(() => t.subject.subscribe())
    await allOpen([a, b, c], 1)
    expect(server.clients).toHaveLength(2)
    const channels = new Set(browser.posted.map((p) => `${p.tab}:${p.channel}`))
    expect([...channels].sort()).toEqual(['a:lifeline:prices', 'b:lifeline:prices', 'c:lifeline:news'])
  })

  test('complete() in one tab detaches that tab only: the connection and the other tabs go on', async () => {
    const { tabs, client } = await subscribedTabs(['a', 'b', 'c'])
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    b.subject.complete()
    expect(b.log).toEqual(['complete'])
    b.subject.next('b-ignored')
    c.subject.next('c-after')
    client.socket.send('"later"')
    await entries(a.log, 1)
    await entries(c.log, 1)
    await server.receivedCount(1)
    expect([a.log, c.log]).toEqual([['next:"later"'], ['next:"later"']])
    expect(b.log).toEqual(['complete'])
    expect(server.received).toEqual(['"c-after"'])
    expect(server.clients).toHaveLength(1)
    expect(client.socket.readyState).toBe(WebSocket.OPEN)
  })

  const leaving = {
    'complete()': (t: Tab, _subscription: Subscription) => t.subject.complete(),
    'its last subscriber leaving (closeDelay 0)': (_t: Tab, subscription: Subscription) => subscription.unsubscribe(),
  }
  for (const [how, leave] of Object.entries(leaving)) {
    test(`the leader tab's subject ending by ${how} hands the connection over: what the other tabs sent arrives once, in order`, async () => {
      const tabs = ['a', 'b', 'c'].map((name) => tab(name, { closeDelay: 0 }))
      const [a, b, c] = tabs as [Tab, Tab, Tab]
      const subscription = a.in(() => a.subject.subscribe(record(a.log)))
      for (const t of [b, c]) t.in(() => t.subject.subscribe(record(t.log)))
      await server.connection(1)
      await allOpen(tabs, 1)
      await stopServer(tabs)
      // Held by the leader tab's socket while the server is down, and kept by their tabs until it takes them.
      for (const n of [1, 2, 3]) {
        b.subject.next(`b${n}`)
        c.subject.next(`c${n}`)
      }
      leave(a, subscription)
      b.subject.next('b4')
      await server.restart()
      // Whichever connection the tabs' messages go out on (the old leader tab's socket may connect once before it
      // closes), each arrives once, in its tab's order.
      await server.receivedCount(7)
      c.subject.next('c-end')
      await until(() => server.received.includes('"c-end"'), 5000, 'the last message')
      expect(from(server.received, 'b')).toEqual(['"b1"', '"b2"', '"b3"', '"b4"'])
      expect(from(server.received, 'c')).toEqual(['"c1"', '"c2"', '"c3"', '"c-end"'])
      expect(server.received).toHaveLength(8)
      const live = server.clients.find((client) => client.messages.includes('"c-end"'))!
      live.socket.send('"after"')
      await entries(b.log, 1)
      await entries(c.log, 1)
      expect([b.log, c.log]).toEqual([['next:"after"'], ['next:"after"']])
      expect(a.log).toEqual(how === 'complete()' ? ['complete'] : [])
    })
  }

  for (const first of ['a', 'b']) {
    test(`subjects that let their sockets go (${first}'s first) and connect again send what they sent before, once`, async () => {
      const tabs = ['a', 'b'].map((name) => tab(name, { closeDelay: 0 }))
      const [a, b] = tabs as [Tab, Tab]
      const subscriptions = tabs.map((t) => t.in(() => t.subject.subscribe()))
      await server.connection(1)
      await allOpen(tabs, 1)
      await stopServer(tabs)
      // Both values wait in the leader tab's socket, which goes when its subject lets it go.
      b.subject.next('b1')
      a.subject.next('a1')
      if (first === 'b') subscriptions.reverse()
      for (const subscription of subscriptions) subscription.unsubscribe()
      await until(() => tabs.every((t) => t.closes.at(-1)?.willReconnect === false), 5000, 'both sockets closed')
      for (const t of [b, a]) t.in(() => t.subject.subscribe())
      await server.restart()
      await allOpen(tabs, 2)
      b.subject.next('b2')
      await until(() => server.received.includes('"b2"'), 5000, 'the last value')
      expect(server.received.slice().sort()).toEqual(['"a1"', '"b1"', '"b2"'])
    })
  }

  test("a follower's subject that lets its socket go while the connection is down, and connects again, sends its value once", async () => {
    const a = tab('a')
    const b = tab('b', { closeDelay: 0 })
    a.in(() => a.subject.subscribe())
    const first = b.in(() => b.subject.subscribe())
    await server.connection(1)
    await allOpen([a, b], 1)
    await stopServer([a, b])
    // b1 waits in the socket of tab a, which holds the connection; b's socket goes and takes it back.
    b.subject.next('b1')
    first.unsubscribe()
    await until(() => b.closes.at(-1)?.willReconnect === false, 5000, "b's socket closed")
    b.in(() => b.subject.subscribe())
    await server.restart()
    await allOpen([a, b], 2)
    b.subject.next('b2')
    await until(() => server.received.includes('"b2"'), 5000, 'the last value')
    expect(server.received).toEqual(['"b1"', '"b2"'])
  })

  test("multiplex: each tab subscribes for itself, and every tab's topics are subscribed again after a reconnect and a handover", async () => {
    const tabs = ['a', 'b', 'c'].map((name) => tab(name))
    const [a, b, c] = tabs as [Tab, Tab, Tab]
    const topic = (t: Tab, name: string) =>
      t.subject.multiplex(
        () => ({ sub: name }),
        () => ({ unsub: name }),
        (m) => m.topic === name,
      )
    const logs = { a: [] as string[], b: [] as string[], c: [] as string[] }
    a.in(() => topic(a, 'x').subscribe(record(logs.a)))
    b.in(() => topic(b, 'y').subscribe(record(logs.b)))
    c.in(() => topic(c, 'x').subscribe(record(logs.c)))
    const subscribes = ['{"sub":"x"}', '{"sub":"x"}', '{"sub":"y"}']

    const first = await server.connection(1)
    await until(() => first.messages.length >= 3, 5000, 'the subscriptions')
    expect(first.messages.slice().sort()).toEqual(subscribes)
    await allOpen(tabs, 1)
    first.socket.send('{"topic":"x","v":1}')
    first.socket.send('{"topic":"y","v":2}')
    await entries(logs.a, 1)
    await entries(logs.b, 1)
    await entries(logs.c, 1)
    expect(logs).toEqual({
      a: ['next:{"topic":"x","v":1}'],
      b: ['next:{"topic":"y","v":2}'],
      c: ['next:{"topic":"x","v":1}'],
    })

    // A lost connection, reconnected by the leader tab: its handshake subscribes its topic, the others theirs.
    server.terminateAll()
    const second = await server.connection(2)
    await until(() => second.messages.length >= 3, 5000, 'the subscriptions again')
    await allOpen(tabs, 2)
    c.subject.next('c-marker')
    await until(() => second.messages.includes('"c-marker"'), 5000, 'the marker')
    expect(second.messages.filter((m) => m !== '"c-marker"').sort()).toEqual(subscribes)

    // The leader tab leaves: the next leader's handshake subscribes its topic, the remaining follower its own.
    a.subject.complete()
    const third = await server.connection(3)
    await until(() => third.messages.length >= 2, 5000, 'the subscriptions after the handover')
    await allOpen([b, c], 3)
    third.socket.send('{"topic":"y","v":3}')
    third.socket.send('{"topic":"x","v":4}')
    await entries(logs.b, 2)
    await entries(logs.c, 2)
    expect(third.messages.slice().sort()).toEqual(['{"sub":"x"}', '{"sub":"y"}'])
    expect(logs.b.at(-1)).toBe('next:{"topic":"y","v":3}')
    expect(logs.c.at(-1)).toBe('next:{"topic":"x","v":4}')
    expect(logs.a).toEqual(['next:{"topic":"x","v":1}', 'complete'])
  })

  test('a topic a follower tab subscribes while the connection is down is subscribed once when it is back', async () => {
    const { tabs } = await subscribedTabs(['a', 'b'])
    const [, b] = tabs as [Tab, Tab]
    await stopServer(tabs)
    const log: string[] = []
    b.in(() =>
      b.subject
        .multiplex(
          () => ({ sub: 'z' }),
          () => ({ unsub: 'z' }),
          (m) => m.topic === 'z',
        )
        .subscribe(record(log)),
    )
    await server.restart()
    const second = await server.connection(2)
    await allOpen(tabs, 2)
    b.subject.next('b-marker')
    await until(() => second.messages.includes('"b-marker"'), 5000, 'the marker')
    expect(second.messages).toEqual(['{"sub":"z"}', '"b-marker"'])
    second.socket.send('{"topic":"z"}')
    await entries(log, 1)
    expect(log).toEqual(['next:{"topic":"z"}'])
  })
})

test("the README's example in two tabs: one connection, every tab receives every tick, both values arrive", async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    for (const name of ['one', 'two']) {
      const prices$ = webSocket<{ pair: string; price: number }>({
        url: server.url, // the README's 'wss://example.com/prices'
        WebSocketCtor: WebSocket, // Node 20 has no global WebSocket
        Socket: SharedWebSocket,
        channel: 'prices',
      })
      subjects.push(prices$)
      browser.in(name, () => prices$.subscribe((tick) => console.log(tick.pair, tick.price)))
      prices$.next({ pair: 'EURUSD', price: 0 })
    }
    const client = await server.connection(1)
    await server.receivedCount(2)
    expect(server.received).toEqual(['{"pair":"EURUSD","price":0}', '{"pair":"EURUSD","price":0}'])
    client.socket.send('{"pair":"EURUSD","price":1.1}')
    await until(() => log.mock.calls.length >= 2, 5000, 'both tabs to log the tick')
    expect(log.mock.calls).toEqual([
      ['EURUSD', 1.1],
      ['EURUSD', 1.1],
    ])
    expect(server.clients).toHaveLength(1)
  } finally {
    log.mockRestore()
  }
})

test('without navigator.locks (Node): each subject has its own connection and resubscribes its topics in the handshake', async () => {
  browser.uninstall()
  const [a, b] = [tab('a'), tab('b')]
  for (const t of [a, b]) {
    t.subject
      .multiplex(
        () => ({ sub: 'x' }),
        () => ({ unsub: 'x' }),
        () => true,
      )
      .subscribe()
  }
  await allOpen([a, b], 1)
  expect(server.clients).toHaveLength(2)
  const subscribed = () =>
    Promise.all(server.clients.map((c) => until(() => c.messages.length >= 1, 5000, 'the subscription')))
  await subscribed()
  server.terminateAll()
  await server.connection(4)
  await subscribed()
  expect(server.clients.map((client) => client.messages)).toEqual(Array(4).fill(['{"sub":"x"}']))
})

describe('a user function that throws in one tab', () => {
  test('a throwing serializer, deserializer, observer or subscriber in the leader tab breaks no other tab', async () => {
    const boom = (what: string) => () => {
      throw new Error(what)
    }
    const a = tab('a', {
      serializer: (value: string) => {
        if (value === 'bad') throw new Error('serializer')
        return JSON.stringify(value)
      },
      deserializer: (event) => (event.data === '"poison"' ? boom('deserializer')() : JSON.parse(event.data)),
      openObserver: { next: boom('openObserver') },
    })
    const [b, c] = [tab('b'), tab('c')]
    const throwing = a.in(() => a.subject.subscribe({ next: boom('subscriber') }))
    a.in(() => a.subject.subscribe(record(a.log)))
    for (const t of [b, c]) t.in(() => t.subject.subscribe(record(t.log)))
    const client = await server.connection(1)
    await allOpen([b, c], 1)
    expect(() => a.subject.next('bad')).toThrow('serializer')
    a.subject.next('a-good')
    b.subject.next('b-good')
    client.socket.send('"poison"')
    client.socket.send('"fine"')
    await entries(a.log, 1)
    await entries(b.log, 2)
    await entries(c.log, 2)
    await server.receivedCount(2)
    expect(a.log).toEqual(['next:"fine"'])
    expect([b.log, c.log]).toEqual([
      ['next:"poison"', 'next:"fine"'],
      ['next:"poison"', 'next:"fine"'],
    ])
    expect(server.received.slice().sort()).toEqual(['"a-good"', '"b-good"'])
    await until(() => reported.length >= 3, 5000, 'the reports')
    expect(reported.map((error) => (error as Error).message).sort()).toEqual([
      'deserializer',
      'openObserver',
      'subscriber',
    ])
    throwing.unsubscribe()
  })
})

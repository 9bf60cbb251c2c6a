import { FakePingWebSocket, FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, describe, expect, test, vi } from 'vitest'
import {
  type ForegroundSignal,
  type NetworkSignal,
  type ReconnectingEvent,
  ResilientWebSocket,
  type ResilientWebSocketOptions,
  type RetryContext,
  type SocketCloseEvent,
  type WebSocketConstructor,
} from '../../src'
import { track, useFakeSockets } from '../helpers/fake-sockets'
import { heartbeatSlack } from './fake-clock'

const URL = 'ws://signals.test/feed'
const MIN_DELAY = 100
const MAX_DELAY = 5000

/** A network signal the test switches on and off. */
class FakeNetwork implements NetworkSignal {
  listeners: ((online: boolean) => void)[] = []
  subscriptions = 0
  readonly unsubscribe = vi.fn()

  constructor(public online: boolean | undefined) {}

  isOnline(): boolean | undefined {
    return this.online
  }

  subscribe(listener: (online: boolean) => void): () => void {
    this.subscriptions++
    this.listeners.push(listener)
    return () => {
      this.unsubscribe()
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  set(online: boolean): void {
    this.online = online
    for (const listener of [...this.listeners]) listener(online)
  }
}

/** A foreground signal the test fires. */
class FakeForeground implements ForegroundSignal {
  listeners: (() => void)[] = []
  subscriptions = 0
  readonly unsubscribe = vi.fn()

  subscribe(listener: () => void): () => void {
    this.subscriptions++
    this.listeners.push(listener)
    return () => {
      this.unsubscribe()
      this.listeners = this.listeners.filter((l) => l !== listener)
    }
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

// Registered before useFakeSockets(), so it runs after every socket is closed.
afterEach(() => {
  vi.unstubAllGlobals()
})
useFakeSockets()

function create(options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  return track(
    new ResilientWebSocket(URL, {
      WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
      reconnect: { minDelay: MIN_DELAY, maxDelay: MAX_DELAY, jitter: 'none' },
      ...options,
    }),
  )
}

function record(socket: ResilientWebSocket): { closes: SocketCloseEvent[]; retries: ReconnectingEvent[] } {
  const closes: SocketCloseEvent[] = []
  const retries: ReconnectingEvent[] = []
  socket.on('close', (event) => closes.push(event))
  socket.on('reconnecting', (event) => retries.push(event))
  return { closes, retries }
}

function attempts(): number {
  return FakeWebSocket.instances.length
}

describe('network signal', () => {
  test('failed attempts while offline do not count against maxAttempts', async () => {
    const network = new FakeNetwork(false)
    const socket = create({
      reconnect: { minDelay: MIN_DELAY, maxDelay: MAX_DELAY, jitter: 'none', maxAttempts: 2 },
      lifecycle: { network, foreground: false },
    })
    const { closes } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    for (let failure = 1; failure <= 5; failure++) {
      expect(attempts()).toBe(failure)
      FakeWebSocket.last().fail()
      expect(closes.at(-1)!.willReconnect).toBe(true)
      expect(socket.state).toBe('reconnecting')
      await vi.advanceTimersByTimeAsync(MAX_DELAY)
    }
    expect(attempts()).toBe(6)
    expect(socket.readyState).toBe(ResilientWebSocket.CONNECTING)
    // Online, maxAttempts counts again: two failures in a row and lifeline gives up.
    network.online = true
    FakeWebSocket.last().fail()
    expect(closes.at(-1)!.willReconnect).toBe(true)
    await vi.advanceTimersByTimeAsync(MAX_DELAY)
    expect(attempts()).toBe(7)
    FakeWebSocket.last().fail()
    expect(closes.at(-1)!.willReconnect).toBe(false)
    expect(socket.state).toBe('closed')
  })

  test('while offline, retries wait maxDelay', async () => {
    const network = new FakeNetwork(false)
    const socket = create({ lifecycle: { network, foreground: false } })
    const { retries } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    for (let failure = 1; failure <= 3; failure++) {
      FakeWebSocket.last().fail()
      expect(retries.at(-1)!.delay).toBe(MAX_DELAY)
      await vi.advanceTimersByTimeAsync(MAX_DELAY - 1)
      expect(attempts()).toBe(failure)
      await vi.advanceTimersByTimeAsync(1)
      expect(attempts()).toBe(failure + 1)
    }
  })

  test('the retry context reports the network', async () => {
    const network = new FakeNetwork(false)
    const contexts: RetryContext[] = []
    const socket = create({
      reconnect: (ctx) => {
        contexts.push(ctx)
        return MIN_DELAY
      },
      lifecycle: { network, foreground: false },
    })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    network.online = true
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().fail()
    network.online = undefined
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().fail()
    expect(contexts.map((ctx) => ctx.online)).toEqual([false, true, undefined])
    expect(socket.state).toBe('reconnecting')
  })

  test('going online retries at once, without waiting for the timer', async () => {
    const network = new FakeNetwork(false)
    const socket = create({ lifecycle: { network, foreground: false } })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    expect(attempts()).toBe(1)
    network.set(true)
    expect(attempts()).toBe(2)
    expect(socket.state).toBe('connecting')
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
    // The cancelled retry timer does not start another attempt later.
    await vi.advanceTimersByTimeAsync(2 * MAX_DELAY)
    expect(attempts()).toBe(2)
  })

  test('an "online" report never prevents retries', async () => {
    const network = new FakeNetwork(true)
    const socket = create({ lifecycle: { network, foreground: false } })
    const { retries } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(retries.at(-1)!.delay).toBe(MIN_DELAY)
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    expect(attempts()).toBe(2)
    // Online reported again and again while the server stays away: retries continue with backoff.
    network.set(true)
    FakeWebSocket.last().fail()
    network.set(true)
    expect(retries.at(-1)!.delay).toBe(2 * MIN_DELAY)
    await vi.advanceTimersByTimeAsync(2 * MIN_DELAY)
    expect(attempts()).toBe(3)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })

  test('a network that cannot tell (undefined) is treated as online', async () => {
    const network = new FakeNetwork(undefined)
    const socket = create({
      reconnect: { minDelay: MIN_DELAY, maxDelay: MAX_DELAY, jitter: 'none', maxAttempts: 2 },
      lifecycle: { network, foreground: false },
    })
    const { closes, retries } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(retries.at(-1)!.delay).toBe(MIN_DELAY)
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().fail()
    expect(closes.at(-1)!.willReconnect).toBe(false)
  })

  test('going online or offline while open checks the connection with a ping', async () => {
    const network = new FakeNetwork(true)
    const socket = track(
      new ResilientWebSocket(URL, {
        WebSocket: FakePingWebSocket as unknown as WebSocketConstructor,
        heartbeat: { interval: 10_000, timeout: 1000 },
        lifecycle: { network, foreground: false },
      }),
    )
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    network.set(false)
    expect(ws.pings).toBe(1)
    ws.pong()
    network.set(true)
    expect(ws.pings).toBe(2)
    expect(socket.state).toBe('open')
  })
})

describe('foreground signal', () => {
  test('a pending retry starts at once', async () => {
    const foreground = new FakeForeground()
    const socket = create({ lifecycle: { network: false, foreground } })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    foreground.fire()
    expect(attempts()).toBe(2)
    expect(socket.state).toBe('connecting')
    await vi.advanceTimersByTimeAsync(MAX_DELAY)
    expect(attempts()).toBe(2)
  })

  test('an open connection is checked now: a ping goes out, and its timeout applies', async () => {
    const foreground = new FakeForeground()
    const socket = track(
      new ResilientWebSocket(URL, {
        WebSocket: FakePingWebSocket as unknown as WebSocketConstructor,
        heartbeat: { interval: 10_000, timeout: 1000 },
        reconnect: { minDelay: MIN_DELAY, maxDelay: MIN_DELAY, jitter: 'none' },
        lifecycle: { network: false, foreground },
      }),
    )
    const { closes } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    await vi.advanceTimersByTimeAsync(100)
    foreground.fire()
    expect(ws.pings).toBe(1)
    foreground.fire()
    expect(ws.pings).toBe(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(closes).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(heartbeatSlack(10_000, 1000) + 1)
    expect(closes.map((event) => event.code)).toEqual([1006])
    expect(ws.terminated).toBe(true)
  })

  test('an answered check keeps the connection', async () => {
    const foreground = new FakeForeground()
    const socket = track(
      new ResilientWebSocket(URL, {
        WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
        heartbeat: { interval: 10_000, timeout: 1000, message: 'ping', isPong: (data) => data === 'pong' },
        lifecycle: { network: false, foreground },
      }),
    )
    const { closes } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    ws.open()
    foreground.fire()
    expect(ws.sent).toEqual(['ping'])
    await vi.advanceTimersByTimeAsync(20)
    ws.receive('pong')
    expect(socket.latency).toBe(20)
    await vi.advanceTimersByTimeAsync(5000)
    expect(closes).toHaveLength(0)
  })

  test('without a heartbeat, coming back to the foreground leaves an open connection alone', async () => {
    const foreground = new FakeForeground()
    const socket = create({ lifecycle: { network: false, foreground } })
    await vi.advanceTimersByTimeAsync(0)
    const ws = FakeWebSocket.last()
    ws.open()
    foreground.fire()
    expect(ws.sent).toEqual([])
    expect(attempts()).toBe(1)
    expect(socket.state).toBe('open')
  })
})

describe('turning signals off', () => {
  test('network: false and foreground: false ignore the browser signals', async () => {
    const window = { addEventListener: vi.fn(), removeEventListener: vi.fn() }
    const document = { addEventListener: vi.fn(), removeEventListener: vi.fn(), visibilityState: 'visible' }
    vi.stubGlobal('window', window)
    vi.stubGlobal('document', document)
    vi.stubGlobal('navigator', { onLine: false })
    const contexts: RetryContext[] = []
    const socket = create({
      reconnect: (ctx) => {
        contexts.push(ctx)
        return ctx.attempt < 2 ? MIN_DELAY : null
      },
      lifecycle: { network: false, foreground: false },
    })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().fail()
    expect(window.addEventListener).not.toHaveBeenCalled()
    expect(document.addEventListener).not.toHaveBeenCalled()
    // navigator.onLine says offline, but the network is ignored: attempts count and nothing is reported.
    expect(contexts.map((ctx) => ctx.online)).toEqual([undefined, undefined])
    expect(socket.state).toBe('closed')
  })

  test('false for one signal keeps the other', async () => {
    const foreground = new FakeForeground()
    create({ lifecycle: { network: false, foreground } })
    const network = new FakeNetwork(true)
    create({ lifecycle: { network, foreground: false } })
    await vi.advanceTimersByTimeAsync(0)
    expect(foreground.subscriptions).toBe(1)
    expect(network.subscriptions).toBe(1)
  })
})

describe('subscriptions', () => {
  test('are made after the constructor returns and removed on close()', async () => {
    const network = new FakeNetwork(true)
    const foreground = new FakeForeground()
    const socket = create({ lifecycle: { network, foreground } })
    expect(network.subscriptions).toBe(0)
    expect(foreground.subscriptions).toBe(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(network.subscriptions).toBe(1)
    expect(foreground.subscriptions).toBe(1)
    FakeWebSocket.last().open()
    socket.close()
    expect(network.unsubscribe).toHaveBeenCalledTimes(1)
    expect(foreground.unsubscribe).toHaveBeenCalledTimes(1)
    expect(network.listeners).toHaveLength(0)
    expect(foreground.listeners).toHaveLength(0)
    socket.close()
    expect(network.unsubscribe).toHaveBeenCalledTimes(1)
  })

  test('are removed on close() while waiting to retry; later signals start nothing', async () => {
    const network = new FakeNetwork(false)
    const foreground = new FakeForeground()
    const socket = create({ lifecycle: { network, foreground } })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    socket.close()
    expect(network.unsubscribe).toHaveBeenCalledTimes(1)
    expect(foreground.unsubscribe).toHaveBeenCalledTimes(1)
    network.set(true)
    foreground.fire()
    expect(attempts()).toBe(1)
    expect(socket.state).toBe('closed')
  })

  test('are never made when close() comes before the first attempt', async () => {
    const network = new FakeNetwork(true)
    const foreground = new FakeForeground()
    const socket = create({ lifecycle: { network, foreground } })
    socket.close()
    await vi.advanceTimersByTimeAsync(0)
    expect(network.subscriptions).toBe(0)
    expect(foreground.subscriptions).toBe(0)
  })

  test('are removed on giving up, and made again by reconnect()', async () => {
    const network = new FakeNetwork(true)
    const foreground = new FakeForeground()
    const socket = create({ reconnect: false, lifecycle: { network, foreground } })
    const { closes } = record(socket)
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(closes.at(-1)!.willReconnect).toBe(false)
    expect(network.unsubscribe).toHaveBeenCalledTimes(1)
    expect(foreground.unsubscribe).toHaveBeenCalledTimes(1)
    foreground.fire()
    network.set(true)
    expect(attempts()).toBe(1)
    socket.reconnect()
    expect(network.subscriptions).toBe(2)
    expect(foreground.subscriptions).toBe(2)
    expect(attempts()).toBe(2)
  })

  test('are removed when maxAttempts runs out', async () => {
    const network = new FakeNetwork(true)
    const foreground = new FakeForeground()
    const socket = create({
      reconnect: { minDelay: MIN_DELAY, maxDelay: MIN_DELAY, jitter: 'none', maxAttempts: 2 },
      lifecycle: { network, foreground },
    })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(network.unsubscribe).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('closed')
    expect(network.unsubscribe).toHaveBeenCalledTimes(1)
    expect(foreground.unsubscribe).toHaveBeenCalledTimes(1)
  })

  test('survive reconnections: one subscription per socket', async () => {
    const network = new FakeNetwork(true)
    const socket = create({ lifecycle: { network, foreground: false } })
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    await vi.advanceTimersByTimeAsync(MIN_DELAY)
    FakeWebSocket.last().open()
    socket.reconnect()
    FakeWebSocket.last().open()
    expect(network.subscriptions).toBe(1)
    expect(network.listeners).toHaveLength(1)
    expect(socket.state).toBe('open')
  })
})

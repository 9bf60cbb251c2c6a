import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import {
  CONNECT_TIMEOUT,
  type ReconnectingEvent,
  type ResilientWebSocket,
  type RetryContext,
  SocketCloseEvent,
  type SocketErrorEvent,
  type SocketOpenEvent,
} from '../../src'
import { flush, TEST_URL, useFakeSockets } from '../helpers/fake-sockets'
import { seededRandom } from './seeded-random'

const make = useFakeSockets()
/** Exact delays: 100, 200, 400, 800, 1000, 1000, ... */
const exact = { minDelay: 100, maxDelay: 1000, factor: 2, jitter: 'none' as const }

function collect<T>(socket: ResilientWebSocket, type: 'reconnecting' | 'open' | 'close' | 'error'): T[] {
  const events: T[] = []
  socket.on(type, (event: unknown) => events.push(event as T))
  return events
}

/** Fails the newest attempt and lets the retry timer run; returns the delay that was announced. */
async function failAndWait(socket: ResilientWebSocket): Promise<number> {
  let delay = -1
  socket.once('reconnecting', (event) => (delay = event.delay))
  FakeWebSocket.last().fail()
  await flush(delay)
  return delay
}

describe('backoff in the state machine', () => {
  test('reconnecting announces attempt and delay, and the next attempt starts exactly then', async () => {
    const socket = make({ reconnect: exact })
    const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
    await flush()
    for (let i = 0; i < 6; i++) {
      const count = FakeWebSocket.instances.length
      FakeWebSocket.last().fail()
      const { delay } = retries.at(-1)!
      await flush(delay - 1)
      expect(FakeWebSocket.instances).toHaveLength(count)
      expect(socket.state).toBe('reconnecting')
      await flush(1)
      expect(FakeWebSocket.instances).toHaveLength(count + 1)
      expect(socket.state).toBe('connecting')
    }
    expect(retries.map((event) => [event.attempt, event.delay])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1000],
      [6, 1000],
    ])
    expect(retries[0]!.reason).toBeInstanceOf(SocketCloseEvent)
    expect((retries[0]!.reason as SocketCloseEvent).code).toBe(1006)
  })

  test('with the defaults (full jitter) the first retry waits at most minDelay (1000 ms)', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.9999)
    try {
      const socket = make({ reconnect: undefined })
      const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
      await flush()
      FakeWebSocket.last().fail()
      expect(retries[0]!.delay).toBeCloseTo(999.9, 6)
      await flush(1000)
      FakeWebSocket.last().fail()
      expect(retries[1]!.delay).toBeCloseTo(1999.8, 6)
    } finally {
      random.mockRestore()
    }
  })

  test('full jitter with a seeded random: random × min(maxDelay, minDelay · factor^n)', async () => {
    const reconnect = { minDelay: 100, maxDelay: 2000, factor: 2, jitter: 'full' as const, random: seededRandom(5) }
    const socket = make({ reconnect })
    const expected = seededRandom(5)
    await flush()
    for (let n = 0; n < 8; n++) {
      const delay = await failAndWait(socket)
      const cap = Math.min(2000, 100 * 2 ** n)
      expect(delay).toBe(expected() * cap)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(cap)
    }
  })
})

describe('maxAttempts', () => {
  test('counts the first connection: 3 failed attempts, then a final close; reconnect() starts a fresh count', async () => {
    const socket = make({ reconnect: { ...exact, maxAttempts: 3 } })
    const log = recordEvents(socket, ['close', 'reconnecting'])
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(200)
    FakeWebSocket.last().fail()
    expect(FakeWebSocket.instances).toHaveLength(3)
    expect(log).toEqual(['close:1006:true', 'reconnecting:1', 'close:1006:true', 'reconnecting:2', 'close:1006:false'])
    expect(socket.readyState).toBe(socket.CLOSED)
    expect(socket.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(3)

    expect(socket.send('kept')).toBe(true)
    expect(socket.queued).toEqual(['kept'])

    log.length = 0
    socket.reconnect()
    expect(FakeWebSocket.instances).toHaveLength(4)
    expect(socket.state).toBe('connecting')
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(200)
    FakeWebSocket.last().fail()
    expect(FakeWebSocket.instances).toHaveLength(6)
    expect(log).toEqual(['close:1006:true', 'reconnecting:1', 'close:1006:true', 'reconnecting:2', 'close:1006:false'])
    expect(socket.state).toBe('closed')

    socket.reconnect()
    FakeWebSocket.last().open()
    expect(FakeWebSocket.last().sent).toEqual(['kept'])
    expect(socket.queued).toEqual([])
  })

  test('a connection that opens but drops before stableAfter counts as a failed attempt', async () => {
    const socket = make({ reconnect: { ...exact, maxAttempts: 2, stableAfter: 1000 } })
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    await flush(100)
    FakeWebSocket.last().open()
    await flush(999)
    FakeWebSocket.last().serverClose(1006)
    expect(closes.map((event) => event.willReconnect)).toEqual([true, false])
    expect(socket.state).toBe('closed')
  })

  test('maxAttempts 1: the first failure gives up', async () => {
    const socket = make({ reconnect: { maxAttempts: 1 } })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['error', 'close:1006:false'])
  })
})

describe('stableAfter', () => {
  test('a server that accepts and drops at once sees growing delays', async () => {
    const socket = make({ reconnect: { ...exact, stableAfter: 1000 } })
    const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
    const opens = collect<SocketOpenEvent>(socket, 'open')
    await flush()
    for (let i = 0; i < 5; i++) {
      FakeWebSocket.last().open()
      FakeWebSocket.last().serverClose(1006)
      await flush(retries.at(-1)!.delay)
    }
    expect(retries.map((event) => event.delay)).toEqual([100, 200, 400, 800, 1000])
    expect(retries.map((event) => event.attempt)).toEqual([1, 2, 3, 4, 5])
    expect(opens.map((event) => event.attempt)).toEqual([0, 1, 2, 3, 4])
  })

  test('the count resets only once a connection stayed open stableAfter ms', async () => {
    const socket = make({ reconnect: { ...exact, stableAfter: 1000 } })
    const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(200)
    FakeWebSocket.last().open()
    await flush(999)
    FakeWebSocket.last().serverClose(1006)
    expect(retries.at(-1)).toMatchObject({ attempt: 3, delay: 400 })
    await flush(400)
    FakeWebSocket.last().open()
    await flush(1000)
    FakeWebSocket.last().serverClose(1006)
    expect(retries.at(-1)).toMatchObject({ attempt: 1, delay: 100 })
    expect(retries.map((event) => event.delay)).toEqual([100, 200, 400, 100])
  })
})

describe('retry policy function', () => {
  test('gets a RetryContext before every retry; null gives up', async () => {
    const contexts: RetryContext[] = []
    const policy = vi.fn((ctx: RetryContext) => {
      contexts.push(ctx)
      return ctx.attempt < 3 ? 250 * ctx.attempt : null
    })
    const socket = make({ reconnect: policy })
    const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    FakeWebSocket.last().fail()
    await flush(250)
    await flush(50)
    FakeWebSocket.last().fail()
    await flush(500)
    FakeWebSocket.last().fail()
    expect(policy).toHaveBeenCalledTimes(3)
    expect(contexts.map(({ attempt, elapsed, online }) => ({ attempt, elapsed, online }))).toEqual([
      { attempt: 1, elapsed: 0, online: undefined },
      { attempt: 2, elapsed: 300, online: undefined },
      { attempt: 3, elapsed: 800, online: undefined },
    ])
    for (const ctx of contexts) expect(ctx.reason).toBeInstanceOf(SocketCloseEvent)
    expect(contexts[0]!.reason).toBe(closes[0])
    expect(retries.map((event) => [event.attempt, event.delay])).toEqual([
      [1, 250],
      [2, 500],
    ])
    expect(closes.map((event) => event.willReconnect)).toEqual([true, true, false])
    expect(socket.state).toBe('closed')
    expect(FakeWebSocket.instances).toHaveLength(3)
  })

  test('elapsed counts from the loss of an open connection; online comes from the network signal', async () => {
    const contexts: RetryContext[] = []
    const network = { isOnline: () => true, subscribe: () => () => {} }
    const socket = make({
      reconnect: (ctx) => {
        contexts.push(ctx)
        return 100
      },
      lifecycle: { network, foreground: false },
    })
    await flush()
    FakeWebSocket.last().open()
    await flush(7000)
    FakeWebSocket.last().serverClose(1001, 'going away', true)
    await flush(100)
    FakeWebSocket.last().fail()
    expect(contexts.map(({ attempt, elapsed, online }) => ({ attempt, elapsed, online }))).toEqual([
      { attempt: 1, elapsed: 0, online: true },
      { attempt: 2, elapsed: 100, online: true },
    ])
    expect((contexts[0]!.reason as SocketCloseEvent).code).toBe(1001)
    expect(socket.state).toBe('reconnecting')
  })

  test('reason is the error when lifeline knows one, as in the reconnecting event', async () => {
    const failure = new Error('token service down')
    const url = vi.fn().mockRejectedValueOnce(failure).mockResolvedValue(TEST_URL)
    const contexts: RetryContext[] = []
    const socket = make(
      {
        reconnect: (ctx) => {
          contexts.push(ctx)
          return 100
        },
      },
      url,
    )
    const retries = collect<ReconnectingEvent>(socket, 'reconnecting')
    await flush()
    expect(contexts[0]!.reason).toBe(failure)
    expect(retries[0]!.reason).toBe(failure)
    await flush(100)
    FakeWebSocket.last().fail()
    expect(contexts[1]!.reason).toBeInstanceOf(SocketCloseEvent)
    expect(retries[1]!.reason).toBe(contexts[1]!.reason)
  })

  test('a policy answering a negative delay, NaN or Infinity: an error event naming it, and a give-up', async () => {
    for (const answer of [-50, Number.NaN, Number.POSITIVE_INFINITY]) {
      FakeWebSocket.reset()
      const socket = make({ reconnect: () => answer })
      const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
      const errors = collect<SocketErrorEvent>(socket, 'error')
      await flush()
      FakeWebSocket.last().fail()
      expect(log).toEqual(['error', 'error', 'close:1006:false'])
      expect(errors[1]!.hook).toBe('reconnect')
      expect(errors[1]!.error).toBeInstanceOf(RangeError)
      expect(socket.state).toBe('closed')
      await flush(60_000)
      expect(FakeWebSocket.instances).toHaveLength(1)
    }
  })
})

describe('close codes', () => {
  test('by default a server close with 1008 does not reconnect', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['close', 'reconnecting'])
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1008, 'policy', true)
    expect(log).toEqual(['close:1008:false'])
    expect(closes[0]).toMatchObject({ code: 1008, reason: 'policy', wasClean: true })
    expect(socket.state).toBe('closed')
    await flush(10_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('other server close codes reconnect by default', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['close'])
    await flush()
    for (const code of [1000, 1001, 1011, 4000]) {
      FakeWebSocket.last().open()
      FakeWebSocket.last().serverClose(code, '', true)
      await flush(1000)
    }
    expect(log).toEqual(['close:1000:true', 'close:1001:true', 'close:1011:true', 'close:4000:true'])
  })

  test('fatalCloseCodes replaces the default set', async () => {
    const socket = make({ reconnect: exact, fatalCloseCodes: [4001, 4002] })
    const log = recordEvents(socket, ['close'])
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1008, 'policy', true)
    await flush(100)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(4002, 'banned', true)
    expect(log).toEqual(['close:1008:true', 'close:4002:false'])
    expect(socket.state).toBe('closed')
  })

  test('shouldReconnect replaces fatalCloseCodes and sees every loss, 1006 when there was no close frame', async () => {
    const shouldReconnect = vi.fn((event: SocketCloseEvent, _ctx: RetryContext) => event.code !== 4000)
    const socket = make({ reconnect: exact, shouldReconnect, fatalCloseCodes: [1001] })
    const log = recordEvents(socket, ['close'])
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1008, 'policy', true)
    await flush(200)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1001, '', true)
    await flush(400)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(4000, 'stop', true)
    expect(log).toEqual(['close:1006:true', 'close:1008:true', 'close:1001:true', 'close:4000:false'])
    expect(shouldReconnect.mock.calls.map(([event, ctx]) => [event.code, ctx.attempt])).toEqual([
      [1006, 1],
      [1008, 2],
      [1001, 3],
      [4000, 4],
    ])
  })

  test('maxAttempts still applies with shouldReconnect', async () => {
    const socket = make({ reconnect: { ...exact, maxAttempts: 2 }, shouldReconnect: () => true })
    const log = recordEvents(socket, ['close'])
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    expect(log).toEqual(['close:1006:true', 'close:1006:false'])
  })

  test('reconnect: false never reconnects, neither after a failed first attempt nor after a loss', async () => {
    const first = make({ reconnect: false })
    const firstLog = recordEvents(first, ['error', 'close', 'reconnecting'])
    await flush()
    FakeWebSocket.last().fail()
    expect(firstLog).toEqual(['error', 'close:1006:false'])
    expect(first.readyState).toBe(first.CLOSED)

    const second = make({ reconnect: false })
    const secondLog = recordEvents(second, ['close', 'reconnecting'])
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1001, '', true)
    expect(secondLog).toEqual(['close:1001:false'])
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })
})

describe('connectTimeout', () => {
  test('an attempt that takes too long gets an error, a local close 1006 CONNECT_TIMEOUT, then a retry', async () => {
    const socket = make({ reconnect: exact, connectTimeout: 500 })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    const errors = collect<SocketErrorEvent>(socket, 'error')
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    const stuck = FakeWebSocket.last()
    await flush(499)
    expect(log).toEqual([])
    await flush(1)
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect(CONNECT_TIMEOUT).toBe('connect timeout')
    expect(closes[0]).toMatchObject({ code: 1006, reason: CONNECT_TIMEOUT, wasClean: false, willReconnect: true })
    expect((errors[0]!.error as Error).name).toBe('TimeoutError')
    expect(stuck.closeCalls).toHaveLength(1)
    expect(FakeWebSocket.live()).toHaveLength(0)
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().open()
    await flush(10_000)
    expect(socket.state).toBe('open')
  })

  test('an open connection is not subject to the connect timeout', async () => {
    const socket = make({ connectTimeout: 500 })
    await flush()
    FakeWebSocket.last().open()
    await flush(5000)
    expect(socket.state).toBe('open')
    expect(FakeWebSocket.last().closeCalls).toEqual([])
  })
})

describe('events', () => {
  test('a failed attempt emits error, then close, then reconnecting', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    const states: string[] = []
    socket.on('close', () => states.push(socket.state))
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect(states).toEqual(['reconnecting'])
  })

  test("open events carry the retry's attempt and whether it is a reconnection", async () => {
    const socket = make({ reconnect: { ...exact, stableAfter: 1000 } })
    const log = recordEvents(socket, ['open'])
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().open()
    await flush(1000)
    FakeWebSocket.last().serverClose(1006)
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(200)
    FakeWebSocket.last().open()
    socket.reconnect()
    FakeWebSocket.last().open()
    expect(log).toEqual(['open:1:false', 'open:2:true', 'open:0:true'])
  })

  test('the first connection opens with attempt 0, not reconnected', async () => {
    const socket = make()
    const opens = collect<SocketOpenEvent>(socket, 'open')
    await flush()
    FakeWebSocket.last().open()
    expect(opens).toHaveLength(1)
    expect(opens[0]).toMatchObject({ type: 'open', attempt: 0, reconnected: false, target: socket })
  })
})

describe('the WebSocket implementation', () => {
  let saved: PropertyDescriptor | undefined
  beforeEach(() => {
    saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket')
  })
  afterEach(() => {
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved)
    else delete (globalThis as { WebSocket?: unknown }).WebSocket
  })

  function setGlobal(value: unknown): void {
    Object.defineProperty(globalThis, 'WebSocket', { value, configurable: true, writable: true })
  }

  test('createWebSocket wins over WebSocket and is called for every attempt', async () => {
    const constructed = vi.fn()
    class Unused extends FakeWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols)
        constructed()
      }
    }
    const factory = vi.fn((url: string, protocols: string[] | undefined) => new FakeWebSocket(url, protocols))
    make({ WebSocket: Unused, createWebSocket: factory, reconnect: exact }, TEST_URL, ['chat'])
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    expect(factory.mock.calls).toEqual([
      [TEST_URL, ['chat']],
      [TEST_URL, ['chat']],
    ])
    expect(constructed).not.toHaveBeenCalled()
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  test('no implementation at all: an error naming the WebSocket option, then giving up', async () => {
    delete (globalThis as { WebSocket?: unknown }).WebSocket
    const socket = make({ WebSocket: undefined, reconnect: exact })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    const errors = collect<SocketErrorEvent>(socket, 'error')
    await flush()
    expect(log).toEqual(['error', 'close:1006:false'])
    expect(errors[0]!.error).toBeInstanceOf(TypeError)
    expect((errors[0]!.error as Error).message).toContain('`WebSocket` option')
    expect(socket.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
    socket.reconnect()
    expect(log).toEqual(['error', 'close:1006:false', 'error', 'close:1006:false'])
  })

  test('the global WebSocket is looked up at each attempt', async () => {
    class First extends FakeWebSocket {}
    class Second extends FakeWebSocket {}
    setGlobal(First)
    const socket = make({ WebSocket: undefined, reconnect: exact })
    await flush()
    expect(FakeWebSocket.last()).toBeInstanceOf(First)
    setGlobal(Second)
    FakeWebSocket.last().fail()
    await flush(100)
    expect(FakeWebSocket.last()).toBeInstanceOf(Second)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })

  test('a constructor that throws is a failed attempt', async () => {
    let calls = 0
    const factory = (url: string) => {
      calls++
      if (calls === 1) throw new SyntaxError('refused')
      return new FakeWebSocket(url)
    }
    const socket = make({ createWebSocket: factory, reconnect: exact })
    const errors = collect<SocketErrorEvent>(socket, 'error')
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    await flush()
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect((errors[0]!.error as Error).message).toBe('refused')
    await flush(100)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })
})

describe('URL and protocols providers', () => {
  test('sync providers are called before every attempt', async () => {
    let n = 0
    const url = vi.fn(() => `https://node${++n}.test/feed`)
    const protocols = vi.fn(() => [`v${n}`])
    const socket = make({ reconnect: exact }, url, protocols)
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().open()
    socket.reconnect()
    expect(url).toHaveBeenCalledTimes(3)
    expect(protocols).toHaveBeenCalledTimes(3)
    expect(FakeWebSocket.instances.map((ws) => [ws.url, ws.protocols])).toEqual([
      ['wss://node1.test/feed', ['v1']],
      ['wss://node2.test/feed', ['v2']],
      ['wss://node3.test/feed', ['v3']],
    ])
    expect(socket.url).toBe('wss://node3.test/feed')
  })

  test('async providers are called before every attempt and awaited', async () => {
    let n = 0
    const url = vi.fn(async () => `ws://node${++n}.test/`)
    const protocols = vi.fn(async () => 'chat')
    const socket = make({ reconnect: exact }, url, protocols)
    await flush()
    expect(FakeWebSocket.instances.map((ws) => ws.url)).toEqual(['ws://node1.test/'])
    FakeWebSocket.last().fail()
    await flush(100)
    expect(FakeWebSocket.instances.map((ws) => ws.url)).toEqual(['ws://node1.test/', 'ws://node2.test/'])
    expect(FakeWebSocket.last().protocols).toEqual(['chat'])
    expect(url).toHaveBeenCalledTimes(2)
    expect(protocols).toHaveBeenCalledTimes(2)
    FakeWebSocket.last().open()
    expect(socket.url).toBe('ws://node2.test/')
  })
})

describe('reconnect()', () => {
  test('closes the live connection cleanly with the given code and connects again now', async () => {
    const socket = make({ reconnect: exact })
    await flush()
    const first = FakeWebSocket.last()
    first.open()
    const log = recordEvents(socket, ['close', 'reconnecting', 'open', 'state'])
    const closes = collect<SocketCloseEvent>(socket, 'close')
    socket.reconnect(4000, 'switching')
    expect(first.closeCalls).toEqual([{ code: 4000, reason: 'switching' }])
    expect(closes[0]).toMatchObject({ code: 4000, reason: 'switching', wasClean: true, willReconnect: true })
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(FakeWebSocket.live()).toEqual([FakeWebSocket.last()])
    expect(socket.state).toBe('connecting')
    FakeWebSocket.last().open()
    expect(log).toEqual(['state:connecting', 'close:4000:true', 'state:open', 'open:0:true'])
  })

  test('defaults to code 1000', async () => {
    const socket = make()
    await flush()
    FakeWebSocket.last().open()
    const closes = collect<SocketCloseEvent>(socket, 'close')
    socket.reconnect()
    expect(FakeWebSocket.instances[0]!.closeCalls).toEqual([{ code: 1000, reason: undefined }])
    expect(closes[0]).toMatchObject({ code: 1000, reason: '', wasClean: true, willReconnect: true })
  })

  test('while a retry timer waits, connects at once and cancels the timer', async () => {
    const socket = make({ reconnect: { ...exact, minDelay: 5000, maxDelay: 5000 } })
    await flush()
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    socket.reconnect()
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(socket.state).toBe('connecting')
    await flush(5000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  test('while connecting, abandons the attempt and starts another', async () => {
    const socket = make()
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    const first = FakeWebSocket.last()
    socket.reconnect()
    expect(first.readyState).toBe(2)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(FakeWebSocket.live()).toEqual([FakeWebSocket.last()])
    expect(closes).toEqual([])
  })
})

describe('close() before a connection is open', () => {
  test('while connecting: one close event, 1005, not clean, no reconnect, no socket afterwards', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['close', 'reconnecting', 'error'])
    const closes = collect<SocketCloseEvent>(socket, 'close')
    await flush()
    const attempt = FakeWebSocket.last()
    socket.close()
    expect(closes).toHaveLength(1)
    expect(closes[0]).toMatchObject({ code: 1005, reason: '', wasClean: false, willReconnect: false })
    expect(socket.state).toBe('closed')
    expect(attempt.closeCalls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    attempt.serverClose(1006)
    await flush(60_000)
    expect(log).toEqual(['close:1005:false'])
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('while a retry timer waits: one close event with the given code and reason', async () => {
    const socket = make({ reconnect: exact })
    await flush()
    FakeWebSocket.last().fail()
    const closes = collect<SocketCloseEvent>(socket, 'close')
    socket.close(4000, 'leaving')
    expect(closes).toHaveLength(1)
    expect(closes[0]).toMatchObject({ code: 4000, reason: 'leaving', wasClean: false, willReconnect: false })
    expect(socket.readyState).toBe(socket.CLOSED)
    expect(vi.getTimerCount()).toBe(0)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(closes).toHaveLength(1)
  })

  test('before the first attempt started: no socket is ever created', async () => {
    const socket = make()
    const closes = collect<SocketCloseEvent>(socket, 'close')
    socket.close()
    expect(closes.map((event) => event.code)).toEqual([1005])
    expect(vi.getTimerCount()).toBe(0)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(0)
  })
})

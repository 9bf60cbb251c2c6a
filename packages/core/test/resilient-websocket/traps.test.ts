import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import fc from 'fast-check'
import { describe, expect, test, vi } from 'vitest'
import { CONNECT_TIMEOUT, type ReconnectingEvent, type SocketCloseEvent, type SocketErrorEvent } from '../../src'
import { flush, TEST_URL, useFakeSockets } from '../helpers/fake-sockets'
import { seededRandom } from './seeded-random'

const make = useFakeSockets()
const exact = { minDelay: 100, maxDelay: 1000, factor: 2, jitter: 'none' as const }

describe('close() cancels every attempt and timer', () => {
  test('close() while connecting: the attempt is abandoned and nothing opens afterwards', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['open', 'close', 'error', 'reconnecting', 'message'])
    await flush()
    const attempt = FakeWebSocket.last()
    const { onopen, onclose, onerror } = attempt
    socket.close()
    expect(vi.getTimerCount()).toBe(0)
    expect(attempt.readyState).toBe(2)
    // The abandoned socket reports late, through the handlers it had before close().
    onopen?.({ type: 'open' })
    onerror?.({ type: 'error' })
    onclose?.({ type: 'close', code: 1006, reason: '', wasClean: false })
    attempt.open()
    attempt.receive('late')
    await flush(60_000)
    expect(log).toEqual(['close:1005:false'])
    expect(socket.state).toBe('closed')
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('close() while a retry timer is pending: the timer is cancelled', async () => {
    const socket = make({ reconnect: exact })
    await flush()
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    expect(vi.getTimerCount()).toBe(1)
    socket.close()
    expect(vi.getTimerCount()).toBe(0)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(socket.state).toBe('closed')
  })

  test('close() while an async URL provider is pending: its answer opens nothing', async () => {
    let answer: (url: string) => void = () => {}
    const provider = () => new Promise<string>((resolve) => (answer = resolve))
    const socket = make({ reconnect: exact }, provider)
    await flush()
    socket.close()
    expect(vi.getTimerCount()).toBe(0)
    answer(TEST_URL)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(0)
    expect(socket.url).toBe('')
  })
})

type Command =
  | { kind: 'open' | 'fail' | 'drop' | 'cleanClose' | 'finishClose'; target: number }
  | { kind: 'reconnect' | 'close' }
  | { kind: 'advance'; ms: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('open', 'fail', 'drop', 'cleanClose', 'finishClose'),
    target: fc.nat({ max: 3 }),
  }) as fc.Arbitrary<Command>,
  fc.constant({ kind: 'reconnect' } as const),
  fc.constant({ kind: 'close' } as const),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 300 }) }),
)

describe('never two live sockets', () => {
  test('property: whatever the interleaving of reconnect(), close() and server events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 ** 31 }),
        async (commands, asyncUrl, seed) => {
          FakeWebSocket.reset()
          const socket = make(
            {
              reconnect: { minDelay: 10, maxDelay: 200, jitter: 'full', random: seededRandom(seed) },
              connectTimeout: 150,
            },
            asyncUrl ? async () => TEST_URL : TEST_URL,
          )
          await flush()
          let closedByUser = false
          const check = () => {
            const live = FakeWebSocket.live()
            expect(live.length).toBeLessThanOrEqual(1)
            if (live.length === 1) expect(live[0]).toBe(FakeWebSocket.last())
            if (socket.state === 'open') {
              expect(live).toHaveLength(1)
              expect(live[0]!.readyState).toBe(1)
            }
            if (socket.state !== 'open' && socket.state !== 'connecting') expect(live).toHaveLength(0)
          }
          check()
          for (const step of commands) {
            switch (step.kind) {
              case 'advance':
                await flush(step.ms)
                break
              case 'reconnect':
                if (closedByUser) expect(() => socket.reconnect()).toThrow(/close\(\)/)
                else socket.reconnect()
                break
              case 'close':
                socket.close()
                closedByUser = true
                break
              default: {
                // The "server" acts on one of the newest sockets, possibly an old one lifeline already left.
                const ws = FakeWebSocket.instances.at(-1 - step.target)
                if (!ws) break
                if (step.kind === 'open' && ws.readyState === 0) ws.open()
                else if (step.kind === 'fail' && ws.readyState < 2) ws.fail()
                else if (step.kind === 'drop' && ws.readyState < 3) ws.serverClose(1006)
                else if (step.kind === 'cleanClose' && ws.readyState < 3) ws.serverClose(1001, 'restart', true)
                else if (step.kind === 'finishClose' && ws.readyState === 2) ws.finishClose()
              }
            }
            await flush()
            check()
          }
          socket.close()
          check()
          expect(FakeWebSocket.live()).toHaveLength(0)
          // The server answers the close handshake (or closeTimeout would end it): then no timer is left.
          for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
          expect(vi.getTimerCount()).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('a URL provider that fails is a failed attempt', () => {
  test('an async provider that rejects: error, backed off, retried', async () => {
    let calls = 0
    const provider = vi.fn(async () => {
      calls++
      if (calls === 1) throw new Error('token service down')
      return TEST_URL
    })
    const socket = make({ reconnect: exact }, provider)
    const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
    const errors: SocketErrorEvent[] = []
    socket.on('error', (event) => errors.push(event))
    await flush()
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect((errors[0]!.error as Error).message).toBe('token service down')
    expect(socket.state).toBe('reconnecting')
    await flush(99)
    expect(provider).toHaveBeenCalledTimes(1)
    await flush(1)
    expect(provider).toHaveBeenCalledTimes(2)
    FakeWebSocket.last().open()
    expect(log.at(-1)).toBe('open:1:false')
  })

  test('a provider that throws synchronously: error, backed off, retried', async () => {
    const provider = vi.fn<() => string>()
    provider.mockImplementationOnce(() => {
      throw new Error('no endpoint')
    })
    provider.mockImplementation(() => TEST_URL)
    const socket = make({ reconnect: exact }, provider)
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    await flush()
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect(FakeWebSocket.instances).toHaveLength(0)
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(socket.state).toBe('connecting')
  })

  test('a provider that answers an invalid URL: a SyntaxError reported as error, then retried', async () => {
    const provider = vi.fn().mockReturnValueOnce('ftp://example.test/').mockReturnValue(TEST_URL)
    const socket = make({ reconnect: exact }, provider)
    const errors: SocketErrorEvent[] = []
    socket.on('error', (event) => errors.push(event))
    await flush()
    expect((errors[0]!.error as DOMException).name).toBe('SyntaxError')
    await flush(100)
    expect(FakeWebSocket.last().url).toBe(TEST_URL)
  })

  test('a provider that never answers: the connect timeout fails the attempt, never a stuck socket', async () => {
    const provider = vi
      .fn()
      .mockReturnValueOnce(new Promise(() => {}))
      .mockReturnValue(TEST_URL)
    const socket = make({ reconnect: exact, connectTimeout: 1000 }, provider)
    const closes: SocketCloseEvent[] = []
    socket.on('close', (event) => closes.push(event))
    await flush(1000)
    expect(closes[0]).toMatchObject({ code: 1006, reason: CONNECT_TIMEOUT, willReconnect: true })
    await flush(100)
    expect(provider).toHaveBeenCalledTimes(2)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })
})

test('the very first connection is retried', async () => {
  const socket = make({ reconnect: exact })
  const log = recordEvents(socket, ['close', 'reconnecting', 'open'])
  await flush()
  FakeWebSocket.last().fail()
  await flush(100)
  FakeWebSocket.last().fail()
  await flush(200)
  FakeWebSocket.last().open()
  expect(log).toEqual(['close:1006:true', 'reconnecting:1', 'close:1006:true', 'reconnecting:2', 'open:2:false'])
  expect(FakeWebSocket.instances).toHaveLength(3)
})

test('reconnect() works after giving up', async () => {
  const socket = make({ reconnect: { ...exact, maxAttempts: 1 } })
  await flush()
  FakeWebSocket.last().fail()
  expect(socket.state).toBe('closed')
  socket.reconnect()
  expect(socket.state).toBe('connecting')
  expect(FakeWebSocket.instances).toHaveLength(2)
  FakeWebSocket.last().open()
  expect(socket.readyState).toBe(socket.OPEN)
})

test('stableAfter: the attempt count resets only after the connection stayed open that long', async () => {
  const socket = make({ reconnect: { ...exact, stableAfter: 2000 } })
  const delays: number[] = []
  socket.on('reconnecting', (event: ReconnectingEvent) => delays.push(event.delay))
  await flush()
  for (const openFor of [0, 0, 1999, 2000, 0]) {
    FakeWebSocket.last().open()
    await flush(openFor)
    FakeWebSocket.last().serverClose(1006)
    await flush(delays.at(-1)!)
  }
  expect(delays).toEqual([100, 200, 400, 100, 200])
})

describe('events from a replaced socket are ignored', () => {
  test('after reconnect(), the old socket is detached and its late events do nothing', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['open', 'close', 'error', 'message', 'reconnecting', 'state'])
    await flush()
    const old = FakeWebSocket.last()
    old.open()
    const { onopen, onclose, onerror } = old
    socket.reconnect()
    const current = FakeWebSocket.last()
    current.open()
    log.length = 0
    // Only lifeline's own close watch stays (it ends the closeTimeout timer): nothing reaches the socket's listeners.
    expect([old.onopen, old.onmessage]).toEqual([null, null])
    old.receive('stale')
    onopen?.({ type: 'open' })
    onerror?.({ type: 'error' })
    onclose?.({ type: 'close', code: 1006, reason: '', wasClean: false })
    old.serverClose(1006)
    expect(log).toEqual([])
    expect(socket.state).toBe('open')
    current.receive('fresh')
    expect(log).toEqual(['message'])
  })

  test('a failed attempt replaced by a retry cannot close the new connection', async () => {
    const socket = make({ reconnect: exact })
    await flush()
    const first = FakeWebSocket.last()
    const { onclose } = first
    first.fail()
    await flush(100)
    FakeWebSocket.last().open()
    const closes: unknown[] = []
    socket.on('close', (event) => closes.push(event))
    onclose?.({ type: 'close', code: 1006, reason: '', wasClean: false })
    first.serverClose(1006)
    expect(closes).toEqual([])
    expect(socket.state).toBe('open')
  })

  test('a timed-out attempt that opens late does not become the connection', async () => {
    const socket = make({ reconnect: exact, connectTimeout: 500 })
    const log = recordEvents(socket, ['open'])
    await flush()
    const slow = FakeWebSocket.last()
    const { onopen } = slow
    await flush(500)
    onopen?.({ type: 'open' })
    expect(log).toEqual([])
    expect(socket.state).toBe('reconnecting')
  })
})

test('full jitter keeps every delay within [0, cap] with a seeded random', async () => {
  const reconnect = { minDelay: 50, maxDelay: 3000, factor: 3, jitter: 'full' as const, random: seededRandom(99) }
  const socket = make({ reconnect })
  const retries: ReconnectingEvent[] = []
  socket.on('reconnecting', (event) => retries.push(event))
  const expected = seededRandom(99)
  await flush()
  for (let n = 0; n < 12; n++) {
    FakeWebSocket.last().fail()
    await flush(retries.at(-1)!.delay)
  }
  const caps = retries.map((_, n) => Math.min(3000, 50 * 3 ** n))
  expect(caps.slice(0, 6)).toEqual([50, 150, 450, 1350, 3000, 3000])
  retries.forEach((event, n) => {
    expect(event.attempt).toBe(n + 1)
    expect(event.delay).toBeGreaterThanOrEqual(0)
    expect(event.delay).toBeLessThanOrEqual(caps[n]!)
    expect(event.delay).toBe(expected() * caps[n]!)
  })
  expect(retries[0]!.delay).toBeLessThanOrEqual(50)
})

describe('calls from inside listeners', () => {
  test('close() from a close listener cancels the retry scheduled for that loss', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['close', 'reconnecting'])
    socket.once('close', () => socket.close())
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['close:1006:true', 'close:1005:false'])
    expect(socket.state).toBe('closed')
    expect(vi.getTimerCount()).toBe(0)
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('reconnect() from a close listener starts one attempt now and no timer', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['close', 'reconnecting'])
    socket.once('close', () => socket.reconnect())
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['close:1006:true'])
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(socket.state).toBe('connecting')
    expect(vi.getTimerCount()).toBe(1) // the new attempt's connect timeout only
    await flush(5000)
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  test('close() from an error listener of a failing attempt ends everything with one close', async () => {
    const socket = make({ reconnect: exact })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    socket.once('error', () => socket.close())
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['error', 'close:1005:false'])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('close() after giving up does nothing more, but makes the close final', async () => {
    const socket = make({ reconnect: false })
    const log = recordEvents(socket, ['close'])
    await flush()
    FakeWebSocket.last().fail()
    socket.close()
    expect(log).toEqual(['close:1006:false'])
    expect(() => socket.send('x')).toThrow(/close\(\)/)
    expect(() => socket.reconnect()).toThrow(/close\(\)/)
  })
})

describe('implementations without bufferedAmount', () => {
  class NoBufferedAmountWebSocket extends FakeWebSocket {
    // happy-dom's WebSocket has no bufferedAmount at all.
    declare bufferedAmount: number
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      delete (this as { bufferedAmount?: number }).bufferedAmount
    }
  }

  test('queued and direct messages are still sent, and the backpressure figures stay numbers', async () => {
    const socket = make({ WebSocket: NoBufferedAmountWebSocket as never })
    socket.send('queued 1')
    socket.send('queued 2')
    await flush()
    const ws = FakeWebSocket.last()
    expect(ws.bufferedAmount).toBeUndefined()
    ws.open()
    await flush(10)
    expect(socket.send('direct')).toBe(true)
    expect(ws.sent).toEqual(['queued 1', 'queued 2', 'direct'])
    expect(socket.bufferedAmount).toBe(0)
    expect(socket.status.bufferedAmount).toBe(0)
  })
})

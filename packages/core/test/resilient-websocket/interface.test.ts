import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { describe, expect, test, vi } from 'vitest'
import { ResilientWebSocket, type SocketMessageEvent } from '../../src'
import { expectDomException, flush, TEST_URL, thrown, track, useFakeSockets } from '../helpers/fake-sockets'

const make = useFakeSockets()
const quickRetry = { reconnect: { minDelay: 100, maxDelay: 1000, jitter: 'none' as const } }

/** A socket whose first connection is open. */
async function openSocket(options = {}): Promise<{ socket: ResilientWebSocket; fake: FakeWebSocket }> {
  const socket = make({ ...quickRetry, ...options })
  await flush()
  const fake = FakeWebSocket.last()
  fake.open()
  return { socket, fake }
}

/** Asserts that `send()` and `reconnect()` both throw InvalidStateError, as they do after `close()`. */
function expectClosedForGood(socket: ResilientWebSocket): void {
  expectDomException(
    thrown(() => socket.send('x')),
    'InvalidStateError',
  )
  expectDomException(
    thrown(() => socket.reconnect()),
    'InvalidStateError',
  )
}

describe('constants', () => {
  test('CONNECTING, OPEN, CLOSING and CLOSED are 0..3 on the class and on instances', () => {
    expect([
      ResilientWebSocket.CONNECTING,
      ResilientWebSocket.OPEN,
      ResilientWebSocket.CLOSING,
      ResilientWebSocket.CLOSED,
    ]).toEqual([0, 1, 2, 3])
    const socket = make()
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3])
  })
})

describe('readyState and state', () => {
  test('connecting, before and during the first attempt', async () => {
    const socket = make()
    expect(socket.readyState).toBe(socket.CONNECTING)
    expect(socket.state).toBe('connecting')
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(socket.readyState).toBe(0)
    expect(socket.state).toBe('connecting')
  })

  test('open', async () => {
    const { socket } = await openSocket()
    expect(socket.readyState).toBe(socket.OPEN)
    expect(socket.state).toBe('open')
  })

  test('waiting to retry: readyState CONNECTING, state reconnecting; connecting again when the timer fires', async () => {
    const { socket, fake } = await openSocket()
    fake.serverClose(1006)
    expect(socket.readyState).toBe(socket.CONNECTING)
    expect(socket.state).toBe('reconnecting')
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(socket.readyState).toBe(0)
    expect(socket.state).toBe('connecting')
  })

  test('closing during close(), closed once the close handshake ends', async () => {
    const { socket, fake } = await openSocket()
    const closes = recordEvents(socket, ['close'])
    socket.close(4000, 'done')
    expect(socket.readyState).toBe(socket.CLOSING)
    expect(socket.state).toBe('closing')
    expect(fake.closeCalls).toEqual([{ code: 4000, reason: 'done' }])
    expect(closes).toEqual([])
    fake.finishClose(4000, 'done')
    expect(socket.readyState).toBe(socket.CLOSED)
    expect(socket.state).toBe('closed')
    expect(closes).toEqual(['close:4000:false'])
  })

  test('closed after giving up', async () => {
    const { socket, fake } = await openSocket({ reconnect: false })
    fake.serverClose(1006)
    expect(socket.readyState).toBe(socket.CLOSED)
    expect(socket.state).toBe('closed')
  })

  test('state events follow every change', async () => {
    const socket = make(quickRetry)
    const states = recordEvents(socket, ['state'])
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1001, 'restart', true)
    await flush(100)
    FakeWebSocket.last().open()
    socket.close()
    FakeWebSocket.last().finishClose()
    expect(states).toEqual([
      'state:open',
      'state:reconnecting',
      'state:connecting',
      'state:open',
      'state:closing',
      'state:closed',
    ])
  })
})

describe('on* handler properties', () => {
  test('onmessage: set, replace, null', async () => {
    const { socket, fake } = await openSocket()
    expect(socket.onmessage).toBeNull()
    const first = vi.fn()
    const second = vi.fn()
    socket.onmessage = first
    expect(socket.onmessage).toBe(first)
    fake.receive('a')
    socket.onmessage = second
    expect(socket.onmessage).toBe(second)
    fake.receive('b')
    socket.onmessage = null
    expect(socket.onmessage).toBeNull()
    fake.receive('c')
    expect(first.mock.calls.map(([event]) => event.data)).toEqual(['a'])
    expect(second.mock.calls.map(([event]) => event.data)).toEqual(['b'])
  })

  test('a handler set twice runs once per event; a non-function value reads back as null', async () => {
    const { socket, fake } = await openSocket()
    const handler = vi.fn()
    socket.onmessage = handler
    socket.onmessage = handler
    fake.receive('x')
    expect(handler).toHaveBeenCalledTimes(1)
    socket.onmessage = 'not a function' as never
    expect(socket.onmessage).toBeNull()
    fake.receive('y')
    expect(handler).toHaveBeenCalledTimes(1)
  })

  test('onopen, onerror and onclose receive their events', async () => {
    const socket = make(quickRetry)
    const onopen = vi.fn()
    const onerror = vi.fn()
    const onclose = vi.fn()
    socket.onopen = onopen
    socket.onerror = onerror
    socket.onclose = onclose
    expect([socket.onopen, socket.onerror, socket.onclose]).toEqual([onopen, onerror, onclose])
    await flush()
    FakeWebSocket.last().fail()
    expect(onerror).toHaveBeenCalledTimes(1)
    expect(onerror.mock.calls[0]![0].type).toBe('error')
    expect(onclose).toHaveBeenCalledTimes(1)
    expect(onclose.mock.calls[0]![0]).toMatchObject({ type: 'close', code: 1006, willReconnect: true })
    await flush(100)
    FakeWebSocket.last().open()
    expect(onopen).toHaveBeenCalledTimes(1)
    expect(onopen.mock.calls[0]![0]).toMatchObject({ type: 'open', attempt: 1, reconnected: false })
    socket.onopen = null
    socket.onerror = null
    socket.onclose = null
    expect([socket.onopen, socket.onerror, socket.onclose]).toEqual([null, null, null])
    FakeWebSocket.last().serverClose(1006)
    expect(onclose).toHaveBeenCalledTimes(1)
  })
})

describe('addEventListener and removeEventListener', () => {
  test('the same listener added twice is called once; removeEventListener removes it', async () => {
    const { socket, fake } = await openSocket()
    const listener = vi.fn()
    socket.addEventListener('message', listener)
    socket.addEventListener('message', listener)
    fake.receive('a')
    expect(listener).toHaveBeenCalledTimes(1)
    socket.removeEventListener('message', listener)
    fake.receive('b')
    expect(listener).toHaveBeenCalledTimes(1)
    expect(() => socket.removeEventListener('message', () => {})).not.toThrow()
  })

  test('{ once: true } runs a listener for the first event only', async () => {
    const { socket, fake } = await openSocket()
    const listener = vi.fn()
    socket.addEventListener('message', listener, { once: true })
    fake.receive('a')
    fake.receive('b')
    expect(listener.mock.calls.map(([event]) => event.data)).toEqual(['a'])
  })

  test('a once listener can be removed before it runs', async () => {
    const { socket, fake } = await openSocket()
    const listener = vi.fn()
    socket.addEventListener('message', listener, { once: true })
    socket.removeEventListener('message', listener)
    fake.receive('a')
    expect(listener).not.toHaveBeenCalled()
  })

  test('handleEvent objects are called with the object as this, and can be removed', async () => {
    const { socket, fake } = await openSocket()
    const seen: unknown[] = []
    const object = {
      name: 'object listener',
      handleEvent(this: { name: string }, event: SocketMessageEvent) {
        seen.push([this.name, event.data])
      },
    }
    socket.addEventListener('message', object)
    socket.addEventListener('message', object)
    fake.receive('a')
    socket.removeEventListener('message', object)
    fake.receive('b')
    expect(seen).toEqual([['object listener', 'a']])
  })

  test('an AbortSignal removes the listener; an aborted one never adds it', async () => {
    const { socket, fake } = await openSocket()
    const controller = new AbortController()
    const listener = vi.fn()
    socket.addEventListener('message', listener, { signal: controller.signal })
    fake.receive('a')
    controller.abort()
    fake.receive('b')
    expect(listener.mock.calls.map(([event]) => event.data)).toEqual(['a'])
    const late = vi.fn()
    socket.addEventListener('message', late, { signal: AbortSignal.abort() })
    fake.receive('c')
    expect(late).not.toHaveBeenCalled()
    expect(socket.listenerCount('message')).toBe(0)
  })

  test('a null listener is ignored', () => {
    const socket = make()
    expect(() => socket.addEventListener('open', null)).not.toThrow()
    expect(() => socket.removeEventListener('open', null)).not.toThrow()
    expect(socket.listenerCount('open')).toBe(0)
  })

  test('on(), once(), on* handlers and addEventListener listeners receive the same event object', async () => {
    const { socket, fake } = await openSocket()
    const seen: unknown[] = []
    const push = (event: unknown) => seen.push(event)
    socket.on('message', push)
    socket.once('message', (event) => seen.push(event))
    socket.addEventListener('message', (event) => seen.push(event))
    socket.onmessage = (event) => seen.push(event)
    fake.receive('payload')
    expect(seen).toHaveLength(4)
    for (const event of seen) expect(event).toBe(seen[0])
    expect(seen[0]).toMatchObject({ type: 'message', data: 'payload', target: socket })
    socket.off('message', push)
    fake.receive('again')
    expect(seen).toHaveLength(6)
  })

  test('close events reach on() and addEventListener listeners as one object with its fields on it', async () => {
    const { socket, fake } = await openSocket()
    const seen: unknown[] = []
    socket.on('close', (event) => seen.push(event))
    socket.addEventListener('close', (event) => seen.push(event))
    fake.serverClose(4001, 'bye', true)
    expect(seen).toHaveLength(2)
    expect(seen[1]).toBe(seen[0])
    expect(seen[0]).toMatchObject({
      type: 'close',
      code: 4001,
      reason: 'bye',
      wasClean: true,
      willReconnect: true,
      target: socket,
    })
  })
})

describe('nothing is dispatched synchronously in the constructor', () => {
  test('no socket is created and no event fires until the current task ends', async () => {
    const url = vi.fn(() => {
      throw new Error('no token yet')
    })
    const socket = make({ reconnect: false }, url)
    const log = recordEvents(socket, ['error', 'close', 'state', 'reconnecting', 'open'])
    expect(url).not.toHaveBeenCalled()
    expect(FakeWebSocket.instances).toHaveLength(0)
    expect(log).toEqual([])
    await flush()
    expect(url).toHaveBeenCalledTimes(1)
    expect(log).toEqual(['error', 'state:closed', 'close:1006:false'])
  })

  test('listeners attached right after new see the first open', async () => {
    const socket = make()
    const log = recordEvents(socket, ['open', 'state'])
    await flush()
    FakeWebSocket.last().open()
    expect(log).toEqual(['state:open', 'open:0:false'])
  })
})

describe('binaryType', () => {
  test("is 'blob' by default and accepts only 'blob' and 'arraybuffer'", () => {
    const socket = make()
    expect(socket.binaryType).toBe('blob')
    socket.binaryType = 'arraybuffer'
    expect(socket.binaryType).toBe('arraybuffer')
    socket.binaryType = 'nodebuffer' as BinaryType
    expect(socket.binaryType).toBe('arraybuffer')
    socket.binaryType = '' as BinaryType
    expect(socket.binaryType).toBe('arraybuffer')
    socket.binaryType = 'blob'
    expect(socket.binaryType).toBe('blob')
  })

  test('applies to the live socket and to every future one', async () => {
    const socket = make(quickRetry)
    socket.binaryType = 'arraybuffer'
    await flush()
    const first = FakeWebSocket.last()
    expect(first.binaryType).toBe('arraybuffer')
    first.open()
    socket.binaryType = 'blob'
    expect(first.binaryType).toBe('blob')
    socket.binaryType = 'fragments' as BinaryType
    expect(first.binaryType).toBe('blob')
    socket.binaryType = 'arraybuffer'
    expect(first.binaryType).toBe('arraybuffer')
    first.serverClose(1006)
    await flush(100)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    expect(second.binaryType).toBe('arraybuffer')
  })
})

describe('bufferedAmount', () => {
  test('counts queued text as UTF-8 bytes and binary data by byteLength while connecting', async () => {
    const socket = make()
    expect(socket.bufferedAmount).toBe(0)
    socket.send('héllo') // é is 2 bytes
    expect(socket.bufferedAmount).toBe(6)
    socket.send('€') // 3 bytes
    socket.send('😀') // 4 bytes
    expect(socket.bufferedAmount).toBe(13)
    socket.send(new Uint8Array(5))
    socket.send(new ArrayBuffer(7))
    expect(socket.bufferedAmount).toBe(25)
    await flush()
    expect(socket.bufferedAmount).toBe(25)
  })

  test("is the live socket's bufferedAmount plus lifeline's queue", async () => {
    const { socket, fake } = await openSocket({ highWaterMark: 64 })
    expect(socket.bufferedAmount).toBe(0)
    fake.bufferedAmount = 100
    expect(socket.bufferedAmount).toBe(100)
    expect(socket.send('✓ok')).toBe(false)
    expect(fake.sent).toEqual([])
    expect(socket.queued).toEqual(['✓ok'])
    expect(socket.bufferedAmount).toBe(105)
  })
})

describe('url', () => {
  test('http and https URLs become ws and wss', () => {
    expect(make({}, 'http://example.test/feed').url).toBe('ws://example.test/feed')
    expect(make({}, 'https://example.test/feed').url).toBe('wss://example.test/feed')
    expect(make({}, new URL('wss://example.test')).url).toBe('wss://example.test/')
  })

  test('the implementation is given the normalised URL', async () => {
    make({}, 'https://example.test/a?b=1')
    await flush()
    expect(FakeWebSocket.last().url).toBe('wss://example.test/a?b=1')
  })

  test("is '' until a URL provider has answered, then the last URL used", async () => {
    const answers: ((url: string) => void)[] = []
    const provider = vi.fn(() => new Promise<string>((resolve) => answers.push(resolve)))
    const socket = make(quickRetry, provider)
    expect(socket.url).toBe('')
    await flush()
    expect(provider).toHaveBeenCalledTimes(1)
    expect(socket.url).toBe('')
    expect(FakeWebSocket.instances).toHaveLength(0)
    answers[0]!('https://one.test/feed')
    await flush()
    expect(socket.url).toBe('wss://one.test/feed')
    expect(FakeWebSocket.last().url).toBe('wss://one.test/feed')
    FakeWebSocket.last().fail()
    expect(socket.url).toBe('wss://one.test/feed')
    await flush(100)
    expect(provider).toHaveBeenCalledTimes(2)
    expect(socket.url).toBe('wss://one.test/feed')
    answers[1]!('http://two.test/')
    await flush()
    expect(socket.url).toBe('ws://two.test/')
  })

  test('a sync provider answers at the first attempt, not in the constructor', async () => {
    const socket = make({}, () => 'http://sync.test/x')
    expect(socket.url).toBe('')
    await flush()
    expect(socket.url).toBe('ws://sync.test/x')
  })
})

describe('protocol and extensions', () => {
  test("are '' until open, then what the server chose", async () => {
    const socket = make({}, TEST_URL, ['chat', 'superchat'])
    expect(socket.protocol).toBe('')
    expect(socket.extensions).toBe('')
    await flush()
    const fake = FakeWebSocket.last()
    expect(fake.protocols).toEqual(['chat', 'superchat'])
    fake.extensions = 'permessage-deflate; client_max_window_bits'
    fake.open('superchat')
    expect(socket.protocol).toBe('superchat')
    expect(socket.extensions).toBe('permessage-deflate; client_max_window_bits')
  })

  test('a single protocol is passed as a list; none means the one-argument constructor', async () => {
    make({}, TEST_URL, 'chat')
    make()
    await flush()
    expect(FakeWebSocket.instances[0]!.protocols).toEqual(['chat'])
    expect(FakeWebSocket.instances[1]!.protocols).toBeUndefined()
  })

  test('null protocols are the protocol "null", as the platform has it, and options may follow', async () => {
    const factory = vi.fn((url: string, protocols?: string[]) => new FakeWebSocket(url, protocols))
    track(new ResilientWebSocket(TEST_URL, null, { createWebSocket: factory, lifecycle: { network: false } }))
    await flush()
    expect(factory).toHaveBeenCalledWith(TEST_URL, ['null'])
  })

  test('an options object may stand in place of the protocols', async () => {
    const factory = vi.fn((url: string) => new FakeWebSocket(url))
    track(new ResilientWebSocket(TEST_URL, { createWebSocket: factory, lifecycle: { network: false } }))
    await flush()
    expect(factory).toHaveBeenCalledWith(TEST_URL, undefined)
  })
})

describe('errors', () => {
  test.each([0, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535])(
    'close(%d) throws InvalidAccessError and changes nothing',
    async (code) => {
      const socket = make()
      const closes = recordEvents(socket, ['close'])
      expectDomException(
        thrown(() => socket.close(code)),
        'InvalidAccessError',
      )
      expect(socket.state).toBe('connecting')
      expect(closes).toEqual([])
      await flush()
      expect(FakeWebSocket.instances).toHaveLength(1)
    },
  )

  test.each([1000, 3000, 4999])('close(%d) is accepted', (code) => {
    const socket = make()
    const closes = recordEvents(socket, ['close'])
    socket.close(code)
    expect(closes).toEqual([`close:${code}:false`])
  })

  test.each<[unknown, number]>([
    ['1000', 1000],
    [' 3000 ', 3000],
    [1000.4, 1000],
    [3000.5, 3000],
    [3001.5, 3002],
    [new Number(4000), 4000],
  ])('close(%j) is converted as WebIDL converts it: %d', async (code, expected) => {
    const socket = make()
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    socket.close(code as number, 42 as unknown as string)
    expect(ws.closeCalls).toEqual([{ code: expected, reason: '42' }])
  })

  test.each([['abc'], [null], [-1], [Number.POSITIVE_INFINITY], ['4999.5']])(
    'close(%j) converts to a code that is not allowed: InvalidAccessError',
    (code) => {
      const socket = make()
      expectDomException(
        thrown(() => socket.close(code as number)),
        'InvalidAccessError',
      )
    },
  )

  test('reconnect() converts its arguments like close()', async () => {
    const socket = make()
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    socket.reconnect('4001' as unknown as number)
    expect(ws.closeCalls).toEqual([{ code: 4001, reason: undefined }])
  })

  test.each([
    ['124 ASCII bytes', 'a'.repeat(124)],
    ['62 two-byte characters (62 UTF-16 units, 124 bytes)', 'é'.repeat(62)],
    ['41 three-byte characters and one ASCII (124 bytes)', `${'€'.repeat(41)}a`],
    ['31 four-byte characters (124 bytes)', '😀'.repeat(31)],
    ['30 four-byte characters and 4 ASCII (124 bytes)', `${'😀'.repeat(30)}abcd`],
  ])('a reason of %s throws SyntaxError', (_what, reason) => {
    const socket = make()
    expectDomException(
      thrown(() => socket.close(1000, reason)),
      'SyntaxError',
    )
    expectDomException(
      thrown(() => socket.reconnect(1000, reason)),
      'SyntaxError',
    )
    expect(socket.state).toBe('connecting')
  })

  test.each([
    ['123 ASCII bytes', 'a'.repeat(123)],
    ['61 two-byte characters and one ASCII', `${'é'.repeat(61)}a`],
    ['41 three-byte characters', '€'.repeat(41)],
    ['30 four-byte characters and 3 ASCII', `${'😀'.repeat(30)}abc`],
  ])('a reason of %s (123 bytes) is accepted', (_what, reason) => {
    const socket = make()
    const closes: unknown[] = []
    socket.on('close', (event) => closes.push(event.reason))
    socket.close(1000, reason)
    expect(closes).toEqual([reason])
  })

  test.each([
    ['an invalid URL', 'not a url'],
    ['a relative URL', '/feed'],
    ['a ftp: URL', 'ftp://example.test/'],
    ['a file: URL', 'file:///feed'],
    ['a fragment', 'ws://example.test/feed#top'],
    ['an empty fragment', 'ws://example.test/feed#'],
    ['a fragment on an http URL', 'http://example.test/#'],
  ])('the constructor rejects %s with SyntaxError', (_what, url) => {
    expectDomException(
      thrown(() => new ResilientWebSocket(url, undefined, { WebSocket: FakeWebSocket })),
      'SyntaxError',
    )
    expect(vi.getTimerCount()).toBe(0)
  })

  test.each([
    ['an empty name', ''],
    ['a name with a space', 'chat room'],
    ['a name with a comma', 'a,b'],
    ['a non-ASCII name', 'chät'],
    ['an empty name in a list', ['chat', '']],
    ['a repeated name', ['chat', 'chat']],
    ['a name repeated in another case', ['chat', 'CHAT']],
  ])('the constructor rejects %s with SyntaxError', (_what, protocols) => {
    expectDomException(
      thrown(() => new ResilientWebSocket(TEST_URL, protocols, { WebSocket: FakeWebSocket })),
      'SyntaxError',
    )
    expect(vi.getTimerCount()).toBe(0)
  })

  test('close() twice does nothing the second time', async () => {
    const { socket, fake } = await openSocket()
    const closes = recordEvents(socket, ['close'])
    socket.close(1000, 'first')
    socket.close(4000, 'second')
    expect(fake.closeCalls).toEqual([{ code: 1000, reason: 'first' }])
    fake.finishClose(1000, 'first')
    socket.close()
    expect(closes).toEqual(['close:1000:false'])
    expect(socket.state).toBe('closed')
  })

  test('close(undefined, reason) sends code 1000 with the reason', async () => {
    const { socket, fake } = await openSocket()
    socket.close(undefined, 'bye')
    expect(fake.closeCalls).toEqual([{ code: 1000, reason: 'bye' }])
  })

  test('send() and reconnect() throw InvalidStateError after close(), while closing and once closed', async () => {
    const { socket, fake } = await openSocket()
    socket.close()
    expect(socket.state).toBe('closing')
    expectClosedForGood(socket)
    fake.finishClose()
    expectClosedForGood(socket)
    expect(fake.sent).toEqual([])
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('send() after close() while connecting throws InvalidStateError', () => {
    const socket = make()
    socket.close()
    expectDomException(
      thrown(() => socket.send('x')),
      'InvalidStateError',
    )
  })

  test.each([
    ['a plain object', { type: 'hello' }],
    ['an array', [1, 2, 3]],
    ['an object without prototype', Object.create(null)],
  ])('send() of %s throws a TypeError pointing to JSON.stringify and queues nothing', async (_what, data) => {
    const socket = make()
    const error = thrown(() => socket.send(data))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain('JSON.stringify')
    expect(socket.queued).toEqual([])
    expect(socket.bufferedAmount).toBe(0)
    await flush()
    FakeWebSocket.last().open()
    expect(() => socket.send(data)).toThrow(TypeError)
    expect(FakeWebSocket.last().sent).toEqual([])
  })

  test('other primitives are sent as strings', async () => {
    const { socket, fake } = await openSocket()
    const untyped = socket as unknown as { send(data: unknown): boolean }
    untyped.send(42)
    untyped.send(true)
    expect(fake.sent).toEqual(['42', 'true'])
  })

  test('reconnect() checks its code like close()', async () => {
    const { socket, fake } = await openSocket()
    expectDomException(
      thrown(() => socket.reconnect(1001)),
      'InvalidAccessError',
    )
    expect(socket.state).toBe('open')
    expect(fake.closeCalls).toEqual([])
  })
})

// A hook that throws is reported as an `error` event naming it, and lifeline goes on with the hook's safe default:
// not an ack, no id, not a pong, give up, a failed attempt. Nothing is lost silently and nothing crashes.
import { FakePingWebSocket, FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { recordEvents } from '@lifeline/testing/wait'
import { describe, expect, test } from 'vitest'
import type { SocketErrorEvent, WebSocketConstructor } from '../../src'
import { acknowledged } from '../../src/delivery'
import { flush, TEST_URL, useFakeSockets } from '../helpers/fake-sockets'

const make = useFakeSockets()
const quick = { reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' as const } }

function errorsOf(socket: { on(type: 'error', listener: (event: SocketErrorEvent) => void): unknown }) {
  const errors: SocketErrorEvent[] = []
  socket.on('error', (event) => errors.push(event))
  return errors
}

describe('delivery hooks', () => {
  test("the README's ackOf (JSON.parse) on a message that is not JSON: an error event, the message still delivered", async () => {
    const socket = make({
      delivery: acknowledged({
        id: (data) => JSON.parse(String(data)).id,
        ackOf: (data) => JSON.parse(String(data)).ack,
      }),
    })
    const errors = errorsOf(socket)
    const messages: unknown[] = []
    socket.on('message', (event) => messages.push(event.data))
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    socket.send(JSON.stringify({ id: 'order-1' }))
    expect(socket.queued).toHaveLength(1)
    ws.receive('hello, not JSON')
    expect(messages).toEqual(['hello, not JSON'])
    expect(errors).toHaveLength(1)
    expect(errors[0]!.hook).toBe('delivery.ackOf')
    expect(errors[0]!.error).toBeInstanceOf(SyntaxError)
    expect(errors[0]!.message).toMatch(/^delivery\.ackOf threw: /)
    // Not an ack: the message is still held; a real ack releases it.
    expect(socket.queued).toHaveLength(1)
    ws.receive(JSON.stringify({ ack: 'order-1' }))
    expect(socket.queued).toEqual([])
    expect(socket.state).toBe('open')
  })

  test('an id hook that throws: reported, and the message goes out without an id (not held)', async () => {
    const socket = make({
      delivery: acknowledged({ id: (data) => JSON.parse(String(data)).id, ackOf: () => undefined }),
    })
    const errors = errorsOf(socket)
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    expect(socket.send('plain text')).toBe(true)
    expect(ws.sent).toEqual(['plain text'])
    expect(socket.queued).toEqual([])
    expect(errors.map((event) => event.hook)).toEqual(['delivery.id'])
  })

  test('an id hook that throws while connecting: the message is queued, reported, and sent on open', async () => {
    const socket = make({
      delivery: acknowledged({
        id: () => {
          throw new Error('no id')
        },
        ackOf: () => undefined,
      }),
    })
    const errors = errorsOf(socket)
    socket.send('early')
    expect(errors.map((event) => event.hook)).toEqual(['delivery.id'])
    await flush()
    FakeWebSocket.last().open()
    expect(FakeWebSocket.last().sent).toEqual(['early'])
  })
})

describe('heartbeat.isPong', () => {
  test('that throws: reported, the message is not a pong and is delivered', async () => {
    const socket = make({
      heartbeat: {
        message: 'ping',
        isPong: (data) => JSON.parse(String(data)).type === 'pong',
      },
    })
    const errors = errorsOf(socket)
    const messages: unknown[] = []
    socket.on('message', (event) => messages.push(event.data))
    await flush()
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive('not json')
    ws.receive('{"type":"pong"}')
    expect(messages).toEqual(['not json'])
    expect(errors.map((event) => event.hook)).toEqual(['heartbeat.isPong'])
  })

  test('a heartbeat.message function that throws is reported; the timeout still finds a dead peer', async () => {
    const socket = make({
      ...quick,
      WebSocket: FakePingWebSocket as unknown as WebSocketConstructor,
      heartbeat: {
        interval: 1000,
        timeout: 500,
        message: () => {
          throw new Error('cannot build a ping')
        },
      },
    })
    const errors = errorsOf(socket)
    const log = recordEvents(socket, ['close'])
    await flush()
    FakeWebSocket.last().open()
    await flush(3000)
    expect(errors.map((event) => event.hook)).toContain('heartbeat.message')
    expect(log[0]).toBe('close:1006:true')
  })
})

describe('reconnection hooks', () => {
  test('shouldReconnect that throws: reported, and lifeline gives up', async () => {
    const bug = new Error('decider bug')
    const socket = make({
      ...quick,
      shouldReconnect: () => {
        throw bug
      },
    })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    const errors = errorsOf(socket)
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    expect(log).toEqual(['error', 'close:1006:false'])
    expect(errors[0]).toMatchObject({ hook: 'shouldReconnect', error: bug })
    expect(socket.state).toBe('closed')
    await flush(10_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('a retry policy that throws: reported, and lifeline gives up', async () => {
    const socket = make({
      reconnect: () => {
        throw new Error('policy bug')
      },
    })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting'])
    const errors = errorsOf(socket)
    await flush()
    FakeWebSocket.last().fail()
    expect(log).toEqual(['error', 'error', 'close:1006:false'])
    expect(errors[1]!.hook).toBe('reconnect')
    expect(socket.state).toBe('closed')
  })
})

describe('attempt hooks: a failed attempt, retried', () => {
  test('a resume hook that throws', async () => {
    let calls = 0
    const socket = make({
      ...quick,
      resume: (url) => {
        calls++
        if (calls === 1) throw new Error('no sequence yet')
        url.searchParams.set('since', '7')
      },
    })
    const log = recordEvents(socket, ['error', 'close', 'reconnecting', 'open'])
    const errors = errorsOf(socket)
    await flush()
    expect(log).toEqual(['error', 'close:1006:true', 'reconnecting:1'])
    expect(errors[0]!.hook).toBe('resume')
    expect(FakeWebSocket.instances).toHaveLength(0)
    await flush(100)
    expect(FakeWebSocket.last().url).toBe(`${TEST_URL}?since=7`)
  })

  test('a resume hook that rejects', async () => {
    let calls = 0
    const socket = make({
      ...quick,
      resume: async () => {
        calls++
        if (calls === 1) throw new Error('store unavailable')
      },
    })
    const errors = errorsOf(socket)
    await flush()
    expect(errors.map((event) => event.hook)).toEqual(['resume'])
    expect(socket.state).toBe('reconnecting')
    await flush(100)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test.each([
    ['a URL provider that throws', 'url', { url: () => bad('no token') }],
    ['a URL provider that rejects', 'url', { url: async () => bad('token service down') }],
    ['a protocols provider that throws', 'protocols', { protocols: () => bad('no protocol') }],
    ['a protocols provider that rejects', 'protocols', { protocols: async () => bad('no protocol') }],
  ] as const)('%s: the error event names %s', async (_what, hook, sources) => {
    const url = 'url' in sources ? sources.url : TEST_URL
    const protocols = 'protocols' in sources ? sources.protocols : undefined
    const socket = make(quick, url as never, protocols as never)
    const errors = errorsOf(socket)
    await flush()
    expect(errors.map((event) => event.hook)).toEqual([hook])
    expect(socket.state).toBe('reconnecting')
  })

  test('a handshake hook that throws names it', async () => {
    const socket = make({
      ...quick,
      handshake: () => {
        throw new Error('bad token')
      },
    })
    const errors = errorsOf(socket)
    await flush()
    FakeWebSocket.last().open()
    expect(errors.map((event) => event.hook)).toEqual(['handshake'])
    expect(socket.state).toBe('reconnecting')
  })

  test('a createWebSocket that throws names it', async () => {
    const socket = make({
      ...quick,
      createWebSocket: () => {
        throw new Error('factory bug')
      },
    })
    const errors = errorsOf(socket)
    await flush()
    expect(errors.map((event) => event.hook)).toEqual(['createWebSocket'])
    expect(socket.state).toBe('reconnecting')
  })

  test('a socket error is not a hook: hook is undefined and the message is the error’s', async () => {
    const socket = make(quick)
    const errors = errorsOf(socket)
    await flush()
    FakeWebSocket.last().onerror?.({ type: 'error', error: new Error('ECONNREFUSED') })
    expect(errors[0]).toMatchObject({ hook: undefined, message: 'ECONNREFUSED' })
  })
})

describe('lifecycle signals', () => {
  test('a signal whose subscribe throws is reported; the socket connects all the same', async () => {
    const socket = make({
      lifecycle: {
        network: {
          isOnline: () => undefined,
          subscribe: () => bad('no network API here'),
        },
        foreground: false,
      },
    })
    const errors = errorsOf(socket)
    await flush()
    expect(errors.map((event) => event.hook)).toEqual(['lifecycle'])
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })

  test('an isOnline that throws counts as "cannot tell", and the retry is planned', async () => {
    const socket = make({
      ...quick,
      lifecycle: {
        network: { isOnline: () => bad('broken'), subscribe: () => () => bad('cannot unsubscribe') },
        foreground: false,
      },
    })
    const errors = errorsOf(socket)
    await flush()
    FakeWebSocket.last().fail()
    expect(errors.map((event) => event.hook)).toEqual([undefined, 'lifecycle.network'])
    expect(socket.state).toBe('reconnecting')
    socket.close()
    expect(errors.map((event) => event.hook)).toEqual([undefined, 'lifecycle.network', 'lifecycle'])
  })
})

function bad(message: string): never {
  throw new Error(message)
}

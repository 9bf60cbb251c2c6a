import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test, vi } from 'vitest'
import { ResilientWebSocket } from '../../../src'
import { SharedWebSocket } from '../../../src/tabs'
import { flush, TAB_OPTIONS, useTabs } from '../harness'

const tabs = useTabs()

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the call to throw')
}

describe('arguments', () => {
  test('the URL and protocols are checked as ResilientWebSocket checks them', () => {
    expect(thrown(() => new SharedWebSocket('ftp://example.test')).name).toBe('SyntaxError')
    expect(thrown(() => new SharedWebSocket('ws://example.test', ['a', 'A'])).name).toBe('SyntaxError')
    expect(tabs.browser.openChannels).toBe(0)
  })

  test('with a URL function, `channel` is required', () => {
    const error = thrown(() => new SharedWebSocket(() => 'ws://example.test', TAB_OPTIONS))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain('channel')
  })

  test('a channel that is not a string is a TypeError; an empty one a RangeError', () => {
    expect(() => new SharedWebSocket('ws://example.test', { channel: 5 as never })).toThrow(TypeError)
    expect(() => new SharedWebSocket('ws://example.test', { channel: '' })).toThrow(RangeError)
    expect(tabs.browser.openChannels).toBe(0)
  })

  test('CONNECTING, OPEN, CLOSING and CLOSED are 0..3 on the class and on instances', () => {
    const socket = tabs.open('a')
    expect([SharedWebSocket.CONNECTING, SharedWebSocket.OPEN, SharedWebSocket.CLOSING, SharedWebSocket.CLOSED]).toEqual(
      [0, 1, 2, 3],
    )
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3])
  })

  test('before the first word from a leader: connecting, with the URL given', () => {
    const socket = tabs.open('a')
    expect(socket.state).toBe('connecting')
    expect(socket.readyState).toBe(0)
    expect(socket.url).toBe('ws://example.test/feed')
    expect(socket.binaryType).toBe('blob')
    socket.binaryType = 'nonsense' as BinaryType
    expect(socket.binaryType).toBe('blob')
  })
})

describe('which tabs share', () => {
  test('the same URL, however written, shares one connection', async () => {
    tabs.open('a', {}, 'ws://example.test/feed')
    tabs.open('b', {}, 'http://EXAMPLE.test/feed')
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('different URLs or protocols do not share', async () => {
    const a = tabs.browser.in('a', () => new SharedWebSocket('ws://example.test/feed', TAB_OPTIONS))
    const b = tabs.browser.in('b', () => new SharedWebSocket('ws://example.test/other', TAB_OPTIONS))
    const c = tabs.browser.in('c', () => new SharedWebSocket('ws://example.test/feed', 'chat', TAB_OPTIONS))
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(3)
    for (const socket of [a, b, c]) socket.close()
    await flush()
  })

  test('tabs with the same channel share, whatever their URL functions return', async () => {
    const url = () => 'ws://example.test/feed'
    const a = tabs.browser.in('a', () => new SharedWebSocket(url, { ...TAB_OPTIONS, channel: 'feed' }))
    const b = tabs.browser.in('b', () => new SharedWebSocket(url, { ...TAB_OPTIONS, channel: 'feed' }))
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect([a.isLeader, b.isLeader]).toEqual([true, false])
    for (const socket of [a, b]) socket.close()
    await flush()
  })
})

describe('importing', () => {
  test('touches no browser global and starts nothing', async () => {
    vi.resetModules()
    const touched: string[] = []
    const spy = (name: string) => ({
      configurable: true,
      get() {
        touched.push(name)
        return undefined
      },
    })
    const saved = {
      BroadcastChannel: Object.getOwnPropertyDescriptor(globalThis, 'BroadcastChannel'),
      navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'),
    }
    Object.defineProperty(globalThis, 'BroadcastChannel', spy('BroadcastChannel'))
    Object.defineProperty(globalThis, 'navigator', spy('navigator'))
    try {
      const module = await import('../../../src/tabs')
      expect(typeof module.SharedWebSocket).toBe('function')
    } finally {
      Object.defineProperty(globalThis, 'BroadcastChannel', saved.BroadcastChannel!)
      Object.defineProperty(globalThis, 'navigator', saved.navigator!)
    }
    expect(touched).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

/** eventemitter3's methods that return `this`: in a Pick of ResilientWebSocket, `this` is a ResilientWebSocket. */
type Chaining = 'on' | 'once' | 'off' | 'addListener' | 'removeListener' | 'removeAllListeners'

/** The WebSocket interface and lifeline's additions (DESIGN 1-3, 9), as users and adapters call them. */
const PUBLIC = [
  'url',
  'readyState',
  'state',
  'protocol',
  'extensions',
  'binaryType',
  'bufferedAmount',
  'queued',
  'attempt',
  'latency',
  'status',
  'subscribe',
  'send',
  'close',
  'reconnect',
  'drained',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
  'onopen',
  'onmessage',
  'onclose',
  'onerror',
  'on',
  'once',
  'off',
  'CONNECTING',
  'OPEN',
  'CLOSING',
  'CLOSED',
] as const

describe('the interface', () => {
  test('has the public members of ResilientWebSocket, so adapters take it where they take one', () => {
    const socket = tabs.open('a')
    // Checked by the compiler: a SharedWebSocket fits wherever ResilientWebSocket's public interface is asked for.
    const asCore: Pick<ResilientWebSocket, Exclude<keyof ResilientWebSocket, Chaining>> = socket
    const plain = new ResilientWebSocket('ws://example.test', TAB_OPTIONS)
    plain.close()
    for (const name of PUBLIC) {
      expect(name in plain, name).toBe(true)
      expect(name in asCore, name).toBe(true)
      expect(typeof (asCore as any)[name], name).toBe(typeof (plain as any)[name])
    }
  })
})

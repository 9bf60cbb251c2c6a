import { afterEach, describe, expect, test } from 'vitest'
import { normalizeProtocols, normalizeUrl } from '../src/url'

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

function expectSyntaxError(fn: () => unknown): void {
  const error = errorOf(fn)
  expect(error).toBeInstanceOf(DOMException)
  expect((error as DOMException).name).toBe('SyntaxError')
}

describe('normalizeUrl', () => {
  test.each([
    ['ws://example.test/feed', 'ws://example.test/feed'],
    ['wss://example.test/feed?x=1', 'wss://example.test/feed?x=1'],
    ['ws://example.test', 'ws://example.test/'],
    ['http://example.test/feed', 'ws://example.test/feed'],
    ['https://example.test/feed?token=a%20b', 'wss://example.test/feed?token=a%20b'],
    ['HTTP://Example.TEST:8080/a', 'ws://example.test:8080/a'],
    ['https://example.test:443/', 'wss://example.test/'],
    ['http://example.test:80/', 'ws://example.test/'],
    ['https://example.test:8443/', 'wss://example.test:8443/'],
  ])('%s becomes %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected)
  })

  test('accepts URL objects', () => {
    expect(normalizeUrl(new URL('https://example.test/x'))).toBe('wss://example.test/x')
  })

  test.each(['not a url', '', '/relative/path', 'example.test/feed'])('rejects the unparsable %j', (input) => {
    expectSyntaxError(() => normalizeUrl(input))
  })

  test.each([
    'ftp://example.test/',
    'file:///tmp/x',
    'javascript:alert(1)',
    'data:text/plain,x',
    'wsx://example.test/',
  ])('rejects the scheme of %s', (input) => {
    expectSyntaxError(() => normalizeUrl(input))
  })

  test.each(['ws://example.test/#part', 'ws://example.test/#', 'http://example.test/a?b=1#', 'wss://example.test#x'])(
    'rejects the fragment in %s',
    (input) => {
      expectSyntaxError(() => normalizeUrl(input))
    },
  )

  test('an encoded # in the query is not a fragment', () => {
    expect(normalizeUrl('ws://example.test/?q=%23tag')).toBe('ws://example.test/?q=%23tag')
  })
})

describe('relative URLs', () => {
  const globals = globalThis as { document?: unknown; location?: unknown }
  afterEach(() => {
    delete globals.document
    delete globals.location
  })

  test('resolve against the document base URL where there is a document, as the platform does', () => {
    globals.document = { baseURI: 'https://app.example.test/chat/room' }
    expect(normalizeUrl('/live')).toBe('wss://app.example.test/live')
    expect(normalizeUrl('feed?x=1')).toBe('wss://app.example.test/chat/feed?x=1')
  })

  test("resolve against a worker's location where there is no document", () => {
    globals.location = { href: 'http://worker.example.test:8080/w/worker.js' }
    expect(normalizeUrl('/live')).toBe('ws://worker.example.test:8080/live')
  })

  test('are a SyntaxError elsewhere', () => {
    expectSyntaxError(() => normalizeUrl('/live'))
  })

  test('an absolute URL reads neither the document nor the location', () => {
    Object.defineProperty(globals, 'document', {
      configurable: true,
      get: () => {
        throw new Error('document read')
      },
    })
    expect(normalizeUrl('ws://example.test/')).toBe('ws://example.test/')
  })
})

describe('normalizeProtocols', () => {
  test('undefined stays undefined', () => {
    expect(normalizeProtocols(undefined)).toBeUndefined()
  })

  test('null is the protocol "null", and another value not a list is String(value), as WebIDL converts them', () => {
    expect(normalizeProtocols(null)).toEqual(['null'])
    expect(normalizeProtocols(42 as never)).toEqual(['42'])
  })

  test('any iterable of names is a list', () => {
    expect(normalizeProtocols(new Set(['a', 'b']))).toEqual(['a', 'b'])
  })

  test('a single name becomes a list', () => {
    expect(normalizeProtocols('chat')).toEqual(['chat'])
  })

  test('a list is returned as a copy, in order', () => {
    const input = ['v2.chat+json', 'chat', "x!#$%&'*+-.^_`|~9"]
    const output = normalizeProtocols(input)
    expect(output).toEqual(input)
    expect(output).not.toBe(input)
  })

  test('an empty list is allowed', () => {
    expect(normalizeProtocols([])).toEqual([])
  })

  test.each([[''], ['a b'], ['a,b'], ['chat\t'], ['(chat)'], ['ch/at'], ['chät'], ['a:b'], ['"q"']])(
    'rejects the malformed name %j',
    (name) => {
      expectSyntaxError(() => normalizeProtocols(name))
      expectSyntaxError(() => normalizeProtocols(['ok', name]))
    },
  )

  test.each([[['chat', 'chat']], [['chat', 'Chat']], [['a', 'B', 'CHAT', 'b']]])(
    'rejects the repeated names in %j (compared case-insensitively)',
    (list) => {
      expectSyntaxError(() => normalizeProtocols(list))
    },
  )

  test('names differing in more than case are not repeats', () => {
    expect(normalizeProtocols(['chat', 'chat2', 'Chat3'])).toEqual(['chat', 'chat2', 'Chat3'])
  })
})

import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { byteSize, toSendable } from '../src/data'
import { utf8Length } from '../src/utf8'

const encoder = new TextEncoder()

/** Any UTF-16 code unit, so strings include lone and reversed surrogates. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))
/** Strings rich in surrogates, the cases where UTF-16 length and UTF-8 length differ most. */
const surrogateHeavy = fc.constantFrom('\ud83d', '\ude00', '\ud83d\ude00', 'a', 'é', '€', '\udbff\udfff')

describe('utf8Length', () => {
  test.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['\udc00', 3],
    ['\ud800a', 4],
    ['\udc00\ud800', 6],
    ['\ud800\ud800\udc00', 7],
    ['a\ud83d', 4],
  ])('utf8Length(%j) is %i', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes)
    expect(encoder.encode(text).length).toBe(bytes)
  })

  test('agrees with TextEncoder for any code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length)
      }),
    )
  })

  test('agrees with TextEncoder for any UTF-16 code units, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 64 }), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length)
      }),
    )
    fc.assert(
      fc.property(fc.string({ unit: surrogateHeavy, maxLength: 32 }), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length)
      }),
    )
  })
})

describe('byteSize', () => {
  test('strings count UTF-8 bytes, not characters', () => {
    expect(byteSize('héllo 😀')).toBe(11)
  })

  test('buffers and views count byteLength, not the underlying buffer', () => {
    const buffer = new ArrayBuffer(32)
    expect(byteSize(buffer)).toBe(32)
    expect(byteSize(new Uint8Array(buffer, 4, 10))).toBe(10)
    expect(byteSize(new Float64Array(3))).toBe(24)
    expect(byteSize(new DataView(buffer, 16))).toBe(16)
    expect(byteSize(new SharedArrayBuffer(7))).toBe(7)
  })

  test('blobs count size', () => {
    expect(byteSize(new Blob(['€', new Uint8Array(5)]))).toBe(8)
  })
})

describe('toSendable', () => {
  test('strings, buffers, views and blobs pass through unchanged', () => {
    const buffer = new ArrayBuffer(4)
    const view = new Uint16Array(2)
    const dataView = new DataView(buffer)
    const blob = new Blob(['x'])
    const shared = new SharedArrayBuffer(2)
    for (const value of ['text', buffer, view, dataView, blob, shared]) expect(toSendable(value)).toBe(value)
  })

  test('other primitives become strings, as the platform does', () => {
    expect(toSendable(42)).toBe('42')
    expect(toSendable(-0.5)).toBe('-0.5')
    expect(toSendable(true)).toBe('true')
    expect(toSendable(null)).toBe('null')
    expect(toSendable(undefined)).toBe('undefined')
    expect(toSendable(10n)).toBe('10')
  })

  test('objects with their own class become String(value)', () => {
    expect(toSendable(new URL('ws://example.test/a'))).toBe('ws://example.test/a')
    class Ticket {
      toString() {
        return 'ticket-7'
      }
    }
    expect(toSendable(new Ticket())).toBe('ticket-7')
  })

  test('plain objects and arrays throw a TypeError pointing to JSON.stringify', () => {
    for (const value of [{ a: 1 }, [1, 2], Object.create(null)]) {
      expect(() => toSendable(value)).toThrow(TypeError)
      expect(() => toSendable(value)).toThrow(/JSON\.stringify/)
    }
  })

  test('a symbol throws a TypeError', () => {
    expect(() => toSendable(Symbol('s'))).toThrow(TypeError)
  })
})

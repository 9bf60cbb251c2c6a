import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { QueueEntry } from '../src/send-queue'
import { UnsentTail } from '../src/unsent-tail'

/** A remembered message named `name`, with a payload of `bytes` bytes. */
function entry(name: string, bytes: number): QueueEntry {
  return { data: name, bytes, queuedAt: 0, id: undefined, seq: 0, sentAt: 0 }
}

const names = (entries: QueueEntry[]): string[] => entries.map((e) => String(e.data))

/** Hands `sizes` to a tail one after another while nothing leaves the socket: `bufferedAmount` only grows. */
function tailOf(sizes: Record<string, number>, framed = false): UnsentTail {
  const tail = new UnsentTail()
  tail.framed = framed
  let buffered = 0
  for (const [name, bytes] of Object.entries(sizes)) {
    buffered += framed ? wire(bytes) : bytes
    tail.add(entry(name, bytes), buffered)
  }
  return tail
}

/** What `ws` counts in `bufferedAmount` for one unmasked-payload client frame: header, length, 4-byte mask. */
function wire(bytes: number): number {
  if (bytes < 126) return bytes + 2 + 4
  if (bytes < 65536) return bytes + 4 + 4
  return bytes + 10 + 4
}

describe('add and observe', () => {
  test('a new tail remembers nothing', () => {
    const tail = new UnsentTail()
    expect(tail.length).toBe(0)
    expect(tail.framed).toBe(false)
    expect(tail.takeUnsent(100)).toEqual([])
  })

  test('while bufferedAmount covers every message, add remembers them all', () => {
    const tail = tailOf({ a: 10, b: 5, c: 3 })
    expect(tail.length).toBe(3)
    expect(names(tail.takeUnsent(18))).toEqual(['a', 'b', 'c'])
  })

  test('add forgets the oldest messages the new bufferedAmount no longer covers', () => {
    const tail = new UnsentTail()
    tail.add(entry('a', 10), 10)
    tail.add(entry('b', 5), 15)
    // 18 bytes handed over, 8 still buffered: a (10) left entirely; b and c are exactly covered.
    tail.add(entry('c', 3), 8)
    expect(tail.length).toBe(2)
    expect(names(tail.takeUnsent(8))).toEqual(['b', 'c'])
  })

  test('add keeps a message one byte of which is still buffered', () => {
    const tail = new UnsentTail()
    tail.add(entry('a', 10), 10)
    tail.add(entry('b', 5), 15)
    tail.add(entry('c', 3), 9)
    expect(tail.length).toBe(3)
    expect(names(tail.takeUnsent(9))).toEqual(['a', 'b', 'c'])
  })

  test('observe forgets exactly the oldest messages no longer covered', () => {
    const cases: [number, string[]][] = [
      [18, ['a', 'b', 'c']],
      [9, ['a', 'b', 'c']],
      [8, ['b', 'c']],
      [4, ['b', 'c']],
      [3, ['c']],
      [1, ['c']],
    ]
    for (const [buffered, kept] of cases) {
      const tail = tailOf({ a: 10, b: 5, c: 3 })
      tail.observe(buffered)
      expect(tail.length).toBe(kept.length)
      expect(names(tail.takeUnsent(18))).toEqual(kept)
    }
  })

  test('observe keeps the newest message while any byte is buffered, even more bytes than it has', () => {
    const tail = tailOf({ a: 3 })
    tail.observe(1)
    expect(tail.length).toBe(1)
    // bufferedAmount may count bytes that are not messages (a ping frame, say): nothing to forget then.
    tail.observe(50)
    expect(tail.length).toBe(1)
  })

  test('successive looks forget step by step, and a larger look later brings nothing back', () => {
    const tail = tailOf({ a: 10, b: 5, c: 3 })
    tail.observe(8)
    expect(tail.length).toBe(2)
    tail.observe(18)
    expect(tail.length).toBe(2)
    tail.observe(3)
    expect(tail.length).toBe(1)
    expect(names(tail.takeUnsent(3))).toEqual(['c'])
  })

  test('observe(0) forgets everything, and later messages are counted afresh', () => {
    const tail = tailOf({ a: 10, b: 5, c: 3 })
    tail.observe(0)
    expect(tail.length).toBe(0)
    expect(tail.takeUnsent(18)).toEqual([])

    tail.add(entry('d', 4), 4)
    tail.add(entry('e', 6), 10)
    expect(tail.length).toBe(2)
    // Were a, b and c still counted, 6 buffered bytes would cover d and e.
    tail.observe(6)
    expect(names(tail.takeUnsent(6))).toEqual(['e'])
  })
})

describe('takeUnsent', () => {
  test('returns the messages the unsent bytes cover, oldest first, and forgets everything', () => {
    const tail = tailOf({ a: 10, b: 5, c: 3 })
    expect(names(tail.takeUnsent(8))).toEqual(['b', 'c'])
    expect(tail.length).toBe(0)
    expect(tail.takeUnsent(18)).toEqual([])
  })

  test('returns the very entry objects it was given', () => {
    const tail = new UnsentTail()
    const a = entry('a', 2)
    const b = entry('b', 2)
    tail.add(a, 2)
    tail.add(b, 4)
    const taken = tail.takeUnsent(4)
    expect(taken).toHaveLength(2)
    expect(taken[0]).toBe(a)
    expect(taken[1]).toBe(b)
  })

  test('a partially sent message is included', () => {
    const cases: [number, string[]][] = [
      [1, ['c']],
      [3, ['c']],
      [4, ['b', 'c']],
      [8, ['b', 'c']],
      [9, ['a', 'b', 'c']],
      [18, ['a', 'b', 'c']],
    ]
    for (const [unsent, taken] of cases) {
      expect(names(tailOf({ a: 10, b: 5, c: 3 }).takeUnsent(unsent))).toEqual(taken)
    }
  })

  test('more unsent bytes than remembered messages: returns all of them', () => {
    expect(names(tailOf({ a: 10, b: 5 }).takeUnsent(1000))).toEqual(['a', 'b'])
  })

  test('takeUnsent(0) falls back to the last look at bufferedAmount (ws reports 0 once destroyed)', () => {
    const afterAdd = tailOf({ a: 10, b: 5, c: 3 })
    expect(names(afterAdd.takeUnsent(0))).toEqual(['a', 'b', 'c'])
    expect(afterAdd.length).toBe(0)

    const afterObserve = tailOf({ a: 10, b: 5, c: 3 })
    afterObserve.observe(4)
    expect(names(afterObserve.takeUnsent(0))).toEqual(['b', 'c'])

    const afterSmallerObserve = tailOf({ a: 10, b: 5, c: 3 })
    afterSmallerObserve.observe(2)
    expect(names(afterSmallerObserve.takeUnsent(0))).toEqual(['c'])
  })

  test('takeUnsent(0) after the buffer was seen empty returns nothing', () => {
    const tail = tailOf({ a: 10 })
    tail.observe(0)
    tail.add(entry('b', 5), 5)
    tail.observe(0)
    expect(tail.takeUnsent(0)).toEqual([])
  })

  test('a given bufferedAmount wins over the last look, smaller or larger', () => {
    const smaller = tailOf({ a: 10, b: 5, c: 3 })
    expect(names(smaller.takeUnsent(3))).toEqual(['c'])
    const larger = tailOf({ a: 10, b: 5, c: 3 })
    larger.observe(4)
    expect(names(larger.takeUnsent(100))).toEqual(['b', 'c'])
  })
})

describe('framed sizes (ws client frames)', () => {
  /**
   * The size the tail counts for a `bytes`-byte message: with `small` (a 1-byte message handed over just before it)
   * and it both buffered, `small` is forgotten exactly when no more than that size is still buffered.
   */
  function countedSize(bytes: number, framed: boolean, candidate: number): { at: string[]; above: string[] } {
    const smallWire = framed ? 7 : 1
    const tail = (unsent: number) => {
      const t = new UnsentTail()
      t.framed = framed
      t.add(entry('small', 1), smallWire)
      t.add(entry('big', bytes), smallWire + candidate)
      return names(t.takeUnsent(unsent))
    }
    return { at: tail(candidate), above: tail(candidate + 1) }
  }

  test.each([
    [0, 6],
    [1, 7],
    [125, 131],
    [126, 134],
    [65535, 65543],
    [65536, 65550],
    [100_000, 100_014],
  ])('a %i-byte payload counts %i bytes', (bytes, size) => {
    expect(wire(bytes)).toBe(size)
    expect(countedSize(bytes, true, size)).toEqual({ at: ['big'], above: ['small', 'big'] })
  })

  test.each([
    [125, 131],
    [126, 134],
    [65535, 65543],
    [65536, 65550],
  ])('observe and add forget by framed sizes too (%i bytes, %i on the wire)', (bytes, size) => {
    const forgets = (buffered: number) => {
      const tail = new UnsentTail()
      tail.framed = true
      tail.add(entry('small', 1), 7)
      tail.add(entry('big', bytes), 7 + size)
      tail.observe(buffered)
      return tail.length
    }
    expect(forgets(size)).toBe(1)
    expect(forgets(size + 1)).toBe(2)
  })

  test.each([1, 125, 126, 65535, 65536])('unframed, a %i-byte payload counts its own size', (bytes) => {
    expect(countedSize(bytes, false, bytes)).toEqual({ at: ['big'], above: ['small', 'big'] })
  })
})

describe('properties', () => {
  const payload = fc.oneof(
    fc.integer({ min: 0, max: 300 }),
    fc.constantFrom(0, 1, 125, 126, 127, 65535, 65536, 65537),
    fc.integer({ min: 0, max: 70_000 }),
  )

  test('takeUnsent returns exactly the minimal suffix whose size covers the unsent bytes', () => {
    fc.assert(
      fc.property(
        fc.array(payload, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (sizes, framed, fraction) => {
          // Unframed, a 0-byte message would leave bufferedAmount at 0, which a socket reports as "all sent".
          fc.pre(framed || sizes.every((s) => s > 0))
          const sizesOf = sizes.map((s) => (framed ? wire(s) : s))
          const total = sizesOf.reduce((sum, s) => sum + s, 0)
          const unsent = Math.max(1, Math.ceil(fraction * total))

          let suffix = 0
          let covered = 0
          while (covered < unsent) covered += sizesOf[sizes.length - 1 - suffix++]!
          const expected = sizes.map((_, i) => `m${i}`).slice(sizes.length - suffix)

          const tail = new UnsentTail()
          tail.framed = framed
          let buffered = 0
          sizes.forEach((s, i) => {
            buffered += sizesOf[i]!
            tail.add(entry(`m${i}`, s), buffered)
          })
          expect(names(tail.takeUnsent(unsent))).toEqual(expected)
          expect(tail.length).toBe(0)
        },
      ),
      { numRuns: 300 },
    )
  })

  type Step = { kind: 'send'; size: number } | { kind: 'progress'; bytes: number }

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), size: payload }),
    fc.record({ kind: fc.constant('progress' as const), bytes: fc.integer({ min: 0, max: 80_000 }) }),
  )

  test('with sends and progress interleaved, takeUnsent returns the messages with a byte unsent', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, framed, fraction) => {
          fc.pre(framed || steps.every((s) => s.kind !== 'send' || s.size > 0))
          const run = (tail: UnsentTail) => {
            tail.framed = framed
            /** Where each message ends in the stream of bytes handed to the socket. */
            const ends: number[] = []
            let handed = 0
            let sent = 0
            for (const s of steps) {
              if (s.kind === 'send') {
                handed += framed ? wire(s.size) : s.size
                ends.push(handed)
                tail.add(entry(`m${ends.length - 1}`, s.size), handed - sent)
              } else {
                sent = Math.min(handed, sent + s.bytes)
                tail.observe(handed - sent)
              }
            }
            /** The messages with a byte beyond the first `sentAtDeath` bytes. */
            const withByteUnsent = (sentAtDeath: number) =>
              ends.flatMap((end, i) => (end > sentAtDeath ? [`m${i}`] : []))
            return { handed, sent, withByteUnsent }
          }

          // The socket dies with some bytes unsent, no more than at the last look.
          const given = new UnsentTail()
          const { handed, sent, withByteUnsent } = run(given)
          const lastLook = handed - sent
          if (lastLook > 0) {
            const unsent = 1 + Math.floor(fraction * (lastLook - 1))
            expect(names(given.takeUnsent(unsent))).toEqual(withByteUnsent(handed - unsent))
            expect(given.length).toBe(0)
          }

          // The socket reports 0 (ws, once destroyed): the last look stands in.
          const unknown = new UnsentTail()
          run(unknown)
          expect(names(unknown.takeUnsent(0))).toEqual(withByteUnsent(sent))
        },
      ),
      { numRuns: 300 },
    )
  })
})

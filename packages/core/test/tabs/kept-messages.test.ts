import { describe, expect, test } from 'vitest'
import { KeptMessages } from '../../src/tabs/kept-messages'

describe('KeptMessages', () => {
  test('numbers messages in order and counts their bytes', () => {
    const kept = new KeptMessages()
    expect(kept.add('a').seq).toBe(1)
    expect(kept.add('é').seq).toBe(2)
    expect(kept.add(new Uint8Array(5)).seq).toBe(3)
    expect(kept.bytes).toBe(1 + 2 + 5)
    expect(kept.list.map((m) => m.seq)).toEqual([1, 2, 3])
  })

  test('handed(seqs) forgets exactly the messages numbered, in any order, and returns them', () => {
    const kept = new KeptMessages()
    for (const text of ['a', 'bb', 'ccc']) kept.add(text)
    expect(kept.handed([2]).map((m) => m.data)).toEqual(['bb'])
    expect(kept.list.map((m) => m.data)).toEqual(['a', 'ccc'])
    expect(kept.bytes).toBe(4)
    expect(kept.handed([2, 9])).toEqual([])
    expect(kept.handed([3, 1]).map((m) => m.seq)).toEqual([1, 3])
    expect(kept.list).toEqual([])
    expect(kept.bytes).toBe(0)
  })

  test('remove(seq) takes one message out, anywhere, once', () => {
    const kept = new KeptMessages()
    for (const text of ['a', 'bb', 'ccc']) kept.add(text)
    expect(kept.remove(2)?.data).toBe('bb')
    expect(kept.remove(2)).toBeUndefined()
    expect(kept.remove(-1)).toBeUndefined()
    expect(kept.list.map((m) => m.seq)).toEqual([1, 3])
    expect(kept.bytes).toBe(4)
    expect(kept.add('d').seq).toBe(4)
  })
})

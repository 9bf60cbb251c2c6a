import { describe, expect, test } from 'vitest'
import { QueueFullError, type SendData } from '../src'
import { byteSize } from '../src/data'
import { type QueueEntry, type QueueLimits, SendQueue } from '../src/send-queue'
import { heldQueue } from './helpers/held-queue'

function entry(data: SendData, init: Partial<QueueEntry> = {}): QueueEntry {
  return { data, bytes: byteSize(data), queuedAt: 0, id: undefined, seq: 0, sentAt: 0, ...init }
}

function queueOf(limits: Partial<QueueLimits> = {}): SendQueue {
  return new SendQueue({ maxMessages: 100, maxBytes: 1000, overflow: 'drop-oldest', ...limits })
}

function drain(queue: SendQueue): SendData[] {
  const out: SendData[] = []
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) out.push(next.data)
  return out
}

const dataOf = (entries: QueueEntry[]) => entries.map((e) => e.data)

describe('SendQueue order', () => {
  test('shift returns messages first in, first out, and counts messages and bytes', () => {
    const queue = queueOf()
    for (const data of ['a', 'bb', 'ccc']) expect(queue.push(entry(data))).toEqual([])
    expect(queue.length).toBe(3)
    expect(queue.bytes).toBe(6)
    expect(queue.peek()?.data).toBe('a')
    expect(queue.shift()?.data).toBe('a')
    expect(queue.length).toBe(2)
    expect(queue.bytes).toBe(5)
    expect(drain(queue)).toEqual(['bb', 'ccc'])
    expect(queue.shift()).toBeUndefined()
    expect(queue.peek()).toBeUndefined()
    expect(queue.bytes).toBe(0)
  })

  test('keeps order across thousands of pushes and shifts', () => {
    const queue = queueOf({ maxMessages: 10_000, maxBytes: 1_000_000 })
    const out: SendData[] = []
    for (let i = 0; i < 3000; i++) queue.push(entry(`m${i}`))
    for (let i = 0; i < 2000; i++) out.push(queue.shift()!.data)
    for (let i = 3000; i < 4000; i++) queue.push(entry(`m${i}`))
    out.push(...drain(queue))
    expect(out).toEqual(Array.from({ length: 4000 }, (_, i) => `m${i}`))
    expect(queue.bytes).toBe(0)
  })
})

describe('SendQueue bounds', () => {
  test('maxMessages with drop-oldest evicts the oldest and reports it', () => {
    const queue = queueOf({ maxMessages: 3 })
    for (const data of ['a', 'b', 'c']) queue.push(entry(data))
    expect(dataOf(queue.push(entry('d')))).toEqual(['a'])
    expect(queue.snapshot()).toEqual(['b', 'c', 'd'])
  })

  test('maxBytes counts UTF-8 bytes: multi-byte characters and surrogate pairs', () => {
    const queue = queueOf({ maxBytes: 10 })
    const euro = entry('€€') // 6 bytes in UTF-8, 2 UTF-16 code units
    const smile = entry('😀') // a surrogate pair: 4 bytes
    expect(euro.bytes).toBe(6)
    expect(smile.bytes).toBe(4)
    expect(queue.push(euro)).toEqual([])
    expect(queue.push(smile)).toEqual([])
    expect(queue.bytes).toBe(10)
    expect(dataOf(queue.push(entry('é')))).toEqual(['€€'])
    expect(queue.snapshot()).toEqual(['😀', 'é'])
    expect(queue.bytes).toBe(6)
  })

  test('maxBytes counts byteLength for buffers and views, size for blobs', () => {
    const queue = queueOf({ maxBytes: 16 })
    const view = new Uint8Array(new ArrayBuffer(64), 8, 4)
    const blob = new Blob(['12345678'])
    queue.push(entry(new ArrayBuffer(4)))
    queue.push(entry(view))
    queue.push(entry(blob))
    expect(queue.bytes).toBe(16)
    const evicted = queue.push(entry(new DataView(new ArrayBuffer(2))))
    expect(evicted.map((e) => e.bytes)).toEqual([4])
    expect(queue.snapshot()).toEqual([view, blob, expect.any(DataView)])
    expect(queue.bytes).toBe(14)
  })

  test('drop-oldest evicts as many as needed to fit a large message', () => {
    const queue = queueOf({ maxBytes: 10 })
    for (const data of ['aaa', 'bbb', 'ccc']) queue.push(entry(data))
    expect(dataOf(queue.push(entry('dddddddd')))).toEqual(['aaa', 'bbb', 'ccc'])
    expect(queue.snapshot()).toEqual(['dddddddd'])
  })

  test('drop-newest drops the incoming message and keeps the queue as it was', () => {
    const queue = queueOf({ maxMessages: 2, overflow: 'drop-newest' })
    queue.push(entry('a'))
    queue.push(entry('b'))
    const incoming = entry('c')
    expect(queue.push(incoming)).toEqual([incoming])
    expect(queue.snapshot()).toEqual(['a', 'b'])
    expect(queue.bytes).toBe(2)
  })

  test('throw raises QueueFullError with the message and queues nothing', () => {
    const queue = queueOf({ maxBytes: 4, overflow: 'throw' })
    queue.push(entry('abc'))
    let error: unknown
    try {
      queue.push(entry('de'))
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(QueueFullError)
    expect((error as QueueFullError).name).toBe('QueueFullError')
    expect((error as QueueFullError).data).toBe('de')
    expect(queue.snapshot()).toEqual(['abc'])
    expect(queue.bytes).toBe(3)
  })

  test('a single message larger than maxBytes is dropped alone, the rest stays', () => {
    for (const overflow of ['drop-oldest', 'drop-newest'] as const) {
      const queue = queueOf({ maxBytes: 5, overflow })
      queue.push(entry('ab'))
      const huge = entry('€€') // 6 bytes, although only 2 characters
      expect(queue.push(huge)).toEqual([huge])
      expect(queue.snapshot()).toEqual(['ab'])
    }
  })

  test('a single message larger than maxBytes throws with throw, even into an empty queue', () => {
    const queue = queueOf({ maxBytes: 5, overflow: 'throw' })
    expect(() => queue.push(entry('123456'))).toThrow(/larger than queue\.maxBytes/)
    expect(queue.length).toBe(0)
  })

  test('maxMessages below 1 holds nothing', () => {
    const queue = queueOf({ maxMessages: 0 })
    const incoming = entry('a')
    expect(queue.push(incoming)).toEqual([incoming])
    expect(queue.length).toBe(0)
  })

  test('held (unacknowledged) messages count against the bounds and are evicted first', () => {
    const { queue, held } = heldQueue({ maxMessages: 3 })
    held.hold({ ...entry('sent-1'), id: '1', seq: 1 })
    held.hold({ ...entry('sent-2'), id: '2', seq: 2 })
    queue.push(entry('waiting-1'))
    expect(queue.heldCount).toBe(3)
    expect(queue.heldBytes).toBe(6 + 6 + 9)
    expect(dataOf(queue.push(entry('waiting-2')))).toEqual(['sent-1'])
    expect(held.count).toBe(1)
    expect(queue.snapshot()).toEqual(['sent-2', 'waiting-1', 'waiting-2'])
  })
})

describe('SendQueue eviction order', () => {
  test('drop-oldest evicts the lowest hand-off number, even after a resend re-held it last', () => {
    const { queue, held } = heldQueue({ maxMessages: 2 })
    const first = entry('#1', { id: 'a', seq: 1 })
    const second = entry('#2', { id: 'b', seq: 2 })
    held.hold(first as QueueEntry & { id: string })
    held.hold(second as QueueEntry & { id: string })
    // #1 goes back to the queue and is sent again: it keeps its number but is held after #2 now.
    held.remove(first)
    expect(queue.unshift([first])).toEqual([])
    held.hold(queue.shift()! as QueueEntry & { id: string })
    expect(dataOf(queue.push(entry('#3')))).toEqual(['#1'])
    expect(queue.snapshot()).toEqual(['#2', '#3'])
  })

  test('drop-oldest evicts a message put back at the front before newer held ones', () => {
    const { queue, held } = heldQueue({ maxMessages: 2 })
    held.hold(entry('#2', { id: 'b', seq: 2 }) as QueueEntry & { id: string })
    queue.unshift([entry('#1', { id: 'a', seq: 1 })])
    expect(dataOf(queue.push(entry('#3')))).toEqual(['#1'])
    expect(queue.snapshot()).toEqual(['#2', '#3'])
  })

  test('without held messages, drop-oldest evicts the front of the queue', () => {
    const { queue } = heldQueue({ maxMessages: 2 })
    queue.push(entry('a'))
    queue.push(entry('b'))
    expect(dataOf(queue.push(entry('c')))).toEqual(['a'])
  })
})

describe('SendQueue ttl', () => {
  test('expire removes the waiting messages queued before the deadline, oldest first', () => {
    const queue = queueOf()
    queue.push(entry('t100', { queuedAt: 100 }))
    queue.push(entry('t200', { queuedAt: 200 }))
    queue.push(entry('t300', { queuedAt: 300 }))
    expect(queue.expire(100)).toEqual([])
    expect(dataOf(queue.expire(250))).toEqual(['t100', 't200'])
    expect(queue.snapshot()).toEqual(['t300'])
    expect(queue.bytes).toBe(4)
  })
})

describe('SendQueue unshift', () => {
  test('puts messages back before the waiting ones, in the given order', () => {
    const queue = queueOf()
    queue.push(entry('c'))
    expect(queue.unshift([entry('a'), entry('b')])).toEqual([])
    expect(queue.bytes).toBe(3)
    expect(drain(queue)).toEqual(['a', 'b', 'c'])
  })

  test('after shifts, unshift keeps what still waits', () => {
    const queue = queueOf()
    for (const data of ['x', 'y', 'z']) queue.push(entry(data))
    queue.shift()
    queue.unshift([entry('w')])
    expect(queue.snapshot()).toEqual(['w', 'y', 'z'])
  })

  test('drop-oldest evicts from the front to stay within bounds', () => {
    const queue = queueOf({ maxMessages: 3 })
    queue.push(entry('c'))
    queue.push(entry('d'))
    expect(dataOf(queue.unshift([entry('a'), entry('b')]))).toEqual(['a'])
    expect(queue.snapshot()).toEqual(['b', 'c', 'd'])
  })

  test('drop-newest and throw evict the newest instead', () => {
    for (const overflow of ['drop-newest', 'throw'] as const) {
      const queue = queueOf({ maxBytes: 3, overflow })
      queue.push(entry('c'))
      queue.push(entry('d'))
      expect(dataOf(queue.unshift([entry('a'), entry('b')]))).toEqual(['d'])
      expect(queue.snapshot()).toEqual(['a', 'b', 'c'])
      expect(queue.bytes).toBe(3)
    }
  })
})

describe('SendQueue release', () => {
  test('removes the messages with that id put back to be sent again, but not messages never sent', () => {
    const queue = queueOf()
    queue.push(entry('#b never sent', { id: 'b' }))
    queue.push(entry('#a never sent', { id: 'a' }))
    queue.unshift([
      entry('#a resend', { id: 'a', seq: 1 }),
      entry('plain', { seq: 2 }),
      entry('#c', { id: 'c', seq: 3 }),
    ])
    expect(queue.release('a')).toBe(1)
    expect(queue.snapshot()).toEqual(['plain', '#c', '#b never sent', '#a never sent'])
    expect(queue.bytes).toBe(5 + 2 + 13 + 13)
    expect(queue.release('c')).toBe(1)
    expect(queue.release('unknown')).toBe(0)
    expect(drain(queue)).toEqual(['plain', '#b never sent', '#a never sent'])
  })

  test('snapshot lists held messages by hand-off order, then waiting ones', () => {
    const { queue, held } = heldQueue()
    queue.push(entry('waiting-1'))
    held.hold({ ...entry('sent-2'), id: 'y', seq: 2 })
    held.hold({ ...entry('sent-1'), id: 'x', seq: 1 })
    queue.push(entry('waiting-2'))
    expect(queue.snapshot()).toEqual(['sent-1', 'sent-2', 'waiting-1', 'waiting-2'])
    expect(queue.heldCount).toBe(4)
  })
})

describe('SendQueue withdraw', () => {
  test('takes back waiting messages by their place in snapshot(), keeping the others in order', () => {
    const queue = queueOf()
    for (const data of ['a', 'bb', 'ccc', 'dddd']) queue.push(entry(data))
    expect(queue.withdraw([1, 3])).toEqual([1, 3])
    expect(queue.snapshot()).toEqual(['a', 'ccc'])
    expect(queue.length).toBe(2)
    expect(queue.bytes).toBe(4)
    expect(drain(queue)).toEqual(['a', 'ccc'])
  })

  test('after shifts: places count from the next message to send', () => {
    const queue = queueOf()
    for (const data of ['a', 'b', 'c', 'd']) queue.push(entry(data))
    queue.shift()
    expect(queue.snapshot()).toEqual(['b', 'c', 'd'])
    expect(queue.withdraw([0, 2])).toEqual([0, 2])
    expect(drain(queue)).toEqual(['c'])
  })

  test('does not take back unacknowledged (sent) messages, nor places past the end', () => {
    const { queue, held } = heldQueue()
    held.hold({ ...entry('sent'), id: 'x', seq: 1 })
    queue.push(entry('waiting'))
    expect(queue.snapshot()).toEqual(['sent', 'waiting'])
    expect(queue.withdraw([0, 1, 2])).toEqual([1])
    expect(queue.snapshot()).toEqual(['sent'])
    expect(queue.heldCount).toBe(1)
    expect(queue.bytes).toBe(0)
  })
})

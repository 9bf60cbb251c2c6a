import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import type { SendData } from '../../src'
import { byteSize } from '../../src/data'
import { acknowledged } from '../../src/delivery'
import type { QueueEntry } from '../../src/send-queue'
import { heldQueue } from '../helpers/held-queue'

function sent(data: string, id: string, seq: number, sentAt = 0): QueueEntry & { id: string } {
  return { data, bytes: byteSize(data), queuedAt: 0, id, seq, sentAt }
}

const dataOf = (entries: QueueEntry[]): SendData[] => entries.map((entry) => entry.data)

/** A store over hooks of the test's own, reporting into `reports`. */
function storeWith(
  hooks: { id: (data: SendData) => unknown; ackOf: (data: unknown) => unknown },
  reports: unknown[][] = [],
) {
  return acknowledged(hooks as never).create({
    queue: heldQueue().queue,
    report: (error, hook) => reports.push([hook, error]),
    requeue: () => {},
    drop: () => {},
    pump: () => {},
    changed: () => {},
  })
}

describe('holding and acknowledging', () => {
  test('hold keeps a message until its ack; an ack releases every copy of the id', () => {
    const { held, calls } = heldQueue()
    held.hold(sent('one', 'a', 1))
    held.hold(sent('again', 'a', 2))
    held.hold(sent('two', 'b', 3))
    expect(held.count).toBe(3)
    expect(held.bytes).toBe(11)
    held.acknowledge('a')
    expect(held.count).toBe(1)
    expect(held.bytes).toBe(3)
    expect(dataOf(held.list())).toEqual(['two'])
    expect(calls.changes).toBe(1)
    held.acknowledge('unknown')
    expect(held.count).toBe(1)
  })

  test('an ack also releases the copies put back in the queue to be sent again', () => {
    const { queue, held } = heldQueue()
    queue.unshift([sent('#a resend', 'a', 1), { ...sent('plain', 'x', 2), id: undefined }])
    held.hold(sent('#a held', 'a', 3))
    held.acknowledge('a')
    expect(queue.snapshot()).toEqual(['plain'])
    expect(held.count).toBe(0)
  })

  test('ackOf may answer a list; numbers count as their string; null and undefined are not acks', () => {
    const { held } = heldQueue()
    held.hold(sent('one', '1', 1))
    held.hold(sent('two', '2', 2))
    held.hold(sent('three', '3', 3))
    held.acknowledge(['1', '2'])
    expect(dataOf(held.list())).toEqual(['three'])
    held.acknowledge(null)
    held.acknowledge(undefined)
    expect(held.count).toBe(1)
    held.acknowledge(3)
    expect(held.count).toBe(0)
  })

  test('list() and takeAll() give hand-off order; takeAll() forgets everything', () => {
    const { held } = heldQueue()
    held.hold(sent('third', 'c', 3))
    held.hold(sent('first', 'a', 1))
    held.hold(sent('second', 'b', 2))
    expect(dataOf(held.list())).toEqual(['first', 'second', 'third'])
    expect(held.oldest()?.data).toBe('first')
    expect(dataOf(held.takeAll())).toEqual(['first', 'second', 'third'])
    expect(held.count).toBe(0)
    expect(held.bytes).toBe(0)
    expect(held.oldest()).toBeUndefined()
  })

  test('remove() stops holding one message; removing one not held changes nothing', () => {
    const { held } = heldQueue()
    const first = sent('first', 'a', 1)
    held.hold(first)
    held.hold(sent('second', 'a', 2))
    held.remove(first)
    held.remove(first)
    expect(dataOf(held.list())).toEqual(['second'])
    expect(held.count).toBe(1)
  })
})

describe('hooks that throw', () => {
  test('id: reported as delivery.id, and the message has no id', () => {
    const reports: unknown[][] = []
    const bug = new Error('no id')
    const held = storeWith(
      {
        id: () => {
          throw bug
        },
        ackOf: () => undefined,
      },
      reports,
    )
    expect(held.id('x')).toBeUndefined()
    expect(reports).toEqual([['delivery.id', bug]])
  })

  test('ackOf: reported as delivery.ackOf, and the message is not an ack', () => {
    const reports: unknown[][] = []
    const throwing = storeWith({ id: () => 'a', ackOf: (data) => JSON.parse(String(data)).ack }, reports)
    throwing.hold(sent('x', 'a', 1))
    throwing.acknowledge('not json')
    expect(throwing.count).toBe(1)
    expect(reports.map(([hook]) => hook)).toEqual(['delivery.ackOf'])
    throwing.acknowledge('{"ack":"a"}')
    expect(throwing.count).toBe(0)
  })

  test('an id that is a number becomes its string; null is no id', () => {
    expect(storeWith({ id: () => 7, ackOf: () => undefined }).id('x')).toBe('7')
    expect(storeWith({ id: () => null, ackOf: () => undefined }).id('x')).toBeUndefined()
  })
})

describe('timeout', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  test("messages not acknowledged within timeout go back to be sent again ('resend'), then the pump runs", () => {
    const { held, calls } = heldQueue({}, { timeout: 1000 })
    held.hold(sent('old', 'a', 1, Date.now()))
    held.sent()
    vi.advanceTimersByTime(400)
    held.hold(sent('newer', 'b', 2, Date.now()))
    held.sent()
    vi.advanceTimersByTime(599)
    expect(calls.requeued).toEqual([])
    vi.advanceTimersByTime(1)
    expect(calls.requeued.map(dataOf)).toEqual([['old']])
    expect(calls.pumps).toBe(1)
    vi.advanceTimersByTime(400)
    expect(calls.requeued.map(dataOf)).toEqual([['old'], ['newer']])
    expect(vi.getTimerCount()).toBe(0)
  })

  test("'drop' drops them with reason unacknowledged", () => {
    const { held, calls } = heldQueue({}, { timeout: 1000, onTimeout: 'drop' })
    held.hold(sent('late', 'a', 1, Date.now()))
    held.sent()
    vi.advanceTimersByTime(1000)
    expect(calls.dropped.map(([entries, reason]) => [dataOf(entries), reason])).toEqual([[['late'], 'unacknowledged']])
    expect(held.count).toBe(0)
  })

  test('stop() clears the timer; without a timeout no timer is armed', () => {
    const { held } = heldQueue({}, { timeout: 1000 })
    held.hold(sent('x', 'a', 1, Date.now()))
    held.sent()
    expect(vi.getTimerCount()).toBe(1)
    held.stop()
    expect(vi.getTimerCount()).toBe(0)
    const untimed = heldQueue()
    untimed.held.hold(sent('x', 'a', 1, Date.now()))
    untimed.held.sent()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('acknowledged()', () => {
  test.each<[string, unknown, ErrorConstructor, string]>([
    ['no options', undefined, TypeError, 'id'],
    ['no ackOf', { id: () => undefined }, TypeError, 'ackOf'],
    [
      'a negative timeout',
      { id: () => undefined, ackOf: () => undefined, timeout: -1 },
      RangeError,
      'delivery.timeout',
    ],
    [
      'a NaN timeout',
      { id: () => undefined, ackOf: () => undefined, timeout: Number.NaN },
      RangeError,
      'delivery.timeout',
    ],
    [
      'a timeout beyond a timer',
      { id: () => undefined, ackOf: () => undefined, timeout: 2 ** 31 },
      RangeError,
      'delivery.timeout',
    ],
    [
      "onTimeout 'retry'",
      { id: () => undefined, ackOf: () => undefined, onTimeout: 'retry' },
      RangeError,
      'delivery.onTimeout',
    ],
  ])('%s: a clear error', (_what, options, type, name) => {
    expect(() => acknowledged(options as never)).toThrow(type)
    expect(() => acknowledged(options as never)).toThrow(name)
  })

  test('Infinity is an accepted timeout (never), and the result is frozen', () => {
    const delivery = acknowledged({ id: () => undefined, ackOf: () => undefined, timeout: Number.POSITIVE_INFINITY })
    expect(Object.isFrozen(delivery)).toBe(true)
    expect(typeof delivery.create).toBe('function')
  })
})

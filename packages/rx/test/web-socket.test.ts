import { Subject } from 'rxjs'
import { describe, expect, test, vi } from 'vitest'
import { type WebSocketSubject, type WebSocketSubjectConfig, webSocket } from '../src'
import { FAKE, FakeWebSocket, flush, openLast, record, reported, useFakes } from './helpers/fake'

const made: WebSocketSubject<any>[] = []
useFakes(() => {
  for (const subject of made.splice(0)) subject.complete()
})

function make<T = any>(config: Partial<WebSocketSubjectConfig<T>> = {}): WebSocketSubject<T> {
  const subject = webSocket<T>({ ...FAKE, ...config } as WebSocketSubjectConfig<T>)
  made.push(subject)
  return subject
}

describe('connecting and sending', () => {
  test('connects on the first subscriber only; values sent before go out in order once open', async () => {
    const subject = make()
    subject.next({ n: 1 })
    subject.next({ n: 2 })
    await flush(5000)
    expect(FakeWebSocket.instances).toHaveLength(0)
    const log: string[] = []
    subject.subscribe(record(log))
    const ws = await openLast()
    expect(ws.url).toBe('ws://example.test/feed')
    expect(ws.sent).toEqual(['{"n":1}', '{"n":2}'])
    subject.next({ n: 3 })
    expect(ws.sent.at(-1)).toBe('{"n":3}')
    ws.receive('{"price":7}')
    expect(log).toEqual(['next:{"price":7}'])
  })

  test('accepts a URL string, like rxjs', async () => {
    const subject = webSocket('ws://example.test/plain')
    made.push(subject)
    expect(FakeWebSocket.instances).toHaveLength(0)
    // No WebSocketCtor: the global one is looked up at the attempt, and Node 20 has none; the subject gives up.
    const log: string[] = []
    subject.subscribe(record(log))
    await flush()
    expect(log).toEqual(['error:1006'])
  })

  test('a lost connection reaches no subscriber; what is sent meanwhile arrives after the reconnect, in order, once', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    const first = await openLast()
    first.serverClose(1006)
    subject.next('a')
    subject.next('b')
    await flush(100)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    second.open()
    await flush()
    expect(second.sent).toEqual(['"a"', '"b"'])
    expect(first.sent).toEqual([])
    second.receive('1')
    expect(log).toEqual(['next:1'])
  })

  test('protocol, binaryType and the lifeline options reach the connection', async () => {
    const subject = make({ protocol: ['v2'], binaryType: 'arraybuffer' })
    subject.subscribe()
    const ws = await openLast()
    expect(ws.protocols).toEqual(['v2'])
    expect(ws.binaryType).toBe('arraybuffer')
  })

  test('WebSocketCtor wins over WebSocket; with neither, the global is used', async () => {
    class Other extends FakeWebSocket {}
    const subject = make({ WebSocketCtor: Other, WebSocket: FakeWebSocket })
    subject.subscribe()
    await flush()
    expect(FakeWebSocket.last()).toBeInstanceOf(Other)
  })

  test('a closeDelay below 0 or NaN is a RangeError naming it', () => {
    expect(() => webSocket({ url: 'ws://x.test', closeDelay: -1 })).toThrow(RangeError)
    expect(() => webSocket({ url: 'ws://x.test', closeDelay: Number.NaN })).toThrow(/closeDelay: NaN/)
  })
})

describe('closing after the last subscriber', () => {
  test('closes closeDelay ms after the last subscriber leaves, not before, and does not reconnect', async () => {
    const subject = make()
    const a = subject.subscribe()
    const b = subject.subscribe()
    const ws = await openLast()
    a.unsubscribe()
    await flush(5000)
    expect(ws.closeCalls).toEqual([])
    b.unsubscribe()
    await flush(999)
    expect(ws.closeCalls).toEqual([])
    await flush(1)
    expect(ws.closeCalls).toHaveLength(1)
    ws.finishClose()
    await flush(60_000)
    expect(FakeWebSocket.instances).toEqual([ws])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('a subscriber that comes back within closeDelay keeps the connection', async () => {
    const subject = make({ closeDelay: 500 })
    subject.subscribe().unsubscribe()
    const ws = await openLast()
    await flush(499)
    const log: string[] = []
    subject.subscribe(record(log))
    await flush(5000)
    expect(ws.closeCalls).toEqual([])
    ws.receive('2')
    expect(log).toEqual(['next:2'])
  })

  test('after closing for lack of subscribers, the next subscriber connects again and gets what was queued', async () => {
    const subject = make({ closeDelay: 0 })
    subject.subscribe().unsubscribe()
    await flush()
    const first = FakeWebSocket.last()
    // Still connecting when the last subscriber left: what was sent waits for the next connection.
    subject.next('kept')
    await flush()
    expect(first.closeCalls).toHaveLength(1)
    subject.next('later')
    subject.subscribe()
    const second = await openLast()
    expect(second).not.toBe(first)
    expect(second.sent).toEqual(['"kept"', '"later"'])
  })

  test('closeDelay Infinity keeps the connection until complete()', async () => {
    const subject = make({ closeDelay: Number.POSITIVE_INFINITY })
    subject.subscribe().unsubscribe()
    const ws = await openLast()
    await flush(3_600_000)
    expect(ws.closeCalls).toEqual([])
    subject.complete()
    expect(ws.closeCalls).toHaveLength(1)
  })
})

describe('ending', () => {
  test('giving up is one error per subscriber, with the final close; the next subscriber starts again', async () => {
    const subject = make({ reconnect: { maxAttempts: 2, minDelay: 100, maxDelay: 100, jitter: 'none' } })
    const a: string[] = []
    const b: string[] = []
    subject.subscribe(record(a))
    subject.subscribe(record(b))
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    FakeWebSocket.last().fail()
    await flush(10_000)
    expect(a).toEqual(['error:1006'])
    expect(b).toEqual(['error:1006'])
    expect(FakeWebSocket.instances).toHaveLength(2)
    const c: string[] = []
    subject.subscribe(record(c))
    const ws = await openLast()
    expect(FakeWebSocket.instances).toHaveLength(3)
    ws.receive('3')
    expect(c).toEqual(['next:3'])
    expect(a).toHaveLength(1)
  })

  test('complete() closes for good and completes every subscriber; later subscribers complete at once', async () => {
    const closing = vi.fn()
    const subject = make({ closingObserver: { next: closing } })
    const log: string[] = []
    subject.subscribe(record(log))
    subject.subscribe(record(log))
    const ws = await openLast()
    subject.complete()
    expect(closing).toHaveBeenCalledTimes(1)
    expect(ws.closeCalls).toEqual([{ code: undefined, reason: undefined }])
    expect(log).toEqual(['complete', 'complete'])
    ws.finishClose()
    subject.next('ignored')
    const late: string[] = []
    subject.subscribe(record(late))
    expect(late).toEqual(['complete'])
    subject.complete()
    expect(closing).toHaveBeenCalledTimes(1)
    await flush(60_000)
    expect(FakeWebSocket.instances).toEqual([ws])
    expect(ws.sent).toEqual([])
  })

  test('error({ code, reason }) closes with them and completes subscribers', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    const ws = await openLast()
    subject.error({ code: 4000, reason: 'bye' })
    expect(ws.closeCalls).toEqual([{ code: 4000, reason: 'bye' }])
    expect(log).toEqual(['complete'])
  })

  test('error() with a code the platform refuses throws its DOMException and changes nothing', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    const ws = await openLast()
    expect(() => subject.error({ code: 1001 })).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }))
    expect(ws.closeCalls).toEqual([])
    ws.receive('1')
    subject.next('still')
    expect(log).toEqual(['next:1'])
    expect(ws.sent).toEqual(['"still"'])
  })

  test('complete() while connecting completes subscribers and leaves no timer', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    await flush()
    subject.complete()
    expect(log).toEqual(['complete'])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('unsubscribe() is complete()', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    const ws = await openLast()
    subject.unsubscribe()
    expect(ws.closeCalls).toHaveLength(1)
    expect(log).toEqual(['complete'])
  })
})

describe('observers', () => {
  test('openObserver and closeObserver see every open and close, reconnections included', async () => {
    const events: string[] = []
    const subject = make({
      openObserver: { next: (e) => events.push(`open:${e.reconnected}`) },
      closeObserver: { next: (e) => events.push(`close:${e.code}:${e.willReconnect}`) },
    })
    subject.subscribe()
    const first = await openLast()
    first.serverClose(1006)
    await flush(100)
    FakeWebSocket.last().open()
    await flush()
    subject.complete()
    FakeWebSocket.last().finishClose(1000)
    expect(events).toEqual(['open:false', 'close:1006:true', 'open:true', 'close:1000:false'])
  })

  test('accepts rxjs Subjects as observers', async () => {
    const opens = new Subject<unknown>()
    const seen: unknown[] = []
    opens.subscribe((e) => seen.push(e))
    const subject = make({ openObserver: opens })
    subject.subscribe()
    await openLast()
    expect(seen).toHaveLength(1)
  })
})

describe("a user's function that throws", () => {
  test('a throwing deserializer skips that message, is reported, and later messages flow', async () => {
    const subject = make()
    const log: string[] = []
    subject.subscribe(record(log))
    const ws = await openLast()
    ws.receive('not json')
    ws.receive('2')
    expect(log).toEqual(['next:2'])
    expect(reported).toHaveLength(1)
    expect(reported[0]).toBeInstanceOf(SyntaxError)
  })

  test('a throwing serializer throws from next(); nothing is sent and the socket goes on', async () => {
    const subject = make<{ n: number }>({
      serializer: (value) => {
        if (value.n < 0) throw new RangeError('negative')
        return String(value.n)
      },
    })
    subject.subscribe()
    const ws = await openLast()
    expect(() => subject.next({ n: -1 })).toThrow('negative')
    subject.next({ n: 1 })
    expect(ws.sent).toEqual(['1'])
  })

  test('throwing observers are reported; the queue is still flushed and messages still flow', async () => {
    const boom = () => {
      throw new Error('observer bug')
    }
    const subject = make({
      openObserver: { next: boom },
      closeObserver: { next: boom },
      closingObserver: { next: boom },
    })
    const log: string[] = []
    subject.subscribe(record(log))
    subject.next('queued')
    const first = await openLast()
    expect(first.sent).toEqual(['"queued"'])
    first.serverClose(1006)
    await flush(100)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    second.receive('5')
    subject.complete()
    expect(log).toEqual(['next:5', 'complete'])
    expect(reported.map((e) => (e as Error).message)).toEqual([
      'observer bug',
      'observer bug',
      'observer bug',
      'observer bug',
    ])
  })
})

describe('multiplex', () => {
  const sub = (topic: string) => () => ({ sub: topic })
  const unsub = (topic: string) => () => ({ unsub: topic })
  const of = (topic: string) => (m: any) => m.topic === topic

  test('one subscribe message per topic, across subscribers and multiplex() calls; one unsubscribe when the last leaves', async () => {
    const subject = make()
    subject.subscribe()
    const ws = await openLast()
    const a1: string[] = []
    const a2: string[] = []
    const b: string[] = []
    const first = subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe(record(a1))
    const second = subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe(record(a2))
    const third = subject.multiplex(sub('b'), unsub('b'), of('b')).subscribe(record(b))
    expect(ws.sent).toEqual(['{"sub":"a"}', '{"sub":"b"}'])
    ws.receive('{"topic":"a","v":1}')
    ws.receive('{"topic":"b","v":2}')
    expect(a1).toEqual(['next:{"topic":"a","v":1}'])
    expect(a2).toEqual(a1)
    expect(b).toEqual(['next:{"topic":"b","v":2}'])
    first.unsubscribe()
    expect(ws.sent).toHaveLength(2)
    second.unsubscribe()
    third.unsubscribe()
    expect(ws.sent).toEqual(['{"sub":"a"}', '{"sub":"b"}', '{"unsub":"a"}', '{"unsub":"b"}'])
  })

  test('topics in use are subscribed again after every reconnect, once each, after the handshake', async () => {
    const subject = make({ handshake: (send) => send('auth') })
    subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe()
    subject.multiplex(sub('b'), unsub('b'), of('b')).subscribe()
    const first = await openLast()
    expect(first.sent).toEqual(['auth', '{"sub":"a"}', '{"sub":"b"}'])
    first.serverClose(1006)
    subject.next('queued')
    await flush(100)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual(['auth', '{"sub":"a"}', '{"sub":"b"}', '"queued"'])
  })

  test('a topic joined while disconnected is subscribed once when the connection opens', async () => {
    const subject = make()
    subject.subscribe()
    const first = await openLast()
    first.serverClose(1006)
    const log: string[] = []
    subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe(record(log))
    await flush(100)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual(['{"sub":"a"}'])
    second.receive('{"topic":"a"}')
    expect(log).toEqual(['next:{"topic":"a"}'])
  })

  test('a throwing filter errors its own subscriber only', async () => {
    const subject = make()
    const other: string[] = []
    subject.subscribe(record(other))
    const ws = await openLast()
    const log: string[] = []
    subject
      .multiplex(sub('a'), unsub('a'), () => {
        throw new Error('filter bug')
      })
      .subscribe(record(log))
    ws.receive('1')
    ws.receive('2')
    expect(log).toEqual(['error:filter bug'])
    expect(other).toEqual(['next:1', 'next:2'])
    expect(ws.sent).toEqual(['{"sub":"a"}', '{"unsub":"a"}'])
  })

  test('a throwing unsubscribe message is reported; the topic is released', async () => {
    const subject = make()
    subject.subscribe()
    const ws = await openLast()
    const broken = () => {
      throw new Error('unsub bug')
    }
    subject.multiplex(sub('a'), broken, of('a')).subscribe().unsubscribe()
    subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe()
    expect(ws.sent).toEqual(['{"sub":"a"}', '{"sub":"a"}'])
    expect(reported.map((e) => (e as Error).message)).toEqual(['unsub bug'])
  })

  test('giving up errors multiplex subscribers once and forgets their topics', async () => {
    const subject = make({ reconnect: false })
    const log: string[] = []
    subject.multiplex(sub('a'), unsub('a'), of('a')).subscribe(record(log))
    const first = await openLast()
    first.serverClose(1011, 'restart', true)
    await flush()
    expect(log).toEqual(['error:1011'])
    subject.subscribe()
    const second = await openLast()
    expect(second.sent).toEqual([])
  })
})

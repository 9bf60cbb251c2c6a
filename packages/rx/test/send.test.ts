import { ResilientWebSocket } from '@lifeline/core'
import { from, Subject } from 'rxjs'
import { describe, expect, test } from 'vitest'
import { type BackpressureTarget, sendTo, UnsentError } from '../src'
import { FAKE, FakeWebSocket, flush, openLast, record, useFakes } from './helpers/fake'

const made: ResilientWebSocket[] = []
useFakes(() => {
  for (const socket of made.splice(0)) socket.close()
})

/** A socket that reports backpressure after `room` messages until the test lets it drain. */
function target(room: number) {
  const sent: string[] = []
  let drain: { resolve: () => void; reject: (error: unknown) => void } | undefined
  let refuse: Error | undefined
  const socket: BackpressureTarget = {
    send(data) {
      if (refuse) throw refuse
      sent.push(String(data))
      return sent.length % room !== 0
    },
    drained: () => new Promise((resolve, reject) => (drain = { resolve, reject })),
  }
  return {
    socket,
    sent,
    drain: () => drain?.resolve(),
    fail: (error: Error) => drain?.reject(error),
    refuse: (error: Error) => (refuse = error),
  }
}

describe('sendTo', () => {
  test('sends each value and passes it on; pauses while send() reports backpressure, resumes on drain', async () => {
    const t = target(2)
    const log: string[] = []
    from(['a', 'b', 'c', 'd', 'e']).pipe(sendTo(t.socket)).subscribe(record(log))
    expect(t.sent).toEqual(['a', 'b'])
    t.drain()
    await flush()
    expect(t.sent).toEqual(['a', 'b', 'c', 'd'])
    t.drain()
    await flush()
    expect(t.sent).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(log).toEqual(['next:"a"', 'next:"b"', 'next:"c"', 'next:"d"', 'next:"e"', 'complete'])
  })

  test('completes once everything is handed over, without waiting for a drain', async () => {
    const t = target(1)
    const log: string[] = []
    from(['a']).pipe(sendTo(t.socket)).subscribe(record(log))
    expect(log).toEqual(['next:"a"', 'complete'])
  })

  test('values arriving while paused keep their order', async () => {
    const t = target(1)
    const source = new Subject<string>()
    source.pipe(sendTo(t.socket)).subscribe()
    source.next('1')
    source.next('2')
    source.next('3')
    expect(t.sent).toEqual(['1'])
    t.drain()
    await flush()
    expect(t.sent).toEqual(['1', '2'])
    source.next('4')
    t.drain()
    await flush()
    t.drain()
    await flush()
    expect(t.sent).toEqual(['1', '2', '3', '4'])
  })

  test('a value the socket refuses, and every one waiting, are reported in an UnsentError', async () => {
    const t = target(1)
    const source = new Subject<string>()
    let failure: unknown
    source.pipe(sendTo(t.socket)).subscribe({ error: (error) => (failure = error) })
    source.next('1')
    source.next('2')
    source.next('3')
    const cause = new Error('closed')
    t.refuse(cause)
    t.drain()
    await flush()
    expect(failure).toBeInstanceOf(UnsentError)
    expect((failure as UnsentError).unsent).toEqual(['2', '3'])
    expect((failure as UnsentError).cause).toBe(cause)
    expect((failure as UnsentError).name).toBe('UnsentError')
    expect(source.observed).toBe(false)
  })

  test('a socket that never drains (closed, gave up) reports what waits', async () => {
    const t = target(1)
    const source = new Subject<string>()
    let failure: UnsentError | undefined
    source.pipe(sendTo(t.socket)).subscribe({ error: (error) => (failure = error) })
    source.next('1')
    source.next('2')
    t.fail(new Error('gave up'))
    await flush()
    expect(failure?.unsent).toEqual(['2'])
  })

  test("the source's error comes as an UnsentError with what still waits", async () => {
    const t = target(1)
    const source = new Subject<string>()
    let failure: UnsentError | undefined
    source.pipe(sendTo(t.socket)).subscribe({ error: (error) => (failure = error) })
    source.next('1')
    source.next('2')
    const cause = new Error('source broke')
    source.error(cause)
    expect(failure?.unsent).toEqual(['2'])
    expect(failure?.cause).toBe(cause)
  })

  test('unsubscribing stops sending and the source', async () => {
    const t = target(1)
    const source = new Subject<string>()
    const subscription = source.pipe(sendTo(t.socket)).subscribe()
    source.next('1')
    source.next('2')
    subscription.unsubscribe()
    expect(source.observed).toBe(false)
    t.drain()
    await flush()
    expect(t.sent).toEqual(['1'])
  })

  test('with a ResilientWebSocket: waits for its drain, and nothing is lost', async () => {
    const { url, WebSocketCtor, ...rest } = FAKE
    const socket = new ResilientWebSocket(url, {
      ...rest,
      WebSocket: WebSocketCtor,
      highWaterMark: 10,
      lowWaterMark: 5,
    })
    made.push(socket)
    const ws = await openLast()
    ws.holdSends = true
    const values = Array.from({ length: 6 }, (_, i) => `msg-${i}`)
    const passed: string[] = []
    let completed = false
    from(values)
      .pipe(sendTo(socket))
      .subscribe({ next: (v) => passed.push(v), complete: () => (completed = true), error: (e) => passed.push(e) })
    // Paused: the socket's buffer holds highWaterMark bytes, and the rest waits in the operator, not in the queue.
    expect(passed.length).toBeLessThan(values.length)
    expect(socket.queued).toEqual([])
    expect(completed).toBe(false)
    for (let i = 0; i < 10 && !completed; i++) {
      ws.bufferedAmount = 0
      await flush(100)
    }
    expect(completed).toBe(true)
    expect(ws.sent).toEqual(values)
    expect(passed).toEqual(values)
    expect(FakeWebSocket.instances).toHaveLength(1)
  })
})

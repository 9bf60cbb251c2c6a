import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { type WebSocketSubject, type WebSocketSubjectConfig, webSocket } from '../src'
import { record } from './helpers/fake'
import { entries, serverClose } from './helpers/server'

let server: TestServer
const made: WebSocketSubject<any>[] = []

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  for (const subject of made.splice(0)) subject.complete()
  await server.stop()
})

function make<T = any>(config: Partial<WebSocketSubjectConfig<T>> = {}): WebSocketSubject<T> {
  const subject = webSocket<T>({
    url: server.url,
    WebSocketCtor: WebSocket,
    reconnect: { minDelay: 10, maxDelay: 50 },
    ...config,
  })
  made.push(subject)
  return subject
}

/** Stops the server and waits until the subject has seen its connection close. */
async function restartServer(closes: unknown[]): Promise<void> {
  const before = closes.length
  await server.stop()
  await until(() => closes.length > before, 5000, 'the client to see the close')
}

describe('against a real server', () => {
  test('messages keep flowing across a server restart, with no error or complete', async () => {
    const closes: unknown[] = []
    const subject = make({ closeObserver: { next: (e) => closes.push(e) } })
    const log: string[] = []
    subject.subscribe(record(log))
    ;(await server.connection(1)).socket.send('{"n":1}')
    await entries(log, 1)
    await restartServer(closes)
    await server.restart()
    ;(await server.connection(2)).socket.send('{"n":2}')
    await entries(log, 2)
    expect(log).toEqual(['next:{"n":1}', 'next:{"n":2}'])
  })

  test('values sent while the server is down arrive after the reconnect, in order, exactly once', async () => {
    const closes: unknown[] = []
    const subject = make({ closeObserver: { next: (e) => closes.push(e) } })
    subject.subscribe()
    subject.next('before')
    await server.receivedCount(1)
    await restartServer(closes)
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`)
    for (const value of values) subject.next(value)
    await server.restart()
    const second = await server.connection(2)
    await until(() => second.messages.length >= values.length, 5000, 'every value')
    subject.next('after')
    await server.receivedCount(values.length + 2)
    expect(server.received).toEqual(['"before"', ...values.map((v) => `"${v}"`), '"after"'])
  })

  test('multiplex: one subscribe per topic, again after a restart, one unsubscribe when the last leaves', async () => {
    const closes: unknown[] = []
    const subject = make({ closeObserver: { next: (e) => closes.push(e) } })
    const topic = (name: string) =>
      subject.multiplex(
        () => ({ sub: name }),
        () => ({ unsub: name }),
        (m: any) => m.topic === name,
      )
    const a1: string[] = []
    const a2: string[] = []
    const s1 = topic('a').subscribe(record(a1))
    const s2 = topic('a').subscribe(record(a2))
    const s3 = topic('b').subscribe()
    const first = await server.connection(1)
    await until(() => first.messages.length >= 2, 5000, 'the subscriptions')
    expect(first.messages).toEqual(['{"sub":"a"}', '{"sub":"b"}'])
    await restartServer(closes)
    await server.restart()
    const second = await server.connection(2)
    await until(() => second.messages.length >= 2, 5000, 'the subscriptions again')
    second.socket.send('{"topic":"a","v":1}')
    second.socket.send('{"topic":"b","v":2}')
    await entries(a1, 1)
    await entries(a2, 1)
    expect(a1).toEqual(['next:{"topic":"a","v":1}'])
    s1.unsubscribe()
    s2.unsubscribe()
    s3.unsubscribe()
    await until(() => second.messages.length >= 4, 5000, 'the unsubscriptions')
    expect(second.messages).toEqual(['{"sub":"a"}', '{"sub":"b"}', '{"unsub":"a"}', '{"unsub":"b"}'])
  })

  test('closes after the last subscriber leaves and closeDelay, and does not reconnect', async () => {
    const opens: unknown[] = []
    const subject = make({
      closeDelay: 50,
      reconnect: { minDelay: 1, maxDelay: 1 },
      openObserver: { next: (e) => opens.push(e) },
    })
    const subscription = subject.subscribe()
    const client = await server.connection(1)
    await entries(opens, 1)
    const closed = serverClose(client)
    subscription.unsubscribe()
    expect(await closed).toEqual({ code: 1005, reason: '' })
    // A reconnection would come within a millisecond; a fresh connection's round trip gives it time to show.
    const probe = make({ closeDelay: 0 })
    probe.subscribe()
    probe.next('probe')
    await server.receivedCount(1)
    expect(server.clients).toHaveLength(2)
  })

  test('giving up reaches each subscriber once, as error', async () => {
    const closes: unknown[] = []
    const subject = make({
      reconnect: { minDelay: 5, maxDelay: 5, maxAttempts: 3 },
      closeObserver: { next: (e) => closes.push(e) },
    })
    const a: string[] = []
    const b: string[] = []
    subject.subscribe(record(a))
    subject.subscribe(record(b))
    await server.connection(1)
    await server.stop()
    await entries(a, 1)
    await entries(b, 1)
    await until(() => (closes.at(-1) as any)?.willReconnect === false, 5000, 'the final close')
    expect(a).toEqual(['error:1006'])
    expect(b).toEqual(['error:1006'])
    await server.restart()
  })

  test('complete() closes with the close handshake and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const baseline = timers()
    const opens: unknown[] = []
    const subject = make({ heartbeat: { interval: 50, timeout: 1000 }, openObserver: { next: (e) => opens.push(e) } })
    const log: string[] = []
    subject.subscribe(record(log))
    const client = await server.connection(1)
    await entries(opens, 1)
    const closed = serverClose(client)
    subject.error({ code: 4001, reason: 'done' })
    expect(log).toEqual(['complete'])
    expect(await closed).toEqual({ code: 4001, reason: 'done' })
    await until(() => timers() <= baseline, 5000, 'the timers to be released')
  })
})

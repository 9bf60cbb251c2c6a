// The same scenarios against rxjs's own webSocket() and lifeline's: the call-compatible part behaves alike.
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import type { Observable } from 'rxjs'
import { webSocket as rxjsWebSocket } from 'rxjs/webSocket'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { webSocket } from '../src'
import { record } from './helpers/fake'
import { entries, serverClose } from './helpers/server'

/** What both subjects offer. */
interface Both<T> extends Observable<T> {
  next(value: T): void
  complete(): void
  error(error: { code: number; reason?: string }): void
  multiplex(sub: () => any, unsub: () => any, filter: (value: T) => boolean): Observable<T>
}

type Make = (config: Record<string, unknown>) => Both<any>

const implementations: [string, Make][] = [
  ['rxjs', (config) => rxjsWebSocket(config as any) as unknown as Both<any>],
  // closeDelay 0: close when the last subscriber leaves, as rxjs does.
  ['lifeline', (config) => webSocket({ closeDelay: 0, ...config } as any) as Both<any>],
]

let server: TestServer

/** rxjs errors subscribers when a socket closes without a clean handshake, as the server's stop after a test does. */
const quiet = { error: () => {} }

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  await server.stop()
})

describe.each(implementations)('%s webSocket()', (_name, make) => {
  const config = (extra: Record<string, unknown> = {}) => ({ url: server.url, WebSocketCtor: WebSocket, ...extra })

  test('values sent before the connection opens are sent once it opens; JSON both ways by default', async () => {
    const subject = make(config())
    subject.next({ hello: 1 })
    const log: string[] = []
    subject.subscribe(record(log))
    const client = await server.connection(1)
    expect(await client.next()).toBe('{"hello":1}')
    client.socket.send('{"reply":2}')
    await entries(log, 1)
    expect(log).toEqual(['next:{"reply":2}'])
    subject.complete()
  })

  test('serializer and deserializer (given the message event) replace JSON', async () => {
    const subject = make(
      config({ serializer: (v: string) => `<${v}>`, deserializer: (e: { data: unknown }) => `[${e.data}]` }),
    )
    const log: string[] = []
    subject.subscribe(record(log))
    subject.next('x')
    const client = await server.connection(1)
    expect(await client.next()).toBe('<x>')
    client.socket.send('y')
    await entries(log, 1)
    expect(log).toEqual(['next:"[y]"'])
    subject.complete()
  })

  test('multiplex sends the subscribe message, filters, and sends the unsubscribe message', async () => {
    const subject = make(config())
    const log: string[] = []
    const subscription = subject
      .multiplex(
        () => ({ sub: 'a' }),
        () => ({ unsub: 'a' }),
        (m: any) => m.topic === 'a',
      )
      .subscribe(record(log))
    const client = await server.connection(1)
    expect(await client.next()).toBe('{"sub":"a"}')
    client.socket.send('{"topic":"b"}')
    client.socket.send('{"topic":"a"}')
    await entries(log, 1)
    expect(log).toEqual(['next:{"topic":"a"}'])
    const closed = serverClose(client)
    subscription.unsubscribe()
    expect(await client.next()).toBe('{"unsub":"a"}')
    // The last subscriber left: the connection closes.
    expect((await closed).code).toBe(1005)
  })

  test('openObserver is told when the connection opens', async () => {
    const opens: unknown[] = []
    const subject = make(config({ openObserver: { next: (e: unknown) => opens.push(e) } }))
    subject.subscribe(quiet)
    await entries(opens, 1)
    expect(opens).toHaveLength(1)
    subject.complete()
  })

  test('complete() closes the connection and completes subscribers; closingObserver is told first', async () => {
    const events: string[] = []
    const opens: unknown[] = []
    const subject = make(
      config({
        openObserver: { next: (e: unknown) => opens.push(e) },
        closingObserver: { next: () => events.push('closing') },
      }),
    )
    subject.subscribe({ complete: () => events.push('complete'), error: () => events.push('error') })
    const client = await server.connection(1)
    await entries(opens, 1)
    const closed = serverClose(client)
    subject.complete()
    expect((await closed).code).toBe(1005)
    await until(() => events.length >= 2, 5000, 'complete')
    expect(events).toEqual(['closing', 'complete'])
  })

  test('error({ code, reason }) closes with that code and reason', async () => {
    const opens: unknown[] = []
    const subject = make(config({ openObserver: { next: (e: unknown) => opens.push(e) } }))
    const done: string[] = []
    subject.subscribe({ complete: () => done.push('complete'), error: () => done.push('error') })
    const client = await server.connection(1)
    await entries(opens, 1)
    const closed = serverClose(client)
    subject.error({ code: 4000, reason: 'bye' })
    expect(await closed).toEqual({ code: 4000, reason: 'bye' })
    await entries(done, 1)
    expect(done).toEqual(['complete'])
  })
})

describe('where they differ', () => {
  test('a server restart ends rxjs subscribers; lifeline reconnects and keeps them', async () => {
    const closes = { rxjs: 0, lifeline: 0 }
    const rx: string[] = []
    const ll: string[] = []
    const config = (name: 'rxjs' | 'lifeline') => ({
      url: server.url,
      WebSocketCtor: WebSocket,
      closeObserver: { next: () => closes[name]++ },
    })
    rxjsWebSocket(config('rxjs') as any).subscribe(record(rx))
    const ours = webSocket({ ...config('lifeline'), reconnect: { minDelay: 10, maxDelay: 20 } })
    ours.subscribe(record(ll))
    await server.connection(2)
    await server.stop()
    await until(() => closes.rxjs > 0 && closes.lifeline > 0, 5000, 'both to see the close')
    await server.restart()
    const third = await server.connection(3)
    third.socket.send('"back"')
    await entries(ll, 1)
    expect(rx).toHaveLength(1)
    expect(rx[0]).toMatch(/^error|^complete/)
    expect(ll).toEqual(['next:"back"'])
    ours.complete()
  })
})

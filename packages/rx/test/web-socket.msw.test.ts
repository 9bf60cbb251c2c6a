// lifeline's webSocket() against msw's WebSocket mocks: with no WebSocketCtor, the global WebSocket (which msw
// replaces) is looked up at every attempt.
import { until } from '@lifeline/testing/wait'
import { ws } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { type WebSocketSubject, webSocket } from '../src'
import { record } from './helpers/fake'
import { entries } from './helpers/server'

const URL = 'ws://api.example.test/prices'
const api = ws.link(URL)
const server = setupServer()
const holder = globalThis as { WebSocket?: unknown }
const original = holder.WebSocket
const made: WebSocketSubject<any>[] = []

beforeAll(() => {
  // Node 20 has no global WebSocket for msw to wrap: `ws` stands in for it before listen() swaps it.
  holder.WebSocket ??= WebSocket
  server.listen({ onUnhandledRequest: 'error' })
})

afterEach(() => {
  for (const subject of made.splice(0)) subject.complete()
  server.resetHandlers()
})

afterAll(() => {
  server.close()
  if (original === undefined) delete holder.WebSocket
  else holder.WebSocket = original
})

function make(): WebSocketSubject<any> {
  const subject = webSocket({ url: URL, reconnect: { minDelay: 5, maxDelay: 20 } })
  made.push(subject)
  return subject
}

test('receives what the mock sends and sends through it', async () => {
  const received: string[] = []
  server.use(
    api.addEventListener('connection', ({ client }) => {
      client.send('{"price":1}')
      client.addEventListener('message', (event) => received.push(String(event.data)))
    }),
  )
  const subject = make()
  const log: string[] = []
  subject.subscribe(record(log))
  subject.next({ buy: 1 })
  await entries(log, 1)
  await entries(received, 1)
  expect(log).toEqual(['next:{"price":1}'])
  expect(received).toEqual(['{"buy":1}'])
})

test('the mock closing the connection reaches no subscriber; topics are subscribed again, once each', async () => {
  const connections: { received: string[]; close: (code: number) => void; send: (data: string) => void }[] = []
  server.use(
    api.addEventListener('connection', ({ client }) => {
      const received: string[] = []
      client.addEventListener('message', (event) => received.push(String(event.data)))
      connections.push({ received, close: (code) => client.close(code), send: (data) => client.send(data) })
    }),
  )
  const closes: unknown[] = []
  const subject = webSocket({
    url: URL,
    reconnect: { minDelay: 5, maxDelay: 20 },
    closeObserver: { next: (e) => closes.push(e) },
  })
  made.push(subject)
  const log: string[] = []
  subject
    .multiplex(
      () => ({ sub: 'eur' }),
      () => ({ unsub: 'eur' }),
      (m: any) => m.pair === 'eur',
    )
    .subscribe(record(log))
  await until(() => connections[0]?.received.length === 1, 5000, 'the first subscription')
  connections[0]!.close(4000)
  await until(() => connections[1]?.received.length === 1, 5000, 'the subscription again')
  connections[1]!.send('{"pair":"usd"}')
  connections[1]!.send('{"pair":"eur"}')
  await entries(log, 1)
  expect(closes).toHaveLength(1)
  expect(connections[0]!.received).toEqual(['{"sub":"eur"}'])
  expect(connections[1]!.received).toEqual(['{"sub":"eur"}'])
  expect(log).toEqual(['next:{"pair":"eur"}'])
})

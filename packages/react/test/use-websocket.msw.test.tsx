import { until } from '@lifeline/testing/wait'
import { cleanup, render } from '@testing-library/react'
import { ws } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import useWebSocket, { ReadyState, type UseWebSocketOptions } from '../src'
import { liveSockets } from '../src/leases'
import { probe } from './helpers/probe'

// msw replaces the global WebSocket (happy-dom's here) at listen(); the hook is given no WebSocket option.
const api = ws.link('ws://api.example.test/live')
const server = setupServer()

/** Quick retries, no page-lifecycle signals. */
const OPTIONS: UseWebSocketOptions = {
  reconnect: { minDelay: 10, maxDelay: 50 },
  lifecycle: { network: false, foreground: false },
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(async () => {
  cleanup()
  await until(() => liveSockets() === 0)
  server.resetHandlers()
})
afterAll(() => server.close())

test('queryParams and protocols reach the server; messages sent before open arrive in order', async () => {
  const connections: { url: string; protocols: unknown; received: string[] }[] = []
  server.use(
    api.addEventListener('connection', ({ client, info }) => {
      const connection = { url: client.url.href, protocols: info.protocols, received: [] as string[] }
      connections.push(connection)
      client.addEventListener('message', (event) => connection.received.push(String(event.data)))
    }),
  )
  const p = probe(() =>
    useWebSocket('ws://api.example.test/live', { ...OPTIONS, queryParams: { room: 'a b', n: 1 }, protocols: 'chat' }),
  )
  render(<p.Probe />)
  p.last.sendMessage('first')
  p.last.sendJsonMessage({ second: true })
  await until(() => p.last.readyState === ReadyState.OPEN)
  p.last.sendMessage('third')
  await until(() => connections[0]?.received.length === 3)
  expect(connections).toHaveLength(1)
  expect(connections[0]!.url).toBe('ws://api.example.test/live?room=a+b&n=1')
  expect(connections[0]!.protocols).toEqual(['chat'])
  expect(connections[0]!.received).toEqual(['first', '{"second":true}', 'third'])
})

test('the mock closes the connection: onClose says it will reconnect, and the hook is OPEN again', async () => {
  let connections = 0
  server.use(
    api.addEventListener('connection', ({ client }) => {
      connections++
      if (connections === 1) queueMicrotask(() => client.close(4000, 'restart'))
      else client.send('welcome back')
    }),
  )
  const closes: { code: number; willReconnect: boolean }[] = []
  const p = probe(() =>
    useWebSocket('ws://api.example.test/live', {
      ...OPTIONS,
      onClose: (event) => closes.push({ code: event.code, willReconnect: event.willReconnect }),
    }),
  )
  render(<p.Probe />)
  await until(() => p.last.lastMessage?.data === 'welcome back', 5000, 'the second connection')
  expect(p.last.readyState).toBe(ReadyState.OPEN)
  expect(closes).toEqual([{ code: 4000, willReconnect: true }])
  expect(p.results.map((r) => r.readyState)).not.toContain(ReadyState.CLOSED)
})

test('2,000 messages sent one by one by the mock: all seen, the last rendered, renders bounded by the batch interval', async () => {
  let send: ((data: string) => void) | undefined
  server.use(
    api.addEventListener('connection', ({ client }) => {
      send = (data) => client.send(data)
    }),
  )
  let seen = 0
  const p = probe(() => useWebSocket('ws://api.example.test/live', { ...OPTIONS, onMessage: () => seen++ }))
  render(<p.Probe />)
  await until(() => p.last.readyState === ReadyState.OPEN && send !== undefined)
  const before = p.renders
  const started = performance.now()
  for (let i = 0; i < 2000; i++) send!(`m${i}`)
  await until(() => seen === 2000, 10000, '2,000 messages')
  await until(() => p.last.lastMessage?.data === 'm1999', 5000, 'the last message rendered')
  const elapsed = performance.now() - started
  const renders = p.renders - before
  console.info(`2,000 messages from msw over ${Math.round(elapsed)} ms: ${renders} renders`)
  // At most one render per 16 ms batch interval (plus the leading one), however the messages were spread.
  expect(renders).toBeLessThanOrEqual(Math.ceil(elapsed / 16) + 1)
})

import { startServer } from '@lifeline/example-server'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { WebSocket } from 'ws'
import { describeServerConnections, fetchServerConnections } from '../../src/tabs/server-connections'

let server: Awaited<ReturnType<typeof startServer>>

beforeEach(async () => {
  server = await startServer({ tickInterval: 1000 })
})

afterEach(async () => {
  await server.close()
})

const http = () => server.url.replace(/^ws/, 'http')

function connect(path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url}${path}`)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

test("the server's open connections per path, from its /status", async () => {
  expect(await fetchServerConnections(http())).toMatchObject({ chat: 0, ticker: 0 })
  const sockets = await Promise.all([connect('/chat'), connect('/ticker'), connect('/ticker')])
  expect(await fetchServerConnections(http())).toMatchObject({ chat: 1, ticker: 2 })
  for (const socket of sockets) socket.close()
})

test('a server that does not answer, or answers without the figures, is an error', async () => {
  await expect(fetchServerConnections('http://127.0.0.1:1')).rejects.toThrow()
  await expect(fetchServerConnections(`${http()}/faults`)).rejects.toThrow('/status: the server answered 404')
})

test('the line the app shows', () => {
  expect(describeServerConnections({ chat: 1, ticker: 1, echo: 3 })).toBe('server connections: chat 1 · ticker 1')
  expect(describeServerConnections({})).toBe('server connections: chat 0 · ticker 0')
  expect(describeServerConnections(undefined)).toBe('server connections: not known (the server does not answer)')
})

import { expect, test } from 'vitest'
import { describeServerConnections, fetchServerConnections } from '../../src/tabs/server-connections'
import { exampleServerPerTest } from '../example-server'

const { http, connect } = exampleServerPerTest()

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

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { cleanup, render } from '@testing-library/react'
import { afterEach, expect, test } from 'vitest'
import useWebSocket, { ReadyState, type UseWebSocketOptions } from '../src'
import { liveSockets } from '../src/leases'
import { REAL } from './helpers/options'
import { probe } from './helpers/probe'

afterEach(async () => {
  cleanup()
  await until(() => liveSockets() === 0)
})

test('2,000 messages from a real server: onMessage sees all, lastMessage ends on the last, a few dozen renders', async () => {
  const server = await TestServer.start()
  try {
    let seen = 0
    const options: UseWebSocketOptions = { ...REAL, onMessage: () => seen++ }
    const p = probe(() => useWebSocket(server.url, options))
    render(<p.Probe />)
    await until(() => p.last.readyState === ReadyState.OPEN)
    const before = p.renders
    const client = await server.connection(1)
    for (let i = 0; i < 2000; i++) client.socket.send(`m${i}`)
    await until(() => seen === 2000, 10000, '2,000 messages')
    await until(() => p.last.lastMessage?.data === 'm1999', 5000, 'the last message rendered')
    const renders = p.renders - before
    console.info(`2,000 messages from a ws server: ${renders} renders`)
    expect(renders).toBeGreaterThanOrEqual(1)
    expect(renders).toBeLessThanOrEqual(40)
  } finally {
    cleanup()
    await until(() => liveSockets() === 0)
    await server.stop()
  }
})

test('10,000 messages in one task: nothing renders inside it, one render or two after it', async () => {
  FakeWebSocket.reset()
  let seen = 0
  const options: UseWebSocketOptions = {
    WebSocket: FakeWebSocket as never,
    lifecycle: { network: false, foreground: false },
    onMessage: () => seen++,
  }
  const p = probe(() => useWebSocket('ws://burst.test/', options))
  render(<p.Probe />)
  await until(() => FakeWebSocket.instances.length === 1)
  const fake = FakeWebSocket.last()
  fake.open()
  await until(() => p.last.readyState === ReadyState.OPEN)

  const before = p.renders
  for (let i = 0; i < 10000; i++) fake.receive(`m${i}`)
  expect(seen).toBe(10000)
  expect(p.renders - before).toBe(0)

  await until(() => p.last.lastMessage?.data === 'm9999', 5000, 'the last message rendered')
  const renders = p.renders - before
  console.info(`10,000 messages in one task: ${renders} renders after it`)
  expect(renders).toBeLessThanOrEqual(2)
  FakeWebSocket.reset()
})

test('a slow trickle renders every message: batching never holds a message back', async () => {
  FakeWebSocket.reset()
  const options: UseWebSocketOptions = {
    WebSocket: FakeWebSocket as never,
    lifecycle: { network: false, foreground: false },
    batchInterval: 5,
  }
  const p = probe(() => useWebSocket('ws://trickle.test/', options))
  render(<p.Probe />)
  await until(() => FakeWebSocket.instances.length === 1)
  FakeWebSocket.last().open()
  await until(() => p.last.readyState === ReadyState.OPEN)
  for (let i = 0; i < 5; i++) {
    FakeWebSocket.last().receive(`t${i}`)
    await until(() => p.last.lastMessage?.data === `t${i}`, 5000, `t${i} rendered`)
  }
  expect(p.results.map((r) => r.lastMessage?.data).filter(Boolean)).toEqual(
    expect.arrayContaining(['t0', 't1', 't2', 't3', 't4']),
  )
  FakeWebSocket.reset()
})

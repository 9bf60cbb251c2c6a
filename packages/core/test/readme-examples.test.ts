// The README's examples, run against the scripted socket: they compile (pnpm typecheck covers tests) and do what
// the README says.

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { expect, test, vi } from 'vitest'
import type { ResilientWebSocket } from '../src'
import { acknowledged } from '../src/delivery'
import { useFakeSockets } from './helpers/fake-sockets'

const make = useFakeSockets()

test('resume: (url) => url.searchParams.set(…) puts the last sequence number into the next attempt', async () => {
  let lastSeq = 0
  const feed = make(
    {
      resume: (url) => url.searchParams.set('since', String(lastSeq)),
      reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none' },
    },
    'wss://example.com/ticker',
  )
  feed.on('message', (event) => (lastSeq = JSON.parse(event.data).seq))
  await vi.advanceTimersByTimeAsync(0)
  const first = FakeWebSocket.last()
  expect(first.url).toBe('wss://example.com/ticker?since=0')
  first.open()
  first.receive(JSON.stringify({ seq: 41 }))
  first.serverClose(1006)
  await vi.advanceTimersByTimeAsync(100)
  expect(FakeWebSocket.last().url).toBe('wss://example.com/ticker?since=41')
})

test('the backpressure loop: send() until false, then await drained()', async () => {
  const socket = make({ highWaterMark: 64, lowWaterMark: 16 })
  await vi.advanceTimersByTimeAsync(0)
  const ws = FakeWebSocket.last()
  ws.open()
  ws.holdSends = true
  async function upload(target: ResilientWebSocket, chunks: Uint8Array[]) {
    for (const chunk of chunks) {
      if (!target.send(chunk)) await target.drained()
    }
  }
  const done = upload(
    socket,
    Array.from({ length: 4 }, () => new Uint8Array(40)),
  )
  await vi.advanceTimersByTimeAsync(10)
  expect(ws.sent).toHaveLength(2)
  ws.bufferedAmount = 0
  await vi.advanceTimersByTimeAsync(100)
  ws.bufferedAmount = 0
  await vi.advanceTimersByTimeAsync(100)
  await done
  expect(ws.sent).toHaveLength(4)
})

test('acknowledged delivery: the client example holds orders until acked, and a message that is not JSON is no crash', async () => {
  const socket = make({
    delivery: acknowledged({
      id: (data) => JSON.parse(String(data)).id,
      ackOf: (data) => JSON.parse(String(data)).ack,
      timeout: 5000,
    }),
  })
  const dropped: unknown[] = []
  const errors: (string | undefined)[] = []
  socket.on('drop', (event) => dropped.push(event.data))
  socket.on('error', (event) => errors.push(event.hook))
  for (let i = 1; i <= 3; i++) socket.send(JSON.stringify({ id: `order-${i}`, item: 'coffee' }))
  await vi.advanceTimersByTimeAsync(0)
  const ws = FakeWebSocket.last()
  ws.open()
  expect(ws.sent).toHaveLength(3)
  ws.receive('welcome!')
  expect(errors).toEqual(['delivery.ackOf'])
  ws.receive(JSON.stringify({ ack: 'order-1' }))
  ws.receive(JSON.stringify({ ack: 'order-2' }))
  expect(socket.queued).toEqual([JSON.stringify({ id: 'order-3', item: 'coffee' })])
  await vi.advanceTimersByTimeAsync(5000)
  // Not acknowledged within 5 s: sent again.
  expect(ws.sent).toHaveLength(4)
  expect(dropped).toEqual([])
})

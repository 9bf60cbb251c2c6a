import { pauseReading } from '@lifeline/testing/server-reading'
import { nextEvent, until } from '@lifeline/testing/wait'
import { expect, test } from 'vitest'
import { KIB, MESSAGE_WIRE, message, useServerAndClient } from '../helpers/big-messages'

const HIGH = 1024 * KIB

const start = useServerAndClient()

function indexOf(text: string): number {
  return Number(text.slice(1, text.indexOf(':')))
}

/**
 * Sends numbered messages from 0 until `send()` returns false (the kernel's buffers are full and the socket's own
 * buffer reached highWaterMark); returns how many were sent, that last one included.
 */
function sendUntilFull(client: { send(data: string): boolean }): number {
  let sent = 0
  while (client.send(message(sent++))) {
    if (sent >= 2000) throw new Error('send() never returned false against a server that does not read')
  }
  return sent
}

/** The indexes a connection received, in arrival order. */
function received(messages: string[]): number[] {
  return messages.map(indexOf)
}

test.each([
  ['the connection is terminated', 'terminate'],
  ['the server restarts', 'restart'],
] as const)('messages still in the socket’s buffer when %s arrive after reconnecting, in order', async (_, how) => {
  const { server, client, raw } = await start({ reconnect: { minDelay: 10, maxDelay: 100 }, highWaterMark: HIGH })
  await nextEvent(client, 'open')
  const first = await server.connection(1)
  pauseReading(first.socket)

  // Write until the kernel's buffers are full and the socket's own buffer reaches highWaterMark, then a few more
  // that wait in lifeline's queue.
  let sent = sendUntilFull(client)
  for (let i = 0; i < 4; i++) client.send(message(sent++))
  const firstSocket = raw()
  const unsentBytes = firstSocket.bufferedAmount
  const handed = sent - client.queued.length
  expect(unsentBytes).toBeGreaterThanOrEqual(HIGH)
  expect(client.queued).toHaveLength(4)
  // Every message with bytes still in the socket's buffer: the last ones handed to it.
  const stillHere = Math.ceil(unsentBytes / MESSAGE_WIRE)
  const mustArrive = handed - stillHere

  const closed = nextEvent(client, 'close')
  if (how === 'terminate') first.socket.terminate()
  else await server.stop()
  const close = await closed
  expect(close.code).toBe(1006)
  expect(close.willReconnect).toBe(true)
  // `ws` forgets its buffer once the connection is gone; lifeline kept the tail from its last look.
  expect(firstSocket.bufferedAmount).toBeLessThan(unsentBytes)
  expect(client.queued.length).toBeGreaterThanOrEqual(stillHere + 4)
  expect(client.queued.map((data) => indexOf(data as string))).toEqual(
    Array.from({ length: client.queued.length }, (_, i) => sent - client.queued.length + i),
  )

  // Newer messages, sent while reconnecting, queue behind the ones that go back.
  const newer = [sent++, sent++]
  for (const index of newer) client.send(message(index))
  if (how === 'restart') await server.restart()
  const second = await server.connection(2, 10_000)
  await until(() => second.messages.some((text) => indexOf(text) === newer[1]), 15_000, 'the newest message')

  const arrived = received(second.messages)
  // A run without gaps or repeats, from at or before the first message the socket still held, to the newest.
  expect(arrived[0]).toBeLessThanOrEqual(mustArrive)
  expect(arrived).toEqual(Array.from({ length: arrived.length }, (_, i) => arrived[0]! + i))
  expect(arrived.at(-1)).toBe(newer[1])
  // The paused server read nothing on the first connection: what the kernel held there is gone (only
  // acknowledged delivery covers it), and nothing can arrive twice.
  expect(first.messages).toEqual([])
})

test('reconnect() on a connection whose server stopped reading: what its buffer held goes again, nothing dropped', async () => {
  const { server, client, raw } = await start({ reconnect: { minDelay: 10, maxDelay: 100 }, highWaterMark: HIGH })
  const drops: unknown[] = []
  client.on('drop', (event) => drops.push(event.data))
  await nextEvent(client, 'open')
  const first = await server.connection(1)
  pauseReading(first.socket)

  let sent = sendUntilFull(client)
  const firstSocket = raw()
  const unsentBytes = firstSocket.bufferedAmount
  const handed = sent - client.queued.length
  expect(unsentBytes).toBeGreaterThanOrEqual(HIGH)
  const mustArrive = handed - Math.ceil(unsentBytes / MESSAGE_WIRE)

  client.reconnect()
  // What the old socket's buffer held is back in the queue at once.
  expect(client.queued.length).toBeGreaterThanOrEqual(Math.ceil(unsentBytes / MESSAGE_WIRE))
  // The old socket is not left to linger: it could only close by sending its buffer, which goes again anyway.
  await until(() => firstSocket.readyState === 3, 5000, 'the old socket closed')
  const newest = sent++
  client.send(message(newest))
  const second = await server.connection(2, 10_000)
  await until(() => second.messages.some((text) => indexOf(text) === newest), 15_000, 'the newest message')

  const arrived = received(second.messages)
  expect(arrived[0]).toBeLessThanOrEqual(mustArrive)
  expect(arrived).toEqual(Array.from({ length: arrived.length }, (_, i) => arrived[0]! + i))
  expect(arrived.at(-1)).toBe(newest)
  expect(drops).toEqual([])
  expect(first.messages).toEqual([])
})

import { pauseReading, resumeReading } from '@lifeline/testing/server-reading'
import { nextEvent } from '@lifeline/testing/wait'
import { expect, test } from 'vitest'
import { KIB, MESSAGE_BYTES, MESSAGE_WIRE, message, useServerAndClient } from '../helpers/big-messages'

const HIGH = 512 * KIB
const LOW = 128 * KIB
const MAX_QUEUE_BYTES = 256 * KIB

const start = useServerAndClient()

test('a server that stops reading: send() returns false, drain fires once it reads again, nothing lost', async () => {
  const { server, client, raw } = await start({
    reconnect: false,
    highWaterMark: HIGH,
    lowWaterMark: LOW,
    queue: { maxBytes: MAX_QUEUE_BYTES },
  })
  await nextEvent(client, 'open')
  const connection = await server.connection(1)
  pauseReading(connection.socket)

  let resumed = false
  const drains: boolean[] = []
  client.on('drain', () => drains.push(resumed))
  let most = 0
  let mostRaw = 0
  const watch = () => {
    most = Math.max(most, client.bufferedAmount)
    mostRaw = Math.max(mostRaw, raw().bufferedAmount)
  }

  // Write until lifeline says stop. The kernel's buffers take a few MB first; then the socket's own buffer grows.
  let sent = 0
  let accepted = true
  while (accepted) {
    if (sent >= 2000) throw new Error('send() never returned false against a server that does not read')
    accepted = client.send(message(sent++))
    watch()
  }
  expect(client.bufferedAmount).toBeGreaterThanOrEqual(HIGH)
  expect(raw().bufferedAmount).toBeGreaterThanOrEqual(HIGH)
  expect(client.queued).toEqual([])
  expect(drains).toEqual([])

  // A second writer that ignores send() === false only fills lifeline's queue, within its bounds.
  const ignored = client.send(message(sent++))
  watch()
  expect(ignored).toBe(false)
  expect(client.queued).toHaveLength(1)

  const drained = nextEvent(client, 'drain', 10_000)
  resumed = true
  resumeReading(connection.socket)
  await drained
  expect(drains).toEqual([true])
  expect(client.bufferedAmount).toBeLessThan(LOW)

  // Carry on honouring backpressure until 60 more messages went out.
  const total = sent + 60
  while (sent < total) {
    if (!client.send(message(sent++))) await nextEvent(client, 'drain', 10_000)
    watch()
  }
  const received = await server.receivedCount(total, 15_000)
  expect(received).toHaveLength(total)
  expect(received.map((text) => text.slice(0, text.indexOf(':')))).toEqual(
    Array.from({ length: total }, (_, i) => `m${i}`),
  )
  expect(received.every((text) => text.length === MESSAGE_BYTES)).toBe(true)

  // Never more than highWaterMark plus the one message that crossed it, plus what the queue may hold.
  expect(mostRaw).toBeLessThanOrEqual(HIGH + MESSAGE_WIRE)
  expect(most).toBeLessThanOrEqual(HIGH + MESSAGE_WIRE + MAX_QUEUE_BYTES)
  expect(drains.every((afterResume) => afterResume)).toBe(true)
})

test('200,000 × 32 B sent from an open listener, honouring false and drain: every message arrives, no overflow', async () => {
  const COUNT = 200_000
  const { server, client } = await start({ reconnect: false })
  const drops: string[] = []
  client.on('drop', (event) => drops.push(event.reason))
  const done = new Promise<void>((resolve, reject) => {
    client.once('open', () => {
      // The loop starts inside the listener: these sends go straight to the socket until send() says wait.
      ;(async () => {
        for (let i = 0; i < COUNT; i++) {
          if (!client.send(`${String(i).padStart(8, '0')}${'x'.repeat(24)}`)) await nextEvent(client, 'drain', 20_000)
        }
      })().then(resolve, reject)
    })
  })
  await done
  const received = await server.receivedCount(COUNT, 60_000)
  expect(drops).toEqual([])
  expect(received).toHaveLength(COUNT)
  expect(received[0]).toBe(`00000000${'x'.repeat(24)}`)
  expect(received.at(-1)).toBe(`${String(COUNT - 1).padStart(8, '0')}${'x'.repeat(24)}`)
  for (let i = 0; i < COUNT; i += 997) expect(Number(received[i]!.slice(0, 8))).toBe(i)
}, 90_000)

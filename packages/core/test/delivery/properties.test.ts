import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import fc from 'fast-check'
import { expect, test, vi } from 'vitest'
import { QueueFullError } from '../../src'
import { byteSize } from '../../src/data'
import { type AcknowledgedOptions, acknowledged } from '../../src/delivery'
import { fakeClient, RETRY_DELAY } from '../helpers/fake-client'
import { useFakeSockets } from '../helpers/fake-sockets'

/**
 * Random interleavings of sends, server drops, reconnects, slow reads and acks against a modelled server. The
 * FakeWebSocket keeps every message it was handed in its buffer (`holdSends`) until the "server" reads it; what is
 * still unread when a connection dies is lost, as on a real network. What the server read is what it saw.
 */

const format: AcknowledgedOptions = {
  id: (data) => (typeof data === 'string' && data.startsWith('#') ? data.slice(1).split(' ')[0] : undefined),
  ackOf: (data) => (typeof data === 'string' && data.startsWith('acks ') ? data.slice(5).split(',') : undefined),
}

const config = fc.record({
  maxMessages: fc.integer({ min: 2, max: 12 }),
  maxBytes: fc.integer({ min: 60, max: 400 }),
  overflow: fc.constantFrom('drop-oldest' as const, 'drop-newest' as const, 'throw' as const),
  highWaterMark: fc.integer({ min: 20, max: 200 }),
  lowFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  timeout: fc.option(fc.integer({ min: 50, max: 400 }), { nil: undefined }),
  onTimeout: fc.constantFrom('resend' as const, 'drop' as const),
})

type Action =
  | { kind: 'send'; acked: boolean; padding: number }
  | { kind: 'read'; count: number }
  | { kind: 'ack'; count: number }
  | { kind: 'drop'; resetsBuffer: boolean }
  | { kind: 'fail' }
  | { kind: 'open' }
  | { kind: 'reconnect' }
  | { kind: 'tick'; ms: number }

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send'), acked: fc.boolean(), padding: fc.nat(30) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read'), count: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack'), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop'), resetsBuffer: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fail') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('open') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick'), ms: fc.integer({ min: 1, max: 250 }) }) },
) as fc.Arbitrary<Action>

/** The modelled server: how many of each connection's messages it has read, and the acks it still owes. */
class Server {
  readonly read = new Map<FakeWebSocket, number>()
  readonly unacked: string[] = []

  readCount(ws: FakeWebSocket): number {
    return this.read.get(ws) ?? 0
  }

  /** Reads up to `count` more messages from `ws`'s buffer. */
  readFrom(ws: FakeWebSocket, count: number): void {
    const from = this.readCount(ws)
    const to = Math.min(ws.sent.length, from + count)
    for (const data of ws.sent.slice(from, to)) {
      ws.bufferedAmount -= byteSize(data as string)
      const id = format.id(data as string)
      if (id !== undefined) this.unacked.push(id)
    }
    this.read.set(ws, to)
  }

  /** Everything it saw, in order, across connections. */
  seen(): string[] {
    return FakeWebSocket.instances.flatMap((ws) => ws.sent.slice(0, this.readCount(ws)) as string[])
  }
}

/** The live connection lifeline uses, if it is open. */
function liveSocket(): FakeWebSocket | undefined {
  const ws = FakeWebSocket.instances.at(-1)
  return ws !== undefined && ws.readyState === 1 ? ws : undefined
}

useFakeSockets()

test('with acknowledged delivery, the server sees every message not reported as dropped, in send order', async () => {
  await fc.assert(
    fc.asyncProperty(
      config,
      fc.array(action, { minLength: 10, maxLength: 60, size: 'max' }),
      async (limits, actions) => {
        // A fresh clock and registry for every run, so a failed run leaves nothing to the next one.
        vi.useFakeTimers()
        FakeWebSocket.reset()
        const highWaterMark = limits.highWaterMark
        const client = fakeClient({
          delivery: acknowledged({ ...format, timeout: limits.timeout, onTimeout: limits.onTimeout }),
          queue: { maxMessages: limits.maxMessages, maxBytes: limits.maxBytes, overflow: limits.overflow },
          highWaterMark,
          lowWaterMark: Math.floor(highWaterMark * limits.lowFraction),
        })
        const server = new Server()
        const accepted: string[] = []
        const dropped: string[] = []
        client.on('drop', (event) => dropped.push(event.data as string))
        let next = 0
        let largest = 0

        const checkBounds = () => {
          const held = client.queued as string[]
          expect(held.length).toBeLessThanOrEqual(limits.maxMessages)
          expect(held.reduce((sum, data) => sum + byteSize(data), 0)).toBeLessThanOrEqual(limits.maxBytes)
          const live = liveSocket()
          // A message goes to the socket only while its buffer is below highWaterMark.
          if (live) expect(live.bufferedAmount).toBeLessThan(highWaterMark + largest)
        }

        const step = async (act: Action) => {
          const live = liveSocket()
          switch (act.kind) {
            case 'send': {
              const n = next++
              const data = `${act.acked ? '#' : 'f'}${n} ${'.'.repeat(act.padding)}`
              largest = Math.max(largest, data.length)
              try {
                client.send(data)
                accepted.push(data)
              } catch (error) {
                expect(error).toBeInstanceOf(QueueFullError)
                expect(limits.overflow).toBe('throw')
              }
              break
            }
            case 'read':
              if (live) server.readFrom(live, act.count)
              break
            case 'ack':
              if (live && server.unacked.length > 0)
                live.receive(`acks ${server.unacked.splice(0, act.count).join(',')}`)
              break
            case 'drop':
              if (live) {
                // Unread messages die with the connection. `ws` reports 0 bytes buffered once the connection is gone.
                if (act.resetsBuffer) live.bufferedAmount = 0
                live.serverClose(1006)
              }
              break
            case 'fail': {
              const ws = FakeWebSocket.instances.at(-1)
              if (ws?.readyState === 0 && client.state === 'connecting') ws.fail()
              break
            }
            case 'open': {
              const ws = FakeWebSocket.instances.at(-1)
              if (ws?.readyState === 0 && client.state === 'connecting') {
                ws.holdSends = true
                ws.open()
              }
              break
            }
            case 'reconnect':
              // A clean close: the server reads what is left before the close frame.
              if (live) server.readFrom(live, Number.POSITIVE_INFINITY)
              client.reconnect()
              break
            case 'tick':
              await vi.advanceTimersByTimeAsync(act.ms)
              break
          }
          checkBounds()
        }

        await vi.advanceTimersByTimeAsync(0)
        for (const act of actions) await step(act)

        // No more faults: the server reads and acknowledges everything until lifeline holds nothing.
        for (let round = 0; round < 100; round++) {
          const live = liveSocket()
          if (live) {
            server.readFrom(live, Number.POSITIVE_INFINITY)
            if (server.unacked.length > 0) live.receive(`acks ${server.unacked.splice(0).join(',')}`)
            if (client.queued.length === 0 && live.sent.length === server.readCount(live)) break
          } else {
            await step({ kind: 'open' })
          }
          await vi.advanceTimersByTimeAsync(RETRY_DELAY)
          checkBounds()
        }
        expect(client.queued).toEqual([])
        expect(client.state).toBe('open')

        // Every drop was reported once, and only for a message send() accepted.
        expect(new Set(dropped).size).toBe(dropped.length)
        for (const data of dropped) expect(accepted).toContain(data)

        // Duplicates removed, the server saw messages in send order, and every one that was not dropped.
        const firstSeen = [...new Set(server.seen())]
        const order = new Map(accepted.map((data, index) => [data, index]))
        for (const data of firstSeen) expect(order.has(data)).toBe(true)
        const indexes = firstSeen.map((data) => order.get(data)!)
        expect(indexes).toEqual([...indexes].sort((a, b) => a - b))
        const droppedSet = new Set(dropped)
        expect(firstSeen.filter((data) => !droppedSet.has(data))).toEqual(
          accepted.filter((data) => !droppedSet.has(data)),
        )

        client.close()
        // The server answers the close handshake (or closeTimeout ends it): then no timer is left.
        for (const ws of FakeWebSocket.instances) if (ws.readyState === 2) ws.finishClose()
        expect(vi.getTimerCount(), 'timers left after close()').toBe(0)
      },
    ),
    { numRuns: 1000 },
  )
})

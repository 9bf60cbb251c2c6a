import { TestBed } from '@angular/core/testing'
import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { accept, configureTicker, settle, tick } from './testing'
import { type Connection, KEEP, SUBSCRIBE, type Tick, TickerService, UNSUBSCRIBE } from './ticker.service'

describe('TickerService', () => {
  let service: TickerService

  beforeEach(() => {
    vi.useFakeTimers()
    configureTicker()
    service = TestBed.inject(TickerService)
  })

  afterEach(() => {
    service.close()
    vi.useRealTimers()
  })

  it('connects on the first subscriber, subscribes to prices, and passes every tick', async () => {
    const seqs: number[] = []
    const subscription = service.ticks$.subscribe((t) => seqs.push(t.seq))
    await settle()
    const ws = FakeWebSocket.last()
    expect(ws.url).toBe('ws://ticker.test/ticker')
    await accept(ws)
    expect(ws.sent).toEqual([JSON.stringify(SUBSCRIBE)])
    ws.receive(tick(1))
    ws.receive(JSON.stringify({ type: 'other' }))
    ws.receive(tick(2))
    expect(seqs).toEqual([1, 2])
    subscription.unsubscribe()
  })

  it('after a lost connection, reconnects resuming after the last seq and subscribes again', async () => {
    const seqs: number[] = []
    const seen: Connection[] = []
    const connection = service.connection$.subscribe((c) => seen.push(c))
    const subscription = service.ticks$.subscribe((t) => seqs.push(t.seq))
    await settle()
    const first = FakeWebSocket.last()
    await accept(first)
    first.receive(tick(7))
    first.receive(tick(8))

    expect(seen.at(-1)).toEqual({ state: 'open', opens: 1 })

    first.serverClose(1006)
    expect(seen.at(-1)).toEqual({ state: 'reconnecting', opens: 1, lastClose: { code: 1006, reason: '' } })
    await vi.advanceTimersByTimeAsync(2000)
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    expect(second.url).toBe('ws://ticker.test/ticker?since=8')
    await accept(second)
    expect(second.sent).toEqual([JSON.stringify(SUBSCRIBE)])
    second.receive(tick(9))
    expect(seqs).toEqual([7, 8, 9])
    expect(seen.at(-1)).toMatchObject({ state: 'open', opens: 2 })
    subscription.unsubscribe()
    connection.unsubscribe()
  })

  it('finds a silent connection dead with its application heartbeat and reconnects', async () => {
    const subscription = service.ticks$.subscribe()
    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    ws.sent.length = 0
    // A ping after 1 s of silence.
    await vi.advanceTimersByTimeAsync(1500)
    expect(ws.sent).toEqual(['{"type":"ping"}'])
    expect(ws.readyState).toBe(1)
    // No pong, nothing at all: dead 2 s after the ping, then a retry within 2 s.
    await vi.advanceTimersByTimeAsync(2500)
    expect(ws.readyState).toBeGreaterThanOrEqual(2)
    await vi.advanceTimersByTimeAsync(2500)
    expect(FakeWebSocket.instances.length).toBeGreaterThanOrEqual(2)
    expect(FakeWebSocket.last().url).toBe('ws://ticker.test/ticker')
    subscription.unsubscribe()
  })

  it('a pong is not a tick and keeps the connection alive', async () => {
    const seqs: number[] = []
    const subscription = service.ticks$.subscribe((t) => seqs.push(t.seq))
    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1000)
      ws.receive('{"type":"pong","at":1}')
    }
    expect(ws.readyState).toBe(1)
    expect(FakeWebSocket.instances.length).toBe(1)
    expect(seqs).toEqual([])
    subscription.unsubscribe()
  })

  it('recent$ holds the last KEEP ticks, newest first', async () => {
    let recent: Tick[] = []
    const subscription = service.recent$.subscribe((r) => (recent = r))
    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    for (let seq = 1; seq <= KEEP + 5; seq++) ws.receive(tick(seq))
    expect(recent.length).toBe(KEEP)
    expect(recent[0]!.seq).toBe(KEEP + 5)
    expect(recent.at(-1)!.seq).toBe(6)
    subscription.unsubscribe()
  })

  it('the last subscriber leaving unsubscribes from prices, then closes the socket a second later', async () => {
    const subscription = service.ticks$.subscribe()
    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    subscription.unsubscribe()
    expect(ws.sent.at(-1)).toBe(JSON.stringify(UNSUBSCRIBE))
    expect(ws.closeCalls).toEqual([])
    await vi.advanceTimersByTimeAsync(1000)
    expect(ws.closeCalls.length).toBe(1)
  })

  it('close() closes for good: the connection ends closed and nothing reconnects', async () => {
    let last: Connection | undefined
    service.connection$.subscribe((c) => (last = c))
    const subscription = service.ticks$.subscribe()
    await settle()
    const ws = FakeWebSocket.last()
    await accept(ws)
    service.close()
    ws.finishClose(1000)
    await vi.advanceTimersByTimeAsync(5000)
    expect(last?.state).toBe('closed')
    expect(FakeWebSocket.instances.length).toBe(1)
    subscription.unsubscribe()
  })
})

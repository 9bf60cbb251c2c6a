import { ResilientWebSocket, type ResilientWebSocketOptions } from '@lifeline/core'
import { FakePingWebSocket } from '@lifeline/testing/fake-websocket'
import { firstValueFrom } from 'rxjs'
import { describe, expect, test, vi } from 'vitest'
import { data$, latency$, messages$, type StatusSource, state$, status$ } from '../src'
import { FAKE, FakeWebSocket, flush, openLast, record, reported, useFakes } from './helpers/fake'

const made: ResilientWebSocket[] = []
useFakes(() => {
  for (const socket of made.splice(0)) socket.close()
})

function make(options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  const { url, WebSocketCtor, ...rest } = FAKE
  const socket = new ResilientWebSocket(url, { ...rest, WebSocket: WebSocketCtor, ...options })
  made.push(socket)
  return socket
}

/** A socket whose `subscribe` and message listeners are counted, to see that streams release them. */
function counted(socket: ResilientWebSocket) {
  const counts = { status: 0, message: 0 }
  const source: StatusSource = {
    get status() {
      return socket.status
    },
    subscribe(listener) {
      counts.status++
      const stop = socket.subscribe(listener)
      return () => {
        counts.status--
        stop()
      }
    },
    addEventListener(type, listener) {
      counts.message++
      socket.addEventListener(type, listener)
    },
    removeEventListener(type, listener) {
      counts.message--
      socket.removeEventListener(type, listener)
    },
  }
  return { source, counts }
}

describe('status$', () => {
  test('gives the current status at once, then each change, across a reconnect', async () => {
    const socket = make()
    const states: string[] = []
    const subscription = status$(socket).subscribe((s) => {
      if (s.state !== states.at(-1)) states.push(s.state)
    })
    expect(states).toEqual(['connecting'])
    const ws = await openLast()
    ws.serverClose(1006)
    await flush(100)
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'connecting'])
    expect(states).not.toContain('closed')
    subscription.unsubscribe()
  })

  test('completes when the socket is closed for good, whether open or still connecting', async () => {
    const open = make()
    const connecting = make()
    const a: string[] = []
    const b: string[] = []
    status$(open).subscribe({ complete: () => a.push('complete'), error: () => a.push('error') })
    status$(connecting).subscribe({ complete: () => b.push('complete'), error: () => b.push('error') })
    await flush()
    FakeWebSocket.instances[0]!.open()
    await flush()
    open.close()
    connecting.close(4000, 'leaving')
    FakeWebSocket.instances[0]!.finishClose()
    await flush()
    expect(a).toEqual(['complete'])
    expect(b).toEqual(['complete'])
  })

  test('errors once with the last close when the socket gives up: attempts that fail, or a fatal close code', async () => {
    const failing = make({ reconnect: { maxAttempts: 1 } })
    const fatal = make()
    const a: string[] = []
    const b: string[] = []
    status$(failing).subscribe({ complete: () => a.push('complete'), error: (e) => a.push(`error:${e.code}`) })
    status$(fatal).subscribe({ complete: () => b.push('complete'), error: (e) => b.push(`error:${e.code}`) })
    await flush()
    FakeWebSocket.instances[0]!.fail()
    FakeWebSocket.instances[1]!.open()
    await flush()
    FakeWebSocket.instances[1]!.serverClose(1008, 'policy', true)
    await flush()
    expect(a).toEqual(['error:1006'])
    expect(b).toEqual(['error:1008'])
  })

  test('the last status it gives before ending is the closed one', async () => {
    const socket = make()
    const log: string[] = []
    status$(socket).subscribe(record(log))
    await flush()
    socket.close()
    await flush()
    expect(JSON.parse(log.at(-2)!.slice(5))).toMatchObject({ state: 'closed', lastClose: { code: 1005 } })
    expect(log.at(-1)).toBe('complete')
  })

  test('a socket already closed gives its status and completes', async () => {
    const socket = make()
    await openLast()
    socket.close()
    FakeWebSocket.last().finishClose()
    const log: string[] = []
    status$(socket).subscribe({ next: (s) => log.push(s.state), complete: () => log.push('complete') })
    await flush()
    expect(log).toEqual(['closed', 'complete'])
  })

  test('works with toSignal-style synchronous reads: the first value is there on subscribe', () => {
    const socket = make()
    let first: unknown
    status$(socket)
      .subscribe((s) => {
        first ??= s
      })
      .unsubscribe()
    expect(first).toBe(socket.status)
  })

  test('unsubscribing releases the socket subscription', async () => {
    const { source, counts } = counted(make())
    const subscription = status$(source).subscribe()
    expect(counts.status).toBe(1)
    subscription.unsubscribe()
    expect(counts.status).toBe(0)
  })
})

describe('state$ and latency$', () => {
  test('state$ gives each distinct state', async () => {
    const socket = make()
    const states: string[] = []
    state$(socket).subscribe({ next: (s) => states.push(s), complete: () => states.push('complete') })
    const ws = await openLast()
    socket.send('x') // a queue figure changes, the state does not
    await flush()
    ws.serverClose(1006)
    await flush(100)
    socket.close()
    await flush()
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'closed', 'complete'])
  })

  test('latency$ gives each heartbeat round trip, nothing before the first', async () => {
    const socket = make({ WebSocket: FakePingWebSocket, heartbeat: { interval: 1000, timeout: 500 } })
    const latencies: number[] = []
    latency$(socket).subscribe((ms) => latencies.push(ms))
    await flush()
    const ws = FakeWebSocket.last() as FakePingWebSocket
    ws.open()
    await flush()
    expect(latencies).toEqual([])
    for (let waited = 0; ws.pings === 0 && waited < 5000; waited += 100) await flush(100)
    expect(ws.pings).toBe(1)
    await flush(40)
    ws.pong()
    await flush()
    expect(latencies).toHaveLength(1)
    expect(latencies[0]).toBe(socket.latency)
    expect(latencies[0]).toBeGreaterThanOrEqual(40)
  })
})

describe('messages$ and data$', () => {
  test('keep delivering across a reconnect; complete when the socket is closed', async () => {
    const socket = make()
    const raw: string[] = []
    const parsed: string[] = []
    messages$(socket).subscribe(record(raw))
    data$(socket).subscribe(record(parsed))
    const first = await openLast()
    first.receive('{"a":1}')
    first.serverClose(1006)
    await flush(100)
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    second.receive('{"a":2}')
    socket.close()
    second.finishClose()
    await flush()
    expect(raw).toEqual(['next:"{\\"a\\":1}"', 'next:"{\\"a\\":2}"', 'complete'])
    expect(parsed).toEqual(['next:{"a":1}', 'next:{"a":2}', 'complete'])
  })

  test('error once when the socket gives up', async () => {
    const socket = make({ reconnect: false })
    const log: string[] = []
    messages$(socket).subscribe(record(log))
    const ws = await openLast()
    ws.receive('m')
    ws.serverClose(1006)
    await flush()
    expect(log).toEqual(['next:"m"', 'error:1006'])
  })

  test('a message parse throws on is skipped and reported; the stream goes on', async () => {
    const socket = make()
    const log: string[] = []
    data$(socket, (data) => {
      if (data === 'bad') throw new Error('parse bug')
      return data.length
    }).subscribe(record(log))
    const ws = await openLast()
    ws.receive('bad')
    ws.receive('good')
    expect(log).toEqual(['next:4'])
    expect(reported.map((e) => (e as Error).message)).toEqual(['parse bug'])
  })

  test('unsubscribing removes the message listener and the status subscription', async () => {
    const { source, counts } = counted(make())
    const subscription = data$(source).subscribe()
    expect(counts).toEqual({ status: 1, message: 1 })
    subscription.unsubscribe()
    expect(counts).toEqual({ status: 0, message: 0 })
  })

  test('on a socket already closed, completes at once and keeps no listener', async () => {
    const socket = make()
    socket.close()
    const { source, counts } = counted(socket)
    const done = vi.fn()
    messages$(source).subscribe({ complete: done })
    await flush()
    expect(done).toHaveBeenCalledTimes(1)
    expect(counts).toEqual({ status: 0, message: 0 })
  })

  test('work with firstValueFrom and other operators', async () => {
    const socket = make()
    const first = firstValueFrom(data$<{ n: number }>(socket))
    const ws = await openLast()
    ws.receive('{"n":9}')
    await expect(first).resolves.toEqual({ n: 9 })
  })
})

/** Records how `status$` and `messages$` of `socket` end: `complete`, or `error:<code>:<wasClean>`. */
function endings(socket: StatusSource): string[] {
  const log: string[] = []
  const observer = (name: string) => ({
    complete: () => log.push(`${name} complete`),
    error: (e: { code: number; wasClean: boolean }) => log.push(`${name} error:${e.code}:${e.wasClean}`),
  })
  status$(socket).subscribe(observer('status'))
  messages$(socket).subscribe(observer('messages'))
  return log
}

describe('how the streams end: giving up errors exactly once', () => {
  test('the last attempt allowed by maxAttempts fails', async () => {
    const socket = make({ reconnect: { minDelay: 100, maxDelay: 100, jitter: 'none', maxAttempts: 2 } })
    const log = endings(socket)
    await flush()
    FakeWebSocket.last().fail()
    await flush(100)
    expect(socket.state).toBe('connecting')
    expect(log).toEqual([])
    FakeWebSocket.last().fail()
    await flush(1000)
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(log).toEqual(['status error:1006:false', 'messages error:1006:false'])
  })

  test('a fatal close code, with the closing handshake done or not', async () => {
    for (const wasClean of [true, false]) {
      const socket = make()
      const log = endings(socket)
      const ws = await openLast()
      ws.serverClose(1008, 'policy', wasClean)
      await flush(1000)
      expect(log).toEqual([`status error:1008:${wasClean}`, `messages error:1008:${wasClean}`])
    }
  })

  test('a code the app declares fatal, after a clean close frame', async () => {
    const socket = make({ fatalCloseCodes: [4001] })
    const log = endings(socket)
    const ws = await openLast()
    ws.serverClose(4001, 'unauthorized', true)
    await flush(1000)
    expect(log).toEqual(['status error:4001:true', 'messages error:4001:true'])
  })

  test('a retry policy returns null', async () => {
    const socket = make({ reconnect: () => null })
    const log = endings(socket)
    const ws = await openLast()
    ws.serverClose(1001, 'going away', true)
    await flush(1000)
    expect(log).toEqual(['status error:1001:true', 'messages error:1001:true'])
  })

  test('a retry policy throws (reported, then lifeline gives up)', async () => {
    const socket = make({
      reconnect: () => {
        throw new Error('policy bug')
      },
    })
    const errors: unknown[] = []
    socket.on('error', (event) => errors.push(event.error))
    const log = endings(socket)
    await flush()
    FakeWebSocket.last().fail()
    await flush(1000)
    expect(log).toEqual(['status error:1006:false', 'messages error:1006:false'])
    expect(errors).toContainEqual(expect.objectContaining({ message: 'policy bug' }))
  })

  test('shouldReconnect says no', async () => {
    const socket = make({ shouldReconnect: () => false })
    const log = endings(socket)
    const ws = await openLast()
    ws.serverClose(1000, 'done', true)
    await flush(1000)
    expect(log).toEqual(['status error:1000:true', 'messages error:1000:true'])
  })

  test('there is no WebSocket implementation', async () => {
    vi.stubGlobal('WebSocket', undefined)
    const socket = make({ WebSocket: undefined })
    const errors: unknown[] = []
    socket.on('error', (event) => errors.push(event.error))
    const log = endings(socket)
    await flush(1000)
    expect(socket.state).toBe('closed')
    expect(log).toEqual(['status error:1006:false', 'messages error:1006:false'])
    expect(errors).toEqual([expect.objectContaining({ name: 'TypeError' })])
  })

  test('nothing follows the error: not a later close(), nor anything else', async () => {
    const socket = make({ reconnect: false })
    const log = endings(socket)
    const ws = await openLast()
    ws.serverClose(1006)
    await flush()
    socket.close()
    await flush(1000)
    expect(log).toEqual(['status error:1006:false', 'messages error:1006:false'])
  })

  test('a close listener that calls reconnect() after the give-up keeps the streams going', async () => {
    const socket = make({ reconnect: false })
    socket.once('close', () => socket.reconnect())
    const log = endings(socket)
    const states: string[] = []
    state$(socket).subscribe((s) => states.push(s))
    const ws = await openLast()
    ws.serverClose(1006)
    await flush()
    const again = await openLast()
    expect(again).not.toBe(ws)
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open'])
    expect(log).toEqual([])
  })

  test('a tab that hears of the state before the close that goes with it errors with that close, once', async () => {
    // A follower tab gets the leader's 'closed' state and its final close in two BroadcastChannel messages, which are
    // two tasks: the stream waits for the close.
    const closed = { ...make().status, state: 'closed' as const, readyState: 3, lastClose: undefined, gaveUp: true }
    let status = make().status
    const listeners = new Set<() => void>()
    const source: StatusSource = {
      get status() {
        return status
      },
      subscribe(listener) {
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
      addEventListener() {},
      removeEventListener() {},
    }
    const set = (next: typeof status) => {
      status = next
      for (const listener of [...listeners]) listener()
    }
    const log = endings(source)
    set(closed)
    await flush()
    expect(log).toEqual([])
    set({ ...closed, lastClose: { code: 1008, reason: 'policy', wasClean: true } })
    await flush()
    expect(log).toEqual(['status error:1008:true', 'messages error:1008:true'])
    expect(listeners.size).toBe(0)
  })
})

describe('how the streams end: close() in any state completes', () => {
  test('while connecting, with or without a code', async () => {
    const plain = make()
    const coded = make()
    const a = endings(plain)
    const b = endings(coded)
    plain.close()
    coded.close(4000, 'leaving')
    await flush()
    expect(a).toEqual(['status complete', 'messages complete'])
    expect(b).toEqual(['status complete', 'messages complete'])
  })

  test('while waiting to retry', async () => {
    for (const code of [undefined, 1000, 3000]) {
      const socket = make()
      const log = endings(socket)
      const ws = await openLast()
      ws.serverClose(1006)
      await flush()
      expect(socket.state).toBe('reconnecting')
      socket.close(code)
      await flush(1000)
      expect(log).toEqual(['status complete', 'messages complete'])
    }
  })

  test('while open: the server answers cleanly, or never (closeTimeout drops the connection with 1006)', async () => {
    const answered = make()
    const a = endings(answered)
    const first = await openLast()
    answered.close()
    first.finishClose()
    await flush()
    expect(a).toEqual(['status complete', 'messages complete'])

    const silent = make({ closeTimeout: 500 })
    const b = endings(silent)
    await openLast()
    silent.close(4000)
    await flush(500)
    expect(silent.status.lastClose).toMatchObject({ code: 1006, wasClean: false })
    expect(b).toEqual(['status complete', 'messages complete'])
  })

  test('while closing: closing again changes nothing, and a connection lost meanwhile still completes', async () => {
    const socket = make()
    const log = endings(socket)
    const ws = await openLast()
    socket.close()
    await flush()
    expect(socket.state).toBe('closing')
    socket.close(4000)
    const late = endings(socket)
    ws.serverClose(1006)
    await flush(1000)
    expect(log).toEqual(['status complete', 'messages complete'])
    expect(late).toEqual(['status complete', 'messages complete'])
  })
})

describe('a give-up that looks like close()', () => {
  test('giving up after a close frame with a code close() could give (1000, 1005, 3000-4999), the closing handshake unfinished, errors: status.gaveUp tells', async () => {
    // core reports this give-up as { code: 4001, wasClean: false }, as close(4001) before a connection is open is
    // reported; only status.gaveUp tells them apart.
    const socket = make({ fatalCloseCodes: [4001] })
    const log = endings(socket)
    const ws = await openLast()
    ws.serverClose(4001, 'unauthorized', false)
    await flush(1000)
    expect(socket.state).toBe('closed')
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(log).toEqual(['status error:4001:false', 'messages error:4001:false'])
  })

  test('close(4001) before a connection is open, the same close in lastClose, completes', async () => {
    const socket = make()
    const log = endings(socket)
    socket.close(4001, 'unauthorized')
    await flush(1000)
    expect(socket.status.lastClose).toEqual({ code: 4001, reason: 'unauthorized', wasClean: false })
    expect(log).toEqual(['status complete', 'messages complete'])
  })

  test('subscribing after a give-up errors at once; after reconnect() the socket lives again', async () => {
    const socket = make({ reconnect: false })
    const ws = await openLast()
    ws.serverClose(1000, 'done', false)
    await flush(1000)
    const late = endings(socket)
    await flush()
    expect(late).toEqual(['status error:1000:false', 'messages error:1000:false'])
    socket.reconnect()
    const again = endings(socket)
    await flush()
    expect(again).toEqual([])
    socket.close()
    await flush(1000)
    expect(again).toEqual(['status complete', 'messages complete'])
  })
})

import { afterEach, describe, expect, test } from 'vitest'
import { startServer } from '../server.mjs'
import { TestClient, until } from './client.mjs'

/** A ticker period long enough that no tick arrives during a test that does not want one. */
const QUIET = 60_000

let server
let clients = []

afterEach(async () => {
  for (const client of clients) client.close()
  clients = []
  await server?.close()
  server = undefined
})

async function start(options = {}) {
  server = await startServer({ tickInterval: QUIET, ...options })
  return server
}

function client(path) {
  const created = new TestClient(`${server.url}${path}`)
  clients.push(created)
  return created
}

async function connect(path) {
  const created = client(path)
  await created.opened
  return created
}

function control(path, method = 'POST') {
  return fetch(`${server.url.replace(/^ws/, 'http')}${path}`, { method })
}

function seqs(messages) {
  return messages.map((text) => JSON.parse(text).seq)
}

function consecutive(numbers) {
  return numbers.every((seq, index) => index === 0 || seq === numbers[index - 1] + 1)
}

describe('endpoints', () => {
  test('echo sends text back as text and binary back as binary', async () => {
    await start()
    const echo = await connect('/echo')
    echo.ws.send('hello')
    echo.ws.send(Buffer.from([1, 2, 3]))
    expect(await echo.next()).toBe('hello')
    expect(await echo.next()).toEqual(Buffer.from([1, 2, 3]))
  })

  test('every path answers application pings, in text and in JSON', async () => {
    await start()
    for (const path of ['/echo', '/chat', '/ticker', '/ack']) {
      const socket = await connect(path)
      socket.ws.send('ping')
      expect(await socket.next()).toBe('pong')
      socket.ws.send(JSON.stringify({ type: 'ping', id: 7 }))
      expect(JSON.parse(await socket.next())).toEqual({ type: 'pong', id: 7, at: expect.any(Number) })
    }
  })

  test('chat sends every message to every chat connection, the sender included', async () => {
    await start()
    const alice = await connect('/chat')
    const bob = await connect('/chat')
    const echo = await connect('/echo')
    alice.ws.send('hi from alice')
    expect(await alice.next()).toBe('hi from alice')
    expect(await bob.next()).toBe('hi from alice')
    echo.ws.send('only mine')
    expect(await echo.next()).toBe('only mine')
    expect(bob.messages).toEqual(['hi from alice'])
  })

  test('ack answers { id } with { ack: id } and anything else with an error', async () => {
    await start()
    const ack = await connect('/ack')
    ack.ws.send(JSON.stringify({ id: 'order-1', qty: 3 }))
    expect(JSON.parse(await ack.next())).toEqual({ ack: 'order-1' })
    ack.ws.send('not json')
    expect(JSON.parse(await ack.next())).toEqual({ error: expect.any(String) })
  })

  test('the ticker sends { seq, price, at } numbered one after another', async () => {
    await start({ tickInterval: 10 })
    const ticker = await connect('/ticker')
    await until(() => ticker.messages.length >= 5)
    const first = JSON.parse(ticker.messages[0])
    expect(first).toEqual({ seq: expect.any(Number), price: expect.any(Number), at: expect.any(Number) })
    expect(consecutive(seqs(ticker.messages))).toBe(true)
  })

  test('the ticker resumes after since=N with N+1', async () => {
    await start({ tickInterval: 10 })
    await until(() => server.status().seq >= 8)
    const ticker = await connect('/ticker?since=3')
    await until(() => ticker.messages.length >= 8)
    const received = seqs(ticker.messages)
    expect(received[0]).toBe(4)
    expect(consecutive(received)).toBe(true)
  })

  test('the ticker replays only what its bounded history still holds', async () => {
    await start({ tickInterval: 10, history: 5 })
    await until(() => server.status().seq >= 12)
    const ticker = await connect('/ticker?since=0')
    await until(() => ticker.messages.length >= 5)
    const received = seqs(ticker.messages)
    expect(received[0]).toBeGreaterThanOrEqual(8)
    expect(consecutive(received)).toBe(true)
  })

  test('an unknown path and a malformed since are refused', async () => {
    await start()
    await expect(client('/nowhere').opened).rejects.toThrow('HTTP 404')
    await expect(client('/ticker?since=abc').opened).rejects.toThrow('HTTP 400')
  })
})

describe('control API', () => {
  test('GET /status reports the ticker, the connections and the faults', async () => {
    await start()
    await connect('/echo')
    await connect('/chat')
    const response = await control('/status', 'GET')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      seq: 0,
      connections: { echo: 1, chat: 1, ticker: 0, ack: 0 },
      totals: { accepted: 2, refused: 0 },
      faults: { halfOpen: false, slowRead: false, refusing: false, restarting: false },
    })
  })

  test('GET /status counts open connections per path as they open and close', async () => {
    await start()
    const first = await connect('/ticker')
    await connect('/ticker')
    await connect('/ack')
    expect(server.status().connections).toEqual({ echo: 0, chat: 0, ticker: 2, ack: 1 })
    first.close()
    await until(() => server.status().connections.ticker === 1)
    const body = await (await control('/status', 'GET')).json()
    expect(body.connections).toEqual({ echo: 0, chat: 0, ticker: 1, ack: 1 })
    expect(body.totals.accepted).toBe(3)
  })

  test('refuses unknown faults, wrong methods and bad durations', async () => {
    await start()
    expect((await control('/faults/flood')).status).toBe(404)
    expect((await control('/faults/drop', 'GET')).status).toBe(405)
    expect((await control('/faults/half-open?ms=abc')).status).toBe(400)
    expect((await control('/faults/slow-read?ms=-1')).status).toBe(400)
    expect((await control('/faults/refuse?ms=600001')).status).toBe(400)
    expect(server.status().faults).toEqual({ halfOpen: false, slowRead: false, refusing: false, restarting: false })
  })

  test('POST /faults/drop drops every connection without a close frame', async () => {
    await start()
    const echo = await connect('/echo')
    const chat = await connect('/chat')
    const response = await control('/faults/drop')
    expect(await response.json()).toEqual({ fault: 'drop', dropped: 2 })
    expect(await echo.closed()).toEqual({ code: 1006, reason: '' })
    expect(await chat.closed()).toEqual({ code: 1006, reason: '' })
  })

  test('POST /faults/half-open and /faults/slow-read start those faults for ms', async () => {
    await start()
    const halfOpen = await control('/faults/half-open?ms=200')
    expect(halfOpen.status).toBe(202)
    expect(await halfOpen.json()).toEqual({ fault: 'half-open', ms: 200 })
    const slowRead = await control('/faults/slow-read?ms=200')
    expect(await slowRead.json()).toEqual({ fault: 'slow-read', ms: 200 })
    expect(server.status().faults).toEqual({ halfOpen: true, slowRead: true, refusing: false, restarting: false })
    await until(() => !server.status().faults.halfOpen && !server.status().faults.slowRead)
  })

  test('POST /faults/refuse refuses new connections for ms', async () => {
    await start()
    const response = await control('/faults/refuse?ms=200')
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ fault: 'refuse', ms: 200 })
    expect(server.status().faults.refusing).toBe(true)
    await expect(client('/echo').opened).rejects.toThrow('HTTP 503')
    await until(() => !server.status().faults.refusing)
    await connect('/echo')
  })

  test('POST /faults/restart answers, then restarts on the same port', async () => {
    await start()
    const echo = await connect('/echo')
    const response = await control('/faults/restart?ms=100')
    expect(await response.json()).toEqual({ fault: 'restart', ms: 100 })
    expect((await echo.closed()).code).toBe(1012)
    await until(() => !server.status().faults.restarting)
    const again = await connect('/echo')
    again.ws.send('back')
    expect(await again.next()).toBe('back')
  })
})

describe('faults', () => {
  test('half-open: open connections are neither read nor answered, then dropped; new ones wait', async () => {
    await start()
    const frozen = await connect('/echo')
    let pongs = 0
    frozen.ws.on('pong', () => pongs++)
    const over = server.faults.halfOpen(300)
    expect(server.status().faults.halfOpen).toBe(true)
    frozen.ws.send('anyone there?')
    frozen.ws.ping()
    let opened = false
    const waiting = client('/echo')
    waiting.opened.then(() => (opened = true))
    await over
    expect(opened).toBe(false)
    expect(await frozen.closed()).toEqual({ code: 1006, reason: '' })
    expect(frozen.messages).toEqual([])
    expect(pongs).toBe(0)
    await waiting.opened
    waiting.ws.send('hello')
    expect(await waiting.next()).toBe('hello')
    expect(server.status().faults.halfOpen).toBe(false)
  })

  test('slow read: connections are still read, in order, and read normally afterwards', async () => {
    await start()
    const echo = await connect('/echo')
    const over = server.faults.slowRead(300)
    const late = await connect('/echo')
    for (const text of ['one', 'two', 'three']) echo.ws.send(text)
    late.ws.send('late')
    expect([await echo.next(), await echo.next(), await echo.next()]).toEqual(['one', 'two', 'three'])
    expect(await late.next()).toBe('late')
    await over
    expect(server.status().faults.slowRead).toBe(false)
    echo.ws.send('after')
    expect(await echo.next()).toBe('after')
  })

  test('restart: connections close with 1012, nothing listens meanwhile, the ticker keeps counting', async () => {
    await start({ tickInterval: 10 })
    const ticker = await connect('/ticker')
    await until(() => ticker.messages.length > 0)
    const restarted = server.faults.restart(300)
    expect(await ticker.closed()).toEqual({ code: 1012, reason: 'service restart' })
    const before = server.status().seq
    await expect(client('/echo').opened).rejects.toThrow('closed before opening')
    await restarted
    expect(server.status().seq).toBeGreaterThan(before)
    const resumed = await connect(`/ticker?since=${before}`)
    expect(JSON.parse(await resumed.next()).seq).toBe(before + 1)
  })

  test('refuse: new connections get HTTP 503 and are counted, open ones carry on', async () => {
    await start()
    const open = await connect('/echo')
    const over = server.faults.refuse(300)
    await expect(client('/echo').opened).rejects.toThrow('HTTP 503')
    await expect(client('/ticker').opened).rejects.toThrow('HTTP 503')
    open.ws.send('still here')
    expect(await open.next()).toBe('still here')
    expect(server.status().totals).toEqual({ accepted: 1, refused: 2 })
    await over
    expect(server.status().faults.refusing).toBe(false)
    await connect('/echo')
    expect(server.status().totals).toEqual({ accepted: 2, refused: 2 })
  })

  test('onAck is told every acknowledged message, in arrival order', async () => {
    const acked = []
    await start({ onAck: (message, connection) => acked.push({ ...message, connection }) })
    const a = await connect('/ack')
    const b = await connect('/ack')
    a.ws.send(JSON.stringify({ id: 'a1', n: 1 }))
    await a.next()
    b.ws.send(JSON.stringify({ id: 'b1' }))
    b.ws.send('not json')
    a.ws.send(JSON.stringify({ id: 'a2', n: 2 }))
    await b.next()
    await b.next()
    await a.next()
    expect(acked).toEqual([
      { id: 'a1', n: 1, connection: 1 },
      { id: 'b1', connection: 2 },
      { id: 'a2', n: 2, connection: 1 },
    ])
  })

  test('close() drops every connection and stops listening', async () => {
    await start()
    const echo = await connect('/echo')
    await server.close()
    expect((await echo.closed()).code).toBe(1006)
    await expect(client('/echo').opened).rejects.toThrow('closed before opening')
  })
})

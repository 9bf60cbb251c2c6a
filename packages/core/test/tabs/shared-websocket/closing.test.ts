import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, onTestFinished, test, vi } from 'vitest'
import { SocketCloseEvent } from '../../../src'
import { drops, flush, messages, RETRY_DELAY, record, TABS_NAME, useTabs } from '../harness'

const tabs = useTabs()

async function threeTabsOpen() {
  const a = tabs.open('a')
  const b = tabs.open('b')
  const c = tabs.open('c')
  await flush()
  const ws = FakeWebSocket.last()
  ws.open()
  await flush()
  return { a, b, c, ws }
}

describe("a follower's close()", () => {
  test('detaches that tab only: it is closed, the others keep the connection', async () => {
    const { a, b, c, ws } = await threeTabsOpen()
    const log = record(b, ['state', 'close'])
    const closes: SocketCloseEvent[] = []
    b.on('close', (event) => closes.push(event))
    const toB = messages(b)
    const toC = messages(c)
    b.close(4001, 'not needed here')
    expect(b.state).toBe('closed')
    expect(b.readyState).toBe(b.CLOSED)
    expect(log).toEqual(['state:closed', 'close:4001:false'])
    expect(closes[0]).toBeInstanceOf(SocketCloseEvent)
    expect(closes[0]!.reason).toBe('not needed here')
    expect(b.status.lastClose).toEqual({ code: 4001, reason: 'not needed here', wasClean: false })
    expect(ws.closeCalls).toEqual([])
    ws.receive('still here')
    await flush()
    expect(toB).toEqual([])
    expect(toC).toEqual(['still here'])
    expect(a.state).toBe('open')
    expect(c.state).toBe('open')
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('withdraws its lock request', async () => {
    const { b } = await threeTabsOpen()
    expect(tabs.browser.locks.waitingFor(TABS_NAME)).toBe(2)
    b.close()
    await flush()
    expect(tabs.browser.locks.waitingFor(TABS_NAME)).toBe(1)
  })

  test('without arguments: code 1005; closing again does nothing', async () => {
    const { b } = await threeTabsOpen()
    const log = record(b, ['state', 'close'])
    b.close()
    b.close()
    expect(log).toEqual(['state:closed', 'close:1005:false'])
  })

  test('checks its arguments as the platform does', async () => {
    const { b } = await threeTabsOpen()
    expect(() => b.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }))
    expect(() => b.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(b.state).toBe('open')
  })

  test('rejects a pending drained() and later ones', async () => {
    tabs.open('a')
    const b = tabs.open('b', { highWaterMark: 2 })
    await flush()
    expect(b.send('123')).toBe(false)
    const pending = b.drained()
    b.close()
    await expect(pending).rejects.toMatchObject({ name: 'InvalidStateError' })
    await expect(b.drained()).rejects.toMatchObject({ name: 'InvalidStateError' })
  })
})

describe("a follower's close() while the connection is down", () => {
  /** Tabs a (the leader), b and c; the connection opened, then dropped: a retry waits. */
  async function connectionDown() {
    const { a, b, c, ws } = await threeTabsOpen()
    ws.serverClose(1006)
    await flush()
    expect(a.state).toBe('reconnecting')
    return { a, b, c }
  }

  /** The retry connects: what the new socket sends once open. */
  async function reconnected() {
    await flush(RETRY_DELAY)
    const next = FakeWebSocket.last()
    next.open()
    await flush()
    return next.sent
  }

  test('takes back what the connection has not sent: the tab keeps it in queued, the connection never sends it', async () => {
    const { a, b, c } = await connectionDown()
    b.send('b1')
    c.send('c1')
    b.send('b2')
    a.send('a1')
    await flush()
    b.close()
    expect(b.queued).toEqual(['b1', 'b2'])
    await flush()
    // Each tab's order is kept; between tabs, the leader's own send goes first (the others' cross the channel).
    expect(await reconnected()).toEqual(['a1', 'c1'])
    expect(b.queued).toEqual(['b1', 'b2'])
    expect(c.queued).toEqual([])
    expect(a.queued).toEqual([])
  })

  test("keeps the other tabs' messages, in each tab's order, when they carry the same data", async () => {
    const { b, c } = await connectionDown()
    b.send('x')
    c.send('y')
    c.send('x')
    b.send('y')
    await flush()
    b.close()
    await flush()
    expect(await reconnected()).toEqual(['y', 'x'])
    expect(b.queued).toEqual(['x', 'y'])
  })

  test("frees room in the connection's queue: another tab sends without a drop", async () => {
    const queue = { maxMessages: 2, overflow: 'drop-newest' } as const
    tabs.open('a', { queue })
    const b = tabs.open('b', { queue })
    const c = tabs.open('c', { queue })
    await flush()
    const dropsOfC = drops(c)
    b.send('b1')
    b.send('b2')
    await flush()
    b.close()
    await flush()
    c.send('c1')
    c.send('c2')
    await flush()
    FakeWebSocket.last().open()
    await flush()
    expect(FakeWebSocket.last().sent).toEqual(['c1', 'c2'])
    expect(dropsOfC).toEqual([])
    expect(b.queued).toEqual(['b1', 'b2'])
  })

  test('what the connection sent before it heard of the close is not taken back', async () => {
    const { b, ws } = await threeTabsOpen()
    b.send('sent already')
    await flush()
    expect(ws.sent).toEqual(['sent already'])
    b.close()
    await flush()
    ws.serverClose(1006)
    await flush()
    expect(await reconnected()).toEqual([])
    expect(b.queued).toEqual([])
  })
})

describe("the last tab's close()", () => {
  test('closes the connection, and nothing reconnects', async () => {
    const { a, b, c, ws } = await threeTabsOpen()
    b.close()
    c.close()
    a.close(1000, 'bye')
    expect(ws.closeCalls).toEqual([{ code: 1000, reason: 'bye' }])
    ws.finishClose(1000, 'bye')
    await flush(60_000)
    expect(FakeWebSocket.instances).toHaveLength(1)
    expect(tabs.browser.locks.holder(TABS_NAME)).toBeUndefined()
    expect(tabs.browser.locks.waitingFor(TABS_NAME)).toBe(0)
    expect(tabs.browser.openChannels).toBe(0)
  })
})

describe('reconnect()', () => {
  test("in a follower, asks the leader's connection to reconnect", async () => {
    const { b, ws } = await threeTabsOpen()
    b.reconnect(4002, 'fresh start')
    await flush()
    expect(ws.closeCalls).toEqual([{ code: 4002, reason: 'fresh start' }])
    expect(FakeWebSocket.instances).toHaveLength(2)
  })

  test('after close() it throws InvalidStateError', async () => {
    const { b } = await threeTabsOpen()
    b.close()
    expect(() => b.reconnect()).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
  })
})

describe('a listener that closes the tab', () => {
  test('during a handover: the tab dispatches nothing after its own close', async () => {
    const { c } = await threeTabsOpen()
    const log = record(c, ['state', 'open', 'close'])
    c.once('state', () => c.close())
    tabs.crash('a')
    await flush()
    FakeWebSocket.last().open()
    await flush()
    expect(log).toEqual(['state:connecting', 'state:closed', 'close:1005:false'])
    expect(c.state).toBe('closed')
  })

  test('on a drop while it takes the lead: it stops there, and the connection it started closes', async () => {
    const reported: unknown[] = []
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error))
    onTestFinished(() => {
      vi.unstubAllGlobals()
    })
    tabs.open('a', { queue: { maxMessages: 1 } })
    const b = tabs.open('b', { queue: { maxMessages: 1 } })
    await flush()
    b.send('b1')
    b.send('b2')
    await flush()
    // a's queue dropped b1; b keeps b2. a goes: b leads and gives its own queue of one b2, b3 (dropping b2), b4.
    b.send('b3')
    b.send('b4')
    b.on('drop', () => b.close())
    tabs.crash('a')
    await flush()
    expect(b.state).toBe('closed')
    expect(b.isLeader).toBe(false)
    expect(b.queued).toEqual(['b3', 'b4'])
    expect(tabs.browser.locks.holder(TABS_NAME)).toBeUndefined()
    for (const ws of FakeWebSocket.instances) expect(ws.readyState).toBeGreaterThanOrEqual(2)
    expect(reported).toEqual([])
  })
})

describe("a user's listener that throws", () => {
  test('is reported, and the tab goes on receiving and relaying', async () => {
    const reported: unknown[] = []
    vi.stubGlobal('reportError', (error: unknown) => reported.push(error))
    const { b, c, ws } = await threeTabsOpen()
    try {
      b.on('message', () => {
        throw new Error('listener bug')
      })
      b.on('state', () => {
        throw new Error('state listener bug')
      })
      const toC = messages(c)
      ws.receive('one')
      await flush()
      ws.serverClose(1006)
      await flush(RETRY_DELAY)
      FakeWebSocket.last().open()
      FakeWebSocket.last().receive('two')
      b.send('from b')
      await flush()
      expect(toC).toEqual(['one', 'two'])
      expect(b.state).toBe('open')
      expect(FakeWebSocket.last().sent).toEqual(['from b'])
      expect(reported.map((error) => (error as Error).message)).toContain('listener bug')
      expect(reported.map((error) => (error as Error).message)).toContain('state listener bug')
    } finally {
      b.removeAllListeners()
      vi.unstubAllGlobals()
    }
  })
})

describe('a give-up', () => {
  test("every tab's status says gaveUp; a tab's close() afterwards keeps what the connection said", async () => {
    const a = tabs.open('a', { fatalCloseCodes: [4001] })
    const b = tabs.open('b')
    await flush()
    FakeWebSocket.last().open()
    await flush()
    expect(b.status.gaveUp).toBe(false)
    FakeWebSocket.last().serverClose(4001, 'unauthorized', false)
    await flush()
    for (const tab of [a, b]) {
      expect(tab.status).toMatchObject({
        state: 'closed',
        gaveUp: true,
        lastClose: { code: 4001, reason: 'unauthorized', wasClean: false },
      })
    }
    b.close(4000)
    expect(b.status).toMatchObject({ gaveUp: true, lastClose: { code: 4001 } })
  })

  test("a follower's own close() is not a give-up", async () => {
    const { b } = await threeTabsOpen()
    b.close(4000)
    expect(b.status).toMatchObject({ state: 'closed', gaveUp: false })
  })
})

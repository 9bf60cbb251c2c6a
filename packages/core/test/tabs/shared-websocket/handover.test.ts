import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { describe, expect, test } from 'vitest'
import { drops, flush, messages, RETRY_DELAY, record, TABS_NAME, useTabs } from '../harness'

const tabs = useTabs()

/** Opens tabs a (the leader), b and c, and opens the shared connection. */
async function threeTabsOpen(leaderOptions = {}) {
  const a = tabs.open('a', leaderOptions)
  const b = tabs.open('b')
  const c = tabs.open('c')
  await flush()
  const first = FakeWebSocket.last()
  first.open()
  await flush()
  return { a, b, c, first }
}

describe('when the leader tab goes away', () => {
  test('the next tab takes the lock and makes exactly one new connection', async () => {
    const { b, c } = await threeTabsOpen()
    const leaders: string[] = []
    b.on('leader', () => leaders.push('b'))
    c.on('leader', () => leaders.push('c'))
    tabs.crash('a')
    await flush()
    expect(leaders).toEqual(['b'])
    expect(b.isLeader).toBe(true)
    expect(c.isLeader).toBe(false)
    expect(tabs.browser.locks.holder(TABS_NAME)).toBe('b')
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().open()
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(2)
    expect(c.state).toBe('open')
  })

  test('what the old leader never handed to its socket is sent by the new one; what it handed is not sent again', async () => {
    const { b, c, first } = await threeTabsOpen({ highWaterMark: 4 })
    first.holdSends = true
    b.send('b1..')
    b.send('b2..')
    c.send('c1..')
    await flush()
    expect(first.sent).toEqual(['b1..'])
    expect(b.queued).toEqual(['b2..'])
    expect(c.queued).toEqual(['c1..'])
    tabs.crash('a')
    await flush()
    const second = FakeWebSocket.last()
    second.open()
    await flush()
    expect(second.sent).toEqual(['b2..', 'c1..'])
    expect(b.queued).toEqual([])
    expect(c.queued).toEqual([])
  })

  test('messages sent during the handover arrive after the earlier ones, in order', async () => {
    const { b, c, first } = await threeTabsOpen()
    const dropsC = drops(c)
    c.send('c1')
    await flush()
    expect(first.sent).toEqual(['c1'])
    tabs.crash('a')
    // Before the new leader is known: kept by the tab, given to whoever leads next.
    c.send('c2')
    b.send('b1')
    c.send('c3')
    await flush()
    c.send('c4')
    await flush()
    const second = FakeWebSocket.last()
    expect(second).not.toBe(first)
    second.open()
    await flush()
    expect(second.sent).toEqual(['b1', 'c2', 'c3', 'c4'])
    expect(dropsC).toEqual([])
  })

  test('messages sent while the server is down survive a handover and arrive once it is back', async () => {
    const { b, c, first } = await threeTabsOpen()
    first.serverClose(1006)
    await flush()
    b.send('b1')
    c.send('c1')
    await flush(RETRY_DELAY)
    FakeWebSocket.last().fail()
    await flush()
    c.send('c2')
    tabs.crash('a')
    await flush()
    b.send('b2')
    await flush()
    const last = FakeWebSocket.last()
    last.open()
    await flush()
    const sent = last.sent as string[]
    expect(sent).toHaveLength(4)
    expect(sent.filter((m) => m.startsWith('b'))).toEqual(['b1', 'b2'])
    expect(sent.filter((m) => m.startsWith('c'))).toEqual(['c1', 'c2'])
  })

  test('the other tabs see the handover as a lost connection that comes back', async () => {
    const { c } = await threeTabsOpen()
    const log = record(c, ['state', 'open', 'close'])
    const received = messages(c)
    tabs.crash('a')
    await flush()
    FakeWebSocket.last().open()
    FakeWebSocket.last().receive('after')
    await flush()
    expect(log).toEqual(['state:connecting', 'close:1006:true', 'state:open', 'open:0:true'])
    expect(received).toEqual(['after'])
  })

  test('the new leader sees the same, and its own kept messages go first on its connection', async () => {
    const { b, first } = await threeTabsOpen({ highWaterMark: 1 })
    first.holdSends = true
    b.send('x')
    b.send('y')
    await flush()
    const log = record(b, ['state', 'open', 'close'])
    tabs.crash('a')
    await flush()
    FakeWebSocket.last().open()
    await flush()
    expect(log).toEqual(['state:connecting', 'close:1006:true', 'state:open', 'open:0:true'])
    expect(FakeWebSocket.last().sent).toEqual(['y'])
  })

  test('a late word from a former leader is ignored: no tab goes back to it', async () => {
    const { b, c } = await threeTabsOpen()
    const oldLead = tabs.browser.posted.find((p) => p.data.t === 'lead')!.data
    tabs.crash('a')
    await flush()
    FakeWebSocket.last().open()
    await flush()
    // The former leader's announcement arrives again, late.
    tabs.browser.in('ghost', () => {
      const channel = new tabs.browser.BroadcastChannel(TABS_NAME)
      channel.postMessage(oldLead)
      channel.close()
    })
    await flush()
    c.send('still delivered')
    await flush()
    expect(b.isLeader).toBe(true)
    expect(FakeWebSocket.last().sent).toEqual(['still delivered'])
    expect(c.state).toBe('open')
  })
})

describe("the leader's close()", () => {
  test('hands the connection over: its socket closes with the code given, another tab connects', async () => {
    const { a, b, c, first } = await threeTabsOpen()
    a.close(4000, 'tab done')
    expect(first.closeCalls).toEqual([{ code: 4000, reason: 'tab done' }])
    first.finishClose(4000, 'tab done')
    await flush()
    expect(b.isLeader).toBe(true)
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().open()
    c.send('to the new leader')
    await flush()
    expect(FakeWebSocket.last().sent).toEqual(['to the new leader'])
    expect(a.state).toBe('closed')
  })

  test("keeps the tab's own untaken messages readable in queued", async () => {
    const a = tabs.open('a')
    await flush()
    a.send('never sent')
    a.close()
    expect(a.queued).toEqual(['never sent'])
  })
})

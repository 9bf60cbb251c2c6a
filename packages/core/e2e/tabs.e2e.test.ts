import { launchChromium } from '@lifeline/testing/chromium'
import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type PageServer, startPageServer } from './page-server'

/** What the page script (page-server.ts) puts on `window`. */
declare const tab: {
  socket: {
    isLeader: boolean
    state: string
    queued: unknown[]
    binaryType: string
    send(data: unknown): boolean
    close(code?: number, reason?: string): void
  }
  received: unknown[]
  events: string[]
}

/** Quick retries so that a restarted server is found at once; no heartbeat, so the server sees only the tests' messages. */
const OPTIONS = { reconnect: { minDelay: 50, maxDelay: 250 }, heartbeat: false }
/** Generous bounds: the machine is shared. */
const WAIT = 15_000

let browser: Browser
let pageServer: PageServer
let server: TestServer
let context: BrowserContext
let pageErrors: Error[] = []

beforeAll(async () => {
  browser = await launchChromium()
  pageServer = await startPageServer()
})

afterAll(async () => {
  await browser?.close()
  await pageServer?.close()
})

beforeEach(async () => {
  server = await TestServer.start()
  context = await browser.newContext()
  pageErrors = []
})

afterEach(async () => {
  await context.close()
  await server.stop()
  expect(pageErrors).toEqual([])
})

/** Opens a tab (a page of the shared context) with a SharedWebSocket on the test server. */
async function openTab(query = ''): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error))
  await page.goto(pageServer.url + query)
  await page.evaluate(([url, options]) => (window as any).tab.start(url, options), [server.url, OPTIONS] as const)
  return page
}

async function openTabs(count: number, query = ''): Promise<Page[]> {
  const pages: Page[] = []
  for (let i = 0; i < count; i++) pages.push(await openTab(query))
  return pages
}

function waitForState(page: Page, state: string): Promise<unknown> {
  return page.waitForFunction((expected) => tab.socket.state === expected, state, { timeout: WAIT })
}

/** Resolves once every page's socket is open. */
async function allOpen(pages: Page[]): Promise<void> {
  for (const page of pages) await waitForState(page, 'open')
}

/** The pages that lead, read from each page. */
async function leadersAmong(pages: Page[]): Promise<Page[]> {
  const flags = await Promise.all(pages.map((page) => page.evaluate(() => tab.socket.isLeader)))
  return pages.filter((_, i) => flags[i])
}

/** Sends each of `messages` from `page`, in order, in one go. */
function sendAll(page: Page, messages: string[]): Promise<unknown> {
  return page.evaluate((list) => {
    for (const message of list) tab.socket.send(message)
  }, messages)
}

function broadcast(text: string): void {
  for (const client of server.wss.clients) client.send(text)
}

/** The messages the server received that start with `prefix`, in arrival order. */
function receivedFrom(prefix: string): string[] {
  return server.received.filter((message) => message.startsWith(prefix))
}

const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`)

describe('SharedWebSocket in Chromium, several tabs of one origin', () => {
  test('three tabs share one server connection, and every tab receives every message', async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    expect(server.clients).toHaveLength(1)
    expect(await leadersAmong(pages)).toHaveLength(1)
    const messages = range('m', 0, 5)
    for (const message of messages) broadcast(message)
    for (const page of pages) {
      await page.waitForFunction((n) => tab.received.length >= n, messages.length, { timeout: WAIT })
      expect(await page.evaluate(() => tab.received)).toEqual(messages)
    }
    expect(server.clients).toHaveLength(1)
  })

  test('binary messages cross between tabs both ways, as each tab asks', async () => {
    const pages = await openTabs(2)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const follower = pages.find((page) => page !== leader)!
    await follower.evaluate(() => {
      tab.socket.binaryType = 'arraybuffer'
    })
    for (const client of server.wss.clients) client.send(Buffer.from([1, 2, 3]))
    const describeReceived = (page: Page) =>
      page.evaluate(async () => {
        const data = tab.received[0] as ArrayBuffer | Blob
        const bytes = data instanceof Blob ? await data.arrayBuffer() : data
        return { kind: data.constructor.name, bytes: [...new Uint8Array(bytes)] }
      })
    for (const page of pages) await page.waitForFunction(() => tab.received.length === 1, undefined, { timeout: WAIT })
    expect(await describeReceived(follower)).toEqual({ kind: 'ArrayBuffer', bytes: [1, 2, 3] })
    expect(await describeReceived(leader!)).toEqual({ kind: 'Blob', bytes: [1, 2, 3] })
    await follower.evaluate(() => {
      tab.socket.send(new Uint8Array([9, 8, 7, 6]))
      tab.socket.send(new Blob(['blob!']))
    })
    await server.receivedCount(2, WAIT)
    expect(server.received).toEqual(['binary:4', 'binary:5'])
  })

  test("followers' messages reach the server in each tab's order", async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const [first, second] = pages.filter((page) => page !== leader) as [Page, Page]
    await Promise.all([
      sendAll(first, range('f:', 0, 100)),
      sendAll(second, range('s:', 0, 100)),
      sendAll(leader!, range('l:', 0, 20)),
    ])
    await server.receivedCount(220, WAIT)
    expect(receivedFrom('f:')).toEqual(range('f:', 0, 100))
    expect(receivedFrom('s:')).toEqual(range('s:', 0, 100))
    expect(receivedFrom('l:')).toEqual(range('l:', 0, 20))
    expect(server.clients).toHaveLength(1)
  })

  test('closing the leader tab: another tab leads within 2 s, with exactly one new server connection', async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const others = pages.filter((page) => page !== leader)
    await leader!.close()
    const next = await Promise.any(
      others.map((page) =>
        page.waitForFunction(() => tab.socket.isLeader, undefined, { timeout: 2000 }).then(() => page),
      ),
    )
    await allOpen(others)
    await server.connection(2, WAIT)
    await until(() => server.wss.clients.size === 1, WAIT, 'the old connection closed')
    const follower = others.find((page) => page !== next)!
    await sendAll(follower, ['after the handover'])
    await server.receivedCount(1, WAIT)
    broadcast('to the two tabs left')
    for (const page of others) {
      await page.waitForFunction(() => tab.received.includes('to the two tabs left'), undefined, { timeout: WAIT })
    }
    expect(await leadersAmong(others)).toEqual([next])
    expect(server.clients).toHaveLength(2)
  })

  test('messages sent while the server was down and during a handover all arrive, in order', async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const [first, second] = pages.filter((page) => page !== leader) as [Page, Page]
    await server.stop()
    await Promise.all([waitForState(first, 'reconnecting'), waitForState(second, 'reconnecting')])
    await sendAll(first, range('f:', 0, 3))
    await sendAll(second, range('s:', 0, 3))
    // The leader tab goes while the server is down: the others send during the handover and after it.
    await leader!.close()
    await sendAll(first, range('f:', 3, 6))
    await sendAll(second, range('s:', 3, 6))
    await Promise.any(
      [first, second].map((page) => page.waitForFunction(() => tab.socket.isLeader, undefined, { timeout: WAIT })),
    )
    await sendAll(first, range('f:', 6, 8))
    await server.restart()
    await server.receivedCount(14, WAIT)
    for (const page of [first, second]) {
      await page.waitForFunction(() => tab.socket.queued.length === 0, undefined, { timeout: WAIT })
    }
    expect(receivedFrom('f:')).toEqual(range('f:', 0, 8))
    expect(receivedFrom('s:')).toEqual(range('s:', 0, 6))
    expect(server.received).toHaveLength(14)
    expect(await first.evaluate(() => tab.events.filter((event) => event === 'drop'))).toEqual([])
  })

  test("a follower's close() detaches that tab only", async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const [leaving, staying] = pages.filter((page) => page !== leader) as [Page, Page]
    await leaving.evaluate(() => tab.socket.close())
    expect(await leaving.evaluate(() => tab.socket.state)).toBe('closed')
    expect(await leaving.evaluate(() => tab.events.slice(-2))).toEqual(['state:closed', 'close'])
    broadcast('after one tab left')
    for (const page of [leader!, staying]) {
      await page.waitForFunction(() => tab.received.includes('after one tab left'), undefined, { timeout: WAIT })
    }
    await sendAll(staying, ['still sending'])
    await server.receivedCount(1, WAIT)
    expect(await leaving.evaluate(() => tab.received)).toEqual([])
    expect(await staying.evaluate(() => tab.socket.state)).toBe('open')
    expect(server.clients).toHaveLength(1)
    expect(server.wss.clients.size).toBe(1)
  })

  test("the last tab's close() closes the server connection, and nothing reconnects", async () => {
    const pages = await openTabs(3)
    await allOpen(pages)
    const [leader] = await leadersAmong(pages)
    const closed = new Promise<number>((resolve) => server.clients[0]!.socket.once('close', resolve))
    for (const page of pages.filter((page) => page !== leader)) await page.evaluate(() => tab.socket.close())
    await leader!.evaluate(() => tab.socket.close(1000, 'bye'))
    expect(await closed).toBe(1000)
    await until(() => server.wss.clients.size === 0, WAIT, 'the connection closed')
    // No tab holds or waits for the lock: none can lead, so none will connect again.
    const locks = await leader!.evaluate(async () => {
      const state = await navigator.locks.query()
      return [...(state.held ?? []), ...(state.pending ?? [])].filter((lock) => lock.name?.startsWith('lifeline:'))
    })
    expect(locks).toEqual([])
    for (const page of pages) expect(await page.evaluate(() => tab.socket.state)).toBe('closed')
    expect(server.clients).toHaveLength(1)
  })

  test('without navigator.locks, each tab has its own working connection', async () => {
    const pages = await openTabs(3, '?nolocks')
    expect(await pages[0]!.evaluate(() => 'locks' in navigator)).toBe(false)
    await allOpen(pages)
    expect(server.clients).toHaveLength(3)
    expect(await leadersAmong(pages)).toHaveLength(3)
    await Promise.all(pages.map((page, i) => sendAll(page, [`tab ${i}`])))
    await server.receivedCount(3, WAIT)
    expect(server.clients.map((client) => client.messages).sort()).toEqual([['tab 0'], ['tab 1'], ['tab 2']])
    broadcast('to each')
    for (const page of pages) {
      await page.waitForFunction(() => tab.received.length === 1, undefined, { timeout: WAIT })
      expect(await page.evaluate(() => tab.received)).toEqual(['to each'])
    }
  })
})

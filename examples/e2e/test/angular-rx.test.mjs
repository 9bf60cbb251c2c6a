// The Angular ticker in Chromium against a real example server: live values through a signal, and a server restart
// (connections closed with 1012, connection refused while down) survived with no gap in the feed.
import { startServer } from '@lifeline/example-server'
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest'
import { launchChromium } from '../src/chromium.mjs'
import { screenshot } from '../src/screenshot.mjs'
import { serveApp } from '../src/static-app.mjs'

/** Most time for the app to see a change: retries are at most 2 s apart, a connect attempt times out after 3 s. */
const SOON = 15_000

let server
let app
let browser
let page
/** Uncaught exceptions in the page: a test fails with them, whatever else it saw. */
let pageErrors

beforeAll(async () => {
  ;[server, app, browser] = await Promise.all([
    startServer({ tickInterval: 100 }),
    serveApp('angular-rx'),
    launchChromium(),
  ])
})

afterAll(async () => {
  await Promise.all([browser?.close(), app?.close(), server?.close()])
})

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 800, height: 700 } })
  page.setDefaultTimeout(SOON)
  pageErrors = []
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)))
  await page.goto(`${app.url}/?server=${encodeURIComponent(server.url)}`)
})

afterEach(async (context) => {
  await screenshot(page, `angular-rx ${context.task.name}`)
  await page.close()
  expect(pageErrors, 'uncaught exceptions in the page').toEqual([])
})

const state = () => page.getByTestId('state').textContent()
const seq = async () => Number(await page.getByTestId('seq').getAttribute('data-seq'))
/** The sequence numbers in the recent list, newest first. */
const recentSeqs = async () =>
  (await page.locator('.recent li span').allTextContents()).map((text) => Number(text.replace('#', '')))

test('renders live ticker values through a signal', async () => {
  await expect.poll(state, { timeout: SOON }).toBe('open')
  await page.getByTestId('price').waitFor({ timeout: SOON })
  const first = await seq()
  await expect.poll(seq, { timeout: SOON }).toBeGreaterThan(first + 2)
  expect(await page.getByTestId('price').textContent()).toMatch(/^\d+\.\d\d$/)
  expect(await page.locator('.recent li').count()).toBeGreaterThan(2)
})

test('recovers from a server restart and resumes the feed with no gap', async () => {
  await expect.poll(state, { timeout: SOON }).toBe('open')
  await expect.poll(seq, { timeout: SOON }).toBeGreaterThan(0)

  const restarted = server.faults.restart(3000)
  await expect.poll(state, { timeout: SOON }).toBe('reconnecting · last close 1012 service restart')
  const before = await seq()
  await screenshot(page, 'angular-rx during a restart')
  await restarted

  await expect.poll(state, { timeout: SOON }).toBe('open')
  expect(await page.getByTestId('opens').textContent()).toBe('reconnected 1×')
  // The ticker kept counting while the server was down; the app resumed after the last seq it had seen.
  await expect.poll(seq, { timeout: SOON }).toBeGreaterThan(before + 5)
  const recent = await recentSeqs()
  expect(recent.length).toBeGreaterThan(5)
  expect(recent).toEqual(recent.map((_, i) => recent[0] - i))
})

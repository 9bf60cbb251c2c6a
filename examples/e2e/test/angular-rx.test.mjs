// The Angular ticker in Chromium against a real example server: live values through a signal, and a server restart
// (connections closed with 1012, connection refused while down) survived with no gap in the feed.
import { beforeEach, expect, test } from 'vitest'
import { appInChromium, SOON } from '../src/app-in-chromium.mjs'
import { screenshot } from '../src/screenshot.mjs'

const e2e = appInChromium('angular-rx', { viewport: { width: 800, height: 700 } })
let page

beforeEach(async () => {
  page = await e2e.openPage()
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

  const restarted = e2e.server.faults.restart(3000)
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

// The React chat in Chromium against a real example server: open, a server that drops everything and refuses new
// connections, messages written meanwhile, the server back, and a half-open server found by the app's heartbeat.
import { beforeEach, expect, test } from 'vitest'
import { appInChromium, SOON } from '../src/app-in-chromium.mjs'
import { screenshot } from '../src/screenshot.mjs'

const e2e = appInChromium('react-chat', { viewport: { width: 1100, height: 760 } })
let page

beforeEach(async () => {
  page = await e2e.openPage()
})

const badge = (state) => page.locator(`[data-testid="chat-badge"][data-state="${state}"]`)
const mine = (status) => page.locator(`.message.mine[data-status="${status}"]`)

async function write(text) {
  await page.getByLabel('Message').fill(text)
  await page.getByLabel('Message').press('Enter')
}

test('shows the connection open, the live ticker and the heartbeat latency', async () => {
  await badge('open').waitFor({ timeout: SOON })
  await page.locator('[data-testid="ticker-badge"][data-state="open"]').waitFor({ timeout: SOON })
  const price = page.getByTestId('price')
  await price.waitFor({ timeout: SOON })
  const first = Number(await price.getAttribute('data-seq'))
  await expect.poll(async () => Number(await price.getAttribute('data-seq')), { timeout: SOON }).toBeGreaterThan(first)
  await expect.poll(() => page.getByTestId('seq').textContent(), { timeout: SOON }).toMatch(/gaps 0 · duplicates 0/)
  // The chat is quiet: the app's heartbeat pings after 1 s of silence, and the pong's round trip is the latency.
  await expect.poll(() => page.getByTestId('latency').textContent(), { timeout: SOON }).toMatch(/^latency \d+ ms$/)
})

test('messages written while the server refuses connections are queued, then delivered in order', async () => {
  await badge('open').waitFor({ timeout: SOON })
  await write('before the outage')
  await mine('delivered').filter({ hasText: 'before the outage' }).waitFor({ timeout: SOON })

  // The server drops every connection and refuses new ones (HTTP 503) until told otherwise.
  const refusing = e2e.server.faults.refuse(120_000)
  expect(e2e.server.faults.dropAll()).toBeGreaterThanOrEqual(2)
  await badge('reconnecting').waitFor({ timeout: SOON })
  await expect
    .poll(() => badge('reconnecting').textContent(), { timeout: SOON })
    .toMatch(/reconnecting · attempt \d+ · next try in \d+\.\d s/)

  for (const text of ['one', 'two', 'three']) await write(text)
  await expect
    .poll(() => mine('queued').locator('.text').allTextContents(), { timeout: SOON })
    .toEqual(['one', 'two', 'three'])
  await expect.poll(() => e2e.server.status().totals.refused, { timeout: SOON }).toBeGreaterThan(0)
  await expect.poll(() => badge('reconnecting').count(), { timeout: SOON }).toBe(1)
  expect(await mine('queued').count()).toBe(3)
  await screenshot(page, 'react-chat queued while the server refuses')

  // The server takes connections again.
  e2e.server.faults.refuse(0)
  await refusing
  await badge('open').waitFor({ timeout: SOON })
  await expect
    .poll(() => mine('delivered').locator('.text').allTextContents(), { timeout: SOON })
    .toEqual(['before the outage', 'one', 'two', 'three'])
  expect(await mine('queued').count()).toBe(0)
})

test('a half-open server is found by the heartbeat while the fault lasts, and the app recovers after it', async () => {
  await badge('open').waitFor({ timeout: SOON })
  const frozen = e2e.server.faults.halfOpen(120_000)
  // TCP stays open and nothing is answered: only the app's heartbeat (3 s without a message) can notice.
  await badge('reconnecting').waitFor({ timeout: SOON })
  expect(e2e.server.status().faults.halfOpen).toBe(true)
  await expect
    .poll(() => page.getByTestId('last-loss').textContent(), { timeout: SOON })
    .toBe('last loss: 1006 heartbeat timeout')
  await screenshot(page, 'react-chat half-open found by the heartbeat')

  e2e.server.faults.halfOpen(0)
  await frozen
  await badge('open').waitFor({ timeout: SOON })
  await write('after the half-open server')
  await mine('delivered').filter({ hasText: 'after the half-open server' }).waitFor({ timeout: SOON })
})

// The React chat with one connection for all tabs (`?tabs=1`: SharedWebSocket), in Chromium: three pages of one
// browser context (three tabs of one browser) against a real example server.
import { expect, test } from 'vitest'
import { appInChromium, SOON } from '../src/app-in-chromium.mjs'
import { screenshot } from '../src/screenshot.mjs'

const e2e = appInChromium('react-chat', { viewport: { width: 1100, height: 760 }, screenshots: 'react-chat-tabs' })

/** Opens the app in a new tab of the context: sharing one connection for all tabs, unless `shared` is false. */
const openTab = (shared = true) => e2e.openPage(shared ? '&tabs=1' : '')

const chatOpen = (page) => page.locator('[data-testid="chat-badge"][data-state="open"]').waitFor()
const chatRole = (page) => page.getByTestId('chat-role').getAttribute('data-role')
const chatConnections = () => e2e.server.status().connections.chat

/** The open pages' chat roles, in page order, once exactly one page leads and the others follow. */
async function rolesSettled() {
  let roles = []
  await expect
    .poll(
      async () => {
        roles = await Promise.all(e2e.pages.map(chatRole))
        return roles.filter((role) => role === 'leader').length === 1 && roles.every(Boolean)
      },
      { timeout: SOON },
    )
    .toBe(true)
  return roles
}

async function write(page, text) {
  await page.getByLabel('Message').fill(text)
  await page.getByLabel('Message').press('Enter')
}

/** Resolves once every open page shows the line `text`. */
async function shownEverywhere(text) {
  for (const page of e2e.pages) await page.locator('[data-testid="message"]', { hasText: text }).waitFor()
}

test('three tabs, one server connection; a follower’s message reaches every tab; the leader closes and another tab takes over', async () => {
  for (let i = 0; i < 3; i++) await openTab()
  for (const page of e2e.pages) await chatOpen(page)
  expect(await e2e.pages[0].getByTestId('tabs-toggle').isChecked()).toBe(true)

  // One connection for the chat path, one for the ticker, whatever the number of tabs.
  await expect.poll(chatConnections, { timeout: SOON }).toBe(1)
  expect(e2e.server.status().connections.ticker).toBe(1)
  await expect
    .poll(() => e2e.pages[2].getByTestId('server-connections').textContent(), { timeout: SOON })
    .toBe('server connections: chat 1 · ticker 1')

  const roles = await rolesSettled()
  const leader = e2e.pages[roles.indexOf('leader')]
  const followers = e2e.pages.filter((page) => page !== leader)

  // A follower writes: the line goes through the leader's connection to the server, which sends it to its one chat
  // connection, and the leader passes it to every tab. The writer sees it come back (delivered).
  await write(followers[0], 'from a follower')
  await followers[0].locator('.message.mine[data-status="delivered"]', { hasText: 'from a follower' }).waitFor()
  await shownEverywhere('from a follower')
  await write(leader, 'from the leader')
  await shownEverywhere('from the leader')
  expect(chatConnections()).toBe(1)
  await screenshot(followers[0], 'react-chat-tabs three tabs, one connection')

  // The leader tab closes: another tab takes the lock, connects, and every remaining tab is open again.
  const accepted = e2e.server.status().totals.accepted
  await leader.close()
  const after = await rolesSettled()
  expect(after.filter((role) => role === 'follower')).toHaveLength(1)
  await expect.poll(() => e2e.server.status().totals.accepted, { timeout: SOON }).toBeGreaterThan(accepted)
  for (const page of e2e.pages) await chatOpen(page)
  await expect.poll(chatConnections, { timeout: SOON }).toBe(1)

  // The new connection carries what any remaining tab writes, to every remaining tab.
  const follower = e2e.pages[after.indexOf('follower')]
  await write(follower, 'after the handover')
  await follower.locator('.message.mine[data-status="delivered"]', { hasText: 'after the handover' }).waitFor()
  await shownEverywhere('after the handover')
  expect(chatConnections()).toBe(1)

  // The ticker went over to a new leader too (or stayed where it was): one connection, and in every remaining tab a
  // feed with no gap and no duplicate, resumed after the last price the tabs saw.
  await expect.poll(() => e2e.server.status().connections.ticker, { timeout: SOON }).toBe(1)
  for (const page of e2e.pages) {
    const seq = Number(await page.getByTestId('price').getAttribute('data-seq'))
    await expect
      .poll(async () => Number(await page.getByTestId('price').getAttribute('data-seq')), { timeout: SOON })
      .toBeGreaterThan(seq)
    expect(await page.getByTestId('seq').textContent()).toMatch(/gaps 0 · duplicates 0$/)
  }
})

test('the switch: a connection per tab, then, ticked in both tabs, one for both (the address says tabs=1)', async () => {
  for (let i = 0; i < 2; i++) await openTab(false)
  for (const page of e2e.pages) await chatOpen(page)
  await expect.poll(chatConnections, { timeout: SOON }).toBe(2)
  expect(await e2e.pages[0].getByTestId('chat-role').count()).toBe(0)

  for (const page of e2e.pages) await page.getByTestId('tabs-toggle').check()
  for (const page of e2e.pages) {
    expect(new URL(page.url()).searchParams.get('tabs')).toBe('1')
    await chatOpen(page)
  }
  await rolesSettled()
  await expect.poll(chatConnections, { timeout: SOON }).toBe(1)
  await write(e2e.pages[1], 'one connection now')
  await shownEverywhere('one connection now')

  await e2e.pages[0].getByTestId('tabs-toggle').uncheck()
  expect(new URL(e2e.pages[0].url()).searchParams.has('tabs')).toBe(false)
  await chatOpen(e2e.pages[0])
  expect(await e2e.pages[0].getByTestId('chat-role').count()).toBe(0)
  await expect.poll(chatConnections, { timeout: SOON }).toBe(2)
})

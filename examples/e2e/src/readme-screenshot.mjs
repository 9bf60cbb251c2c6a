// `pnpm --filter @lifeline/example-e2e screenshot` (after building the React app): renders the picture in the React
// example's README (examples/react-chat/screenshot.png): two guests chatting, then the server gone and three
// messages queued, the badge counting down to the next try.
import { fileURLToPath } from 'node:url'
import { startServer } from '@lifeline/example-server'
import { launchChromium } from '@lifeline/testing/chromium'
import { serveApp } from './static-app.mjs'

const OUT = fileURLToPath(new URL('../../react-chat/screenshot.png', import.meta.url))
const SOON = 15_000

const [server, app, browser] = await Promise.all([startServer(), serveApp('react-chat'), launchChromium()])
try {
  const open = async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } })
    page.setDefaultTimeout(SOON)
    await page.goto(`${app.url}/?server=${encodeURIComponent(server.url)}`)
    await page.locator('[data-testid="chat-badge"][data-state="open"]').waitFor()
    return page
  }
  const write = async (page, text) => {
    await page.getByLabel('Message').fill(text)
    await page.getByLabel('Message').press('Enter')
    await page.locator('.message.mine[data-status="delivered"]', { hasText: text }).last().waitFor()
  }
  const [you, friend] = await Promise.all([open(), open()])
  await write(friend, 'is the feed up?')
  await write(you, 'yes, prices are moving')
  await write(friend, 'restarting the server now')
  // A full sparkline: wait for 50 ticks on the page that will be pictured.
  const seq = async () => Number(await you.getByTestId('price').getAttribute('data-seq'))
  const from = await seq()
  await you.waitForFunction(
    (target) => Number(document.querySelector('[data-testid="price"]')?.getAttribute('data-seq')) >= target,
    from + 50,
  )

  server.faults.refuse(60_000)
  server.faults.dropAll()
  await you.locator('[data-testid="chat-badge"][data-state="reconnecting"]', { hasText: 'next try in' }).waitFor()
  for (const text of ['still there?', 'typing while you are away', 'these wait in the queue']) {
    await you.getByLabel('Message').fill(text)
    await you.getByLabel('Message').press('Enter')
  }
  await you.locator('.message.mine[data-status="queued"]').nth(2).waitFor()
  await you.locator('[data-testid="chat-badge"]', { hasText: /next try in [1-9]/ }).waitFor()
  await you.screenshot({ path: OUT })
  console.log(`wrote ${OUT}`)
} finally {
  await Promise.all([browser.close(), app.close(), server.close()])
}

import { startServer } from '@lifeline/example-server'
import { launchChromium } from '@lifeline/testing/chromium'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { screenshot } from './screenshot.mjs'
import { serveApp } from './static-app.mjs'

/** Most time for the app to see a change: the default timeout of every page (retries are at most 3 s apart). */
export const SOON = 15_000

/**
 * Registers, in the calling test file, the hooks that run a built example app in Chromium against a real example
 * server:
 * - before all tests: the example server (a tick every 100 ms), the app's preview server and the browser;
 * - before each test: a fresh browser context (its own storage, as a new browser window);
 * - after each test: a screenshot of every page still open (`<screenshots> <test name>`, with ` (tab <n>)` when
 *   there are several), the context closed, and the test failed with any uncaught exception of its pages.
 *
 * Returns `{ server, app, openPage(query), pages }`: `openPage` opens the app in a new page of the test's context,
 * told where the server is (`?server=...`, then `query`, e.g. `'&tabs=1'`); `pages` lists the pages still open.
 *
 * @param {keyof import('./static-app.mjs').APPS} name the app (see static-app.mjs)
 * @param {{ viewport: { width: number, height: number }, screenshots?: string }} options `screenshots` starts the
 *   screenshots' names (default: the app's name)
 */
export function appInChromium(name, { viewport, screenshots = name }) {
  let server
  let app
  let browser
  let context
  let opened = []
  /** Uncaught exceptions in any page: a test fails with them, whatever else it saw. */
  let pageErrors = []

  beforeAll(async () => {
    ;[server, app, browser] = await Promise.all([startServer({ tickInterval: 100 }), serveApp(name), launchChromium()])
  })

  afterAll(async () => {
    await Promise.all([browser?.close(), app?.close(), server?.close()])
  })

  beforeEach(async () => {
    context = await browser.newContext({ viewport })
    opened = []
    pageErrors = []
  })

  afterEach(async ({ task }) => {
    const open = opened.filter((page) => !page.isClosed())
    for (const [i, page] of open.entries()) {
      await screenshot(page, `${screenshots} ${task.name}${open.length > 1 ? ` (tab ${i + 1})` : ''}`)
    }
    await context.close()
    expect(pageErrors, 'uncaught exceptions in the pages').toEqual([])
  })

  return {
    /** The example server of this file's tests (see examples/server). */
    get server() {
      return server
    },
    /** The app's preview server: `{ url }`. */
    get app() {
      return app
    },
    /** The pages of the current test still open, in the order they were opened. */
    get pages() {
      return opened.filter((page) => !page.isClosed())
    },
    /** Opens the app in a new page (tab) of the current test's context; resolves once it has loaded. */
    async openPage(query = '') {
      const page = await context.newPage()
      page.setDefaultTimeout(SOON)
      page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)))
      opened.push(page)
      await page.goto(`${app.url}/?server=${encodeURIComponent(server.url)}${query}`)
      return page
    },
  }
}

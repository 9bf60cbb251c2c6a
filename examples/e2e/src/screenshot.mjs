import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Where screenshots go (ignored by git). */
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url))

/** Saves what `page` shows as screenshots/<name>.png; resolves with the file's path. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = `${SCREENSHOTS}${name}.png`
  await page.screenshot({ path, fullPage: true })
  return path
}

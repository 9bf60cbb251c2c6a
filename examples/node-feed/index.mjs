// `pnpm demo`: runs the feed demo (see feed.mjs) and exits 0 when every check passed, 1 otherwise.
import { runFeed } from './feed.mjs'

const LIMIT = 60_000

const watchdog = setTimeout(() => {
  console.error(`FAIL: the demo did not finish within ${LIMIT / 1000} s`)
  process.exit(1)
}, LIMIT)
watchdog.unref()

try {
  const result = await runFeed()
  process.exitCode = result.ok ? 0 : 1
} catch (error) {
  console.error('FAIL:', error)
  process.exitCode = 1
}

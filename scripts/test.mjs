// Runs every test with vitest and ends with a plain `N passed, N failed` line from the run's own counts.
// Extra arguments go to vitest: `pnpm test -- --coverage`, `pnpm test -- packages/core/test/url.test.ts`.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

const report = '.vitest-report.json'
rmSync(report, { force: true })
const args = process.argv.slice(2).filter((arg) => arg !== '--')
const run = spawnSync(
  'vitest',
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  { stdio: 'inherit' },
)
if (existsSync(report)) {
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`${numPassedTests} passed, ${numFailedTests} failed`)
}
process.exit(run.status ?? 1)

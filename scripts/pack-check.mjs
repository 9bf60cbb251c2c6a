// Checks the packages as users get them: `pnpm pack` each publishable package (prepack builds it), look inside the
// tarball, `npm install` the tarballs into an empty project beside their peers, then load them from ESM and CJS and
// compile TypeScript against them under every moduleResolution a user may pick, with `strict` and no
// `skipLibCheck`. Fixtures live in scripts/pack-check/. Prints one line per check and exits non-zero on any failure.
//
//   node scripts/pack-check.mjs          # everything
//   node scripts/pack-check.mjs --keep   # keep the temporary folder for a look afterwards
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixtures = join(root, 'scripts/pack-check')
const keep = process.argv.includes('--keep')

// Versions installed beside the tarballs (the workspace's pins).
const PEERS = {
  core: ['ws@8.23.0', '@types/ws@8.18.2', 'typescript@6.0.3', `@types/node@${installedVersion('@types/node')}`],
  rx: ['rxjs@7.8.2'],
  react: ['react@19.3.1', '@types/react@19.3.0'],
}
const PACKAGES = [
  { key: 'core', dir: 'packages/core', name: '@lifeline/core' },
  { key: 'rx', dir: 'packages/rx', name: '@lifeline/rx' },
  { key: 'react', dir: 'packages/react', name: '@lifeline/react' },
]
// Generous: tsc without skipLibCheck took 90 s on a loaded 2-core machine.
const STEP_TIMEOUT_MS = 240_000
const RUN_TIMEOUT_MS = 30_000

const results = []
const started = Date.now()

function installedVersion(name) {
  return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version
}

function record(ok, label, detail = '', since = undefined) {
  results.push({ ok, label })
  const took = since === undefined ? '' : ` (${((Date.now() - since) / 1000).toFixed(1)} s)`
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${label}${took}`)
  if (!ok && detail) {
    const lines = detail.trim().split('\n')
    const shown = lines.slice(0, 30).map((line) => `      ${line}`)
    if (lines.length > 30) shown.push(`      ... ${lines.length - 30} more lines`)
    console.log(shown.join('\n'))
  }
}

/** Runs a command; resolves with `{ ok, output }`, never rejects. */
function run(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, ...options },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`
        if (!error) resolve({ ok: true, output })
        else if (error.killed)
          resolve({ ok: false, output: `${output}\n(killed after ${options.timeout ?? STEP_TIMEOUT_MS} ms)` })
        else resolve({ ok: false, output: output || String(error) })
      },
    )
  })
}

/** Whether a package's src/index.ts exports anything yet (a new package starts as `export {}`). */
function hasRealExports(dir) {
  const file = join(root, dir, 'src/index.ts')
  if (!existsSync(file)) return false
  const code = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
  return /\bexport\b(?!\s*\{\s*\})/.test(code)
}

/** Every file path a package.json points at through main/module/types/exports. */
function pointedAt(manifest) {
  const paths = new Set()
  const walk = (value) => {
    if (typeof value === 'string') paths.add(value.replace(/^\.\//, ''))
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) walk(inner)
  }
  for (const field of ['main', 'module', 'types']) walk(manifest[field])
  walk(manifest.exports)
  return [...paths].filter((path) => !path.includes('*'))
}

async function inspectTarball(pkg, tarball) {
  const listing = await run('tar', ['-tzf', tarball])
  const files = listing.output
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''))
  const problems = []
  const want = [
    [/^dist\/.+\.js$/, 'dist/*.js (ESM code)'],
    [/^dist\/.+\.cjs$/, 'dist/*.cjs (CJS code)'],
    [/^dist\/.+\.d\.ts$/, 'dist/*.d.ts (ESM types)'],
    [/^dist\/.+\.d\.cts$/, 'dist/*.d.cts (CJS types)'],
    [/^LICENSE$/, 'LICENSE'],
    [/^README\.md$/, 'README.md'],
  ]
  for (const [pattern, what] of want) if (!files.some((file) => pattern.test(file))) problems.push(`missing ${what}`)

  const manifest = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).output)
  for (const path of pointedAt(manifest))
    if (!files.includes(path)) problems.push(`package.json points at ${path}, which is not in the tarball`)
  if (!manifest.repository?.url) problems.push('package.json has no repository.url')
  if (!manifest.engines?.node) problems.push('package.json has no engines.node')
  if (manifest.sideEffects !== false) problems.push('package.json does not say sideEffects: false')
  if (!manifest.license) problems.push('package.json has no license')
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'])
    for (const [name, spec] of Object.entries(manifest[field] ?? {}))
      if (String(spec).startsWith('workspace:')) problems.push(`${field}.${name} is still "${spec}"`)

  const source = JSON.parse(readFileSync(join(root, pkg.dir, 'package.json'), 'utf8'))
  if (!source.scripts?.prepack)
    problems.push(`${pkg.dir}/package.json has no prepack script: a pack before a build ships no code`)

  record(
    problems.length === 0,
    `${pkg.name}: tarball has its code, types, LICENSE, README and metadata`,
    problems.join('\n'),
  )
  return manifest
}

// The TypeScript projects: each compiles the fixtures for the packages present, with its own package type.
const TS_PROJECTS = [
  { name: 'node16, ESM package', type: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  { name: 'node16, CJS package', type: 'commonjs', compilerOptions: { module: 'node16', moduleResolution: 'node16' } },
  {
    name: 'nodenext, ESM package',
    type: 'module',
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
  },
  {
    name: 'bundler (browser, no Node types)',
    type: 'module',
    browser: true,
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
  },
  {
    name: 'Node only (lib es2022, types node)',
    type: 'module',
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] },
  },
]

function writeTsProject(consumer, project, index, fixtureFiles, generated) {
  const dir = join(consumer, `ts-${index}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: project.type }, null, 2)}\n`)
  // node.ts passes `ws` to lifeline: Node projects only. React compiles everywhere (server rendering runs in Node).
  const files = fixtureFiles.filter((file) => !(project.browser && file === 'node.ts'))
  for (const file of files) cpSync(join(fixtures, 'types', file), join(dir, file))
  for (const [file, text] of Object.entries(generated)) {
    writeFileSync(join(dir, file), text)
    files.push(file)
  }
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      // TypeScript's own lib files are not checked (they are not ours and cost a third of the time); every
      // package's .d.ts is: there is no skipLibCheck.
      skipDefaultLibCheck: true,
      noEmit: true,
      ...project.compilerOptions,
    },
    files,
  }
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)
  return { dir, files }
}

/** Runs the given async jobs two at a time (the machine is shared). */
async function inPairs(jobs) {
  const queue = [...jobs]
  const worker = async () => {
    while (queue.length > 0) await queue.shift()()
  }
  await Promise.all([worker(), worker()])
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'lifeline-pack-check-'))
  const tarballs = join(work, 'tarballs')
  const consumer = join(work, 'consumer')
  mkdirSync(tarballs)
  mkdirSync(consumer)
  console.log(`pack-check in ${work}`)

  // 1. Pack (prepack builds) and look inside: core first, then the adapters side by side.
  const packed = []
  const pack = async (pkg) => {
    const destination = join(tarballs, pkg.key)
    mkdirSync(destination)
    const since = Date.now()
    const result = await run('pnpm', ['pack', '--pack-destination', destination], { cwd: join(root, pkg.dir) })
    const tarball = readdirSync(destination).find((file) => file.endsWith('.tgz'))
    record(result.ok && Boolean(tarball), `${pkg.name}: pnpm pack (prepack builds it)`, result.output, since)
    if (!result.ok || !tarball) return
    const manifest = await inspectTarball(pkg, join(destination, tarball))
    packed.push({ ...pkg, tarball: join(destination, tarball), manifest })
  }
  const ready = PACKAGES.filter((pkg) => {
    if (hasRealExports(pkg.dir)) return true
    console.log(`SKIP  ${pkg.name}: ${pkg.dir}/src/index.ts exports nothing yet`)
    return false
  })
  await inPairs(ready.filter((pkg) => pkg.key === 'core').map((pkg) => () => pack(pkg)))
  await inPairs(ready.filter((pkg) => pkg.key !== 'core').map((pkg) => () => pack(pkg)))
  const order = (pkg) => PACKAGES.findIndex((known) => known.key === pkg.key)
  packed.sort((a, b) => order(a) - order(b))
  const has = (key) => packed.some((pkg) => pkg.key === key)
  if (!has('core')) return finish(work)

  // 2. Install the tarballs into an empty project, as a user would.
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }, null, 2)}\n`,
  )
  const specs = [...packed.map((pkg) => pkg.tarball), ...packed.flatMap((pkg) => PEERS[pkg.key])]
  const installStart = Date.now()
  const npmArgs = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-exact', ...specs]
  const install = await run('npm', npmArgs, { cwd: consumer })
  record(
    install.ok,
    `npm install ${packed.map((pkg) => pkg.name).join(', ')} into an empty project`,
    install.output,
    installStart,
  )
  if (!install.ok) return finish(work)

  // Every subpath entry point (`@lifeline/core/delivery`, ...), from the packed package.json.
  const subpaths = packed.flatMap((pkg) =>
    Object.keys(pkg.manifest.exports ?? {})
      .filter((key) => key.startsWith('./') && key !== './package.json' && !key.includes('*'))
      .map((key) => `${pkg.name}${key.slice(1)}`),
  )
  const hasDelivery = subpaths.includes('@lifeline/core/delivery')
  if (!hasDelivery) console.log('SKIP  @lifeline/core/delivery: not among the package exports yet')

  // 3. Load from ESM and CJS: core sends a message through a real ws server; every other entry point (subpaths
  // such as @lifeline/core/delivery included) must load and export something.
  const script = (file, label) => [process.execPath, [file], label]
  const runtime = [
    script('core.mjs', '@lifeline/core from ESM (import, echo a message, close)'),
    script('core.cjs', '@lifeline/core from CJS (require, echo a message, close)'),
  ]
  if (has('rx')) {
    runtime.push(script('rx.mjs', '@lifeline/rx from ESM (webSocket)'))
    runtime.push(script('rx.cjs', '@lifeline/rx from CJS (webSocket)'))
  }
  if (has('react')) {
    runtime.push(script('react.mjs', '@lifeline/react from ESM (default useWebSocket, ReadyState)'))
    runtime.push(script('react.cjs', '@lifeline/react from CJS (default useWebSocket, ReadyState)'))
  }
  for (const specifier of subpaths) {
    const check = `if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${specifier} exports nothing`)})`
    const esm = `const m = await import(${JSON.stringify(specifier)}); ${check}`
    const cjs = `const m = require(${JSON.stringify(specifier)}); ${check}`
    runtime.push([process.execPath, ['--input-type=module', '-e', esm], `${specifier} from ESM`])
    runtime.push([process.execPath, ['-e', cjs], `${specifier} from CJS`])
  }
  cpSync(join(fixtures, 'runtime'), consumer, { recursive: true })
  await inPairs(
    runtime.map(([command, args, label]) => async () => {
      const since = Date.now()
      const result = await run(command, args, { cwd: consumer, timeout: RUN_TIMEOUT_MS })
      record(result.ok, label, result.output, since)
    }),
  )

  // 4. Compile TypeScript against the installed packages.
  const fixtureFiles = ['core.ts', 'node.ts']
  if (hasDelivery) fixtureFiles.push('delivery.ts')
  if (has('rx')) fixtureFiles.push('rx.ts')
  if (has('react')) fixtureFiles.push('react.ts')
  // Every subpath's types, under every resolution (a .d.ts is checked whole once it is imported).
  const generated = {}
  if (subpaths.length > 0) {
    const imports = subpaths.map((specifier, i) => `import * as entry${i} from '${specifier}'\n`).join('')
    const names = subpaths.map((_, i) => `entry${i}`).join(', ')
    generated['subpaths.ts'] = `${imports}\nexport const entries = [${names}]\n`
  }
  const tsc = join(consumer, 'node_modules/typescript/bin/tsc')
  await inPairs(
    TS_PROJECTS.map((project, index) => async () => {
      const { dir, files } = writeTsProject(consumer, project, index, fixtureFiles, generated)
      const since = Date.now()
      const result = await run(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir })
      record(result.ok, `TypeScript ${project.name}, strict, no skipLibCheck: ${files.join(' ')}`, result.output, since)
    }),
  )

  return finish(work)
}

function finish(work) {
  const failed = results.filter((result) => !result.ok)
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  if (keep || failed.length > 0) console.log(`\nThe packed tarballs and test projects are kept in ${work}`)
  else rmSync(work, { recursive: true, force: true })
  console.log(`pack-check: ${results.length - failed.length} passed, ${failed.length} failed (${seconds} s)`)
  if (failed.length > 0) {
    console.log('Failed:')
    for (const { label } of failed) console.log(`  - ${label}`)
  }
  process.exitCode = failed.length > 0 ? 1 : 0
}

await main()

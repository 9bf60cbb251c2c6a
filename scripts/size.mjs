// Bundle size of each entry point as a page would ship it: the package's built ESM output bundled by esbuild,
// minified, then gzipped at level 9. `@lifeline/core` includes its dependency (eventemitter3); a subpath of core is
// measured as what it adds to the default import; `@lifeline/rx` and `@lifeline/react` leave core and their peers
// out. Entry points whose build is missing are skipped (run `pnpm build`). Exits non-zero when one is over budget.
// A second bundle of core, from its sources, shows which source file the minified bytes come from.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = resolve(import.meta.dirname, '..')
const at = (path) => resolve(root, path)
const CORE = at('packages/core/dist/index.js')

/** Peers of a package: never shipped by it. */
function peersOf(dir) {
  const manifest = JSON.parse(readFileSync(at(`${dir}/package.json`), 'utf8'))
  return Object.keys(manifest.peerDependencies ?? {})
}

const ENTRIES = [
  { name: '@lifeline/core', files: [CORE], budget: 7500 },
  {
    name: '@lifeline/core/delivery',
    files: [CORE, at('packages/core/dist/delivery/index.js')],
    over: CORE,
    budget: 1200,
  },
  { name: '@lifeline/core/tabs', files: [CORE, at('packages/core/dist/tabs/index.js')], over: CORE, budget: 2500 },
  {
    name: '@lifeline/rx',
    files: [at('packages/rx/dist/index.js')],
    external: ['@lifeline/core', '@lifeline/core/*', ...peersOf('packages/rx')],
    budget: 1500,
  },
  {
    name: '@lifeline/react',
    files: [at('packages/react/dist/index.js')],
    external: ['@lifeline/core', '@lifeline/core/*', ...peersOf('packages/react'), 'react/*', 'react-dom/*'],
    budget: 2000,
  },
]

/** Minified ESM bundle of everything `files` export, with its metafile. */
async function bundle(files, external = []) {
  const result = await build({
    stdin: { contents: files.map((file) => `export * from ${JSON.stringify(file)}`).join('\n'), resolveDir: root },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, metafile: result.metafile }
}

const fmt = (bytes) => `${bytes.toLocaleString('en')} B`
let over = 0
const rows = []
for (const entry of ENTRIES) {
  const missing = entry.files.find((file) => !existsSync(file))
  if (missing) {
    rows.push({ entry: entry.name, 'min + gzip 9': `skipped: ${missing.slice(root.length + 1)} not built` })
    continue
  }
  const size = await bundle(entry.files, entry.external)
  let measured = size.gzipped
  let note = ''
  if (entry.over) {
    const base = await bundle([entry.over], entry.external)
    measured = size.gzipped - base.gzipped
    note = ` (${fmt(size.gzipped)} with the default import)`
  }
  const ok = measured <= entry.budget
  if (!ok) over++
  rows.push({
    entry: entry.name,
    minified: fmt(size.minified),
    'min + gzip 9': `${entry.over ? '+' : ''}${fmt(measured)}${note}`,
    budget: `${entry.over ? '+' : ''}${fmt(entry.budget)}`,
    ok: ok ? 'yes' : `OVER by ${fmt(measured - entry.budget)}`,
  })
}

if (existsSync(CORE)) {
  const bySource = await bundle([at('packages/core/src/index.ts')])
  const inputs = Object.values(bySource.metafile.outputs)[0].inputs
  console.log('Where the minified bytes of @lifeline/core come from (its sources, same settings):')
  for (const [path, { bytesInOutput }] of Object.entries(inputs).sort(
    (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
  )) {
    if (bytesInOutput > 0)
      console.log(`  ${String(bytesInOutput).padStart(7)} B  ${path.replace(/^.*node_modules\//, '')}`)
  }
  console.log()
}
console.log('Each entry point: esbuild bundle, minified, ESM, gzip level 9, peers external')
console.table(rows)
if (over > 0) {
  console.error(`${over} entry point(s) over budget.`)
  process.exit(1)
}
console.log('Every entry point within budget.')

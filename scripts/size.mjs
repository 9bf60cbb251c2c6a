// Bundle size of @lifeline/core as a page would ship it: packages/core/dist/index.js bundled with its dependency
// (eventemitter3), minified, ESM, then gzipped at level 9, against the 5,000 B budget. A second bundle, built the same
// way from packages/core/src, shows which source file the minified bytes come from. It reports and never fails the
// build (`pnpm size` builds first).
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ENTRY = 'packages/core/dist/index.js'
const SOURCE_ENTRY = 'packages/core/src/index.ts'
const BUDGET = 5000

async function bundle(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    metafile: true,
  })
  const inputs = Object.values(result.metafile.outputs)[0].inputs
  return { code: result.outputFiles[0].contents, inputs }
}

if (!existsSync(ENTRY)) {
  console.error(`${ENTRY} is missing: run \`pnpm build\` first.`)
  process.exit(1)
}
const { code } = await bundle(ENTRY)
const gzipped = gzipSync(code, { level: 9 }).length

const bySource = await bundle(SOURCE_ENTRY)
console.log(`Where the minified bytes come from (${SOURCE_ENTRY}, same settings):`)
for (const [path, { bytesInOutput }] of Object.entries(bySource.inputs).sort(
  (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
)) {
  if (bytesInOutput > 0)
    console.log(`  ${String(bytesInOutput).padStart(7)} B  ${path.replace(/^.*node_modules\//, '')}`)
}
console.log(`\n@lifeline/core: ${ENTRY} + eventemitter3, esbuild bundle + minify, ESM`)
console.log(`  minified:          ${code.length.toLocaleString('en')} B`)
console.log(`  minified + gzip 9: ${gzipped.toLocaleString('en')} B (budget ${BUDGET.toLocaleString('en')} B)`)
console.log(gzipped <= BUDGET ? 'within budget' : `OVER BUDGET by ${(gzipped - BUDGET).toLocaleString('en')} B`)

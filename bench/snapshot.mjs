// Takes a snapshot of the built package: packages/core/dist/index.js bundled with eventemitter3 (not minified) into
// a temporary directory, for bench/lifeline.mjs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const DIST = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url))

/** Bundles the build; resolves with the snapshot's path and a function that deletes it. */
export async function snapshotBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'))
  const file = join(dir, 'index.mjs')
  await build({ entryPoints: [DIST], bundle: true, format: 'esm', platform: 'node', outfile: file, logLevel: 'error' })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

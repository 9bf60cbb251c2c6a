// Separately loaded module instances, as separate pages or processes would have: each library is bundled once
// with its dependencies into one file (esbuild, as a page's bundler would), and `loadFresh(name, i)` imports that
// file as `file?i=<i>`, a new module instance each time that shares no module state (timers, random seeds, caches)
// with the others.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { LIBRARY_ENTRIES, moduleFactory } from './clients.mjs'

const HERE = fileURLToPath(new URL('.', import.meta.url))

/** Bundles library `name` into a temporary directory; resolves with `{ file, remove }`. */
export async function bundleLibrary(name) {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-module-'))
  const file = join(dir, 'library.mjs')
  const entry = JSON.stringify(LIBRARY_ENTRIES[name])
  await build({
    stdin: { contents: `export * from ${entry}\nimport * as all from ${entry}\nexport default all`, resolveDir: HERE },
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    outfile: file,
    logLevel: 'error',
  })
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** `create(url, WebSocket, options?)` from the `i`-th instance of the bundled library in `file`. */
export async function loadFresh(name, file, i) {
  return moduleFactory(name, await import(`${pathToFileURL(file).href}?i=${i}`))
}

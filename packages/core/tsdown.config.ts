import { existsSync } from 'node:fs'
import { defineConfig } from 'tsdown'

// Every entry point of the package: the default import, and subpaths a page that does not use them does not ship.
const entry: Record<string, string> = {
  index: 'src/index.ts',
  'delivery/index': 'src/delivery/index.ts',
}
if (existsSync('src/tabs/index.ts')) entry['tabs/index'] = 'src/tabs/index.ts'

export default defineConfig({
  entry,
  format: ['esm', 'cjs'],
  dts: true,
  platform: 'neutral',
  target: 'es2022',
  clean: true,
})

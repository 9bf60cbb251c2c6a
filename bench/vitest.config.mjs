// The benchmarks' own pure helpers (command line, bucket counts): `npx vitest run --config bench/vitest.config.mjs`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'bench',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.mjs'],
    environment: 'node',
  },
})

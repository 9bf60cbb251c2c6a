// The example server's tests: `npx vitest run --config examples/server/vitest.config.mjs`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'example-server',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 20000,
  },
})

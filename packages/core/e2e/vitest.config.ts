// End-to-end tests of @lifeline/core/tabs: several pages of one browser context in Debian's Chromium, against a
// real ws server. Run from the repository root: `npx vitest run --config packages/core/e2e/vitest.config.ts`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'core-e2e',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['**/*.e2e.test.ts'],
    environment: 'node',
    // One browser at a time: the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})

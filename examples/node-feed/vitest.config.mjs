// The feed demo's tests: `npx vitest run --config examples/node-feed/vitest.config.mjs`. They run against
// @lifeline/core's source, so no build is needed first.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@lifeline\/core$/,
        replacement: fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url)),
      },
      {
        find: /^@lifeline\/core\/(.*)$/,
        replacement: fileURLToPath(new URL('../../packages/core/src/$1/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    name: 'example-node-feed',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.mjs'],
    environment: 'node',
    testTimeout: 60000,
  },
})

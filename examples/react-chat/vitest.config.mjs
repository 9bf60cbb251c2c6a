// The chat app's unit tests: `npx vitest run --config examples/react-chat/vitest.config.mjs`. The app in a browser is
// tested by examples/e2e.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  // As in vite.config.ts: lifeline from its sources, so no package build is needed first.
  resolve: {
    alias: [
      { find: /^@lifeline\/core$/, replacement: here('../../packages/core/src/index.ts') },
      { find: /^@lifeline\/core\/(.*)$/, replacement: here('../../packages/core/src/$1/index.ts') },
      { find: /^@lifeline\/react$/, replacement: here('../../packages/react/src/index.ts') },
    ],
  },
  test: {
    name: 'example-react-chat',
    root: here('.'),
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
  },
})

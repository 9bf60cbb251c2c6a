// The chat app's unit tests: `npx vitest run --config examples/react-chat/vitest.config.mjs`. The app in a browser is
// tested by examples/e2e.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'example-react-chat',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
  },
})

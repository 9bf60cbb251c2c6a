// The soak's own logic (bookkeeping, schedule, options): `npx vitest run --config soak/vitest.config.mjs`.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    name: 'soak',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.mjs'],
    environment: 'node',
  },
})

import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Inside the workspace, tests import the packages' sources; the packed tarballs are checked by scripts/pack-check.mjs.
const alias = [
  { find: /^@lifeline\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@lifeline\/core\/(.*)$/, replacement: here('./packages/core/src/$1/index.ts') },
  { find: /^@lifeline\/rx$/, replacement: here('./packages/rx/src/index.ts') },
  { find: /^@lifeline\/react$/, replacement: here('./packages/react/src/index.ts') },
]

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          root: './packages/core',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20000,
        },
      },
      {
        extends: true,
        test: {
          name: 'rx',
          root: './packages/rx',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20000,
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          root: './packages/react',
          include: ['test/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          testTimeout: 20000,
        },
      },
      'packages/react/vitest.react18.config.ts',
      'examples/react-chat/vitest.config.mjs',
      'examples/server/vitest.config.mjs',
      'soak/vitest.config.mjs',
      'bench/vitest.config.mjs',
      'examples/node-feed/vitest.config.mjs',
    ],
    passWithNoTests: true,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
})

import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { exampleServer } from './example-server-plugin.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Inside the workspace the app compiles lifeline from its sources, so no package build is needed first.
export default defineConfig({
  plugins: [react(), exampleServer()],
  resolve: {
    alias: [
      { find: /^@lifeline\/core$/, replacement: here('../../packages/core/src/index.ts') },
      { find: /^@lifeline\/core\/(.*)$/, replacement: here('../../packages/core/src/$1/index.ts') },
      { find: /^@lifeline\/react$/, replacement: here('../../packages/react/src/index.ts') },
    ],
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
})

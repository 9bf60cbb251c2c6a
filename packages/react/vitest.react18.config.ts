import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// A subset of the tests under React 18 (react-18 and react-dom-18 are npm aliases of 18.3.1). Test code and the
// package's sources import 'react' and 'react-dom': the aliases below send those imports to React 18, and the setup
// file does the same for require() calls inside CommonJS packages (react-dom 18, @testing-library/react).
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const react = realpathSync(here('./node_modules/react-18'))
const reactDom = realpathSync(here('./node_modules/react-dom-18'))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@lifeline\/core$/, replacement: here('../core/src/index.ts') },
      { find: /^@lifeline\/core\/(.*)$/, replacement: here('../core/src/$1/index.ts') },
      { find: /^react$/, replacement: `${react}/index.js` },
      { find: /^react\/(.*)$/, replacement: `${react}/$1.js` },
      { find: /^react-dom$/, replacement: `${reactDom}/index.js` },
      { find: /^react-dom\/(.*)$/, replacement: `${reactDom}/$1.js` },
    ],
  },
  test: {
    name: 'react-18',
    root: here('.'),
    include: [
      'test/react-version.test.ts',
      'test/use-websocket.test.tsx',
      'test/use-websocket.burst.test.tsx',
      'test/use-websocket.timers.test.tsx',
      'test/use-websocket.ssr.test.tsx',
      'test/use-websocket.hydrate.test.tsx',
      'test/provider.test.tsx',
      'test/shared-websocket.test.tsx',
    ],
    environment: 'happy-dom',
    setupFiles: ['test/react-18.setup.ts'],
    env: { LIFELINE_REACT: '18', LIFELINE_REACT_PATH: react, LIFELINE_REACT_DOM_PATH: reactDom },
    testTimeout: 20000,
  },
})

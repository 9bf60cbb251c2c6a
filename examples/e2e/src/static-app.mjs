import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { preview } from 'vite'

/** Each example app's folder, and where its `build` puts the static app inside it. */
export const APPS = {
  'react-chat': { root: fileURLToPath(new URL('../../react-chat', import.meta.url)), outDir: 'dist' },
  'angular-rx': { root: fileURLToPath(new URL('../../angular-rx', import.meta.url)), outDir: 'dist/browser' },
}

/**
 * Serves a built app (a folder with index.html) on 127.0.0.1, on a port the system picks, with Vite's preview
 * server. Resolves with `{ url, close() }`. Throws, naming the build command, when the app was not built.
 */
export async function serveApp(name) {
  const { root, outDir } = APPS[name]
  if (!existsSync(`${root}/${outDir}/index.html`)) {
    throw new Error(`${name} is not built: run \`pnpm --filter ./examples/${name} build\` (pnpm e2e does)`)
  }
  const server = await preview({
    configFile: false,
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  })
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '')
  if (!url) throw new Error(`the preview server for ${name} has no address`)
  return { url, close: () => server.close() }
}

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ENTRY = fileURLToPath(new URL('../src/tabs/index.ts', import.meta.url))

/**
 * What every page runs after the bundle: `tab.start(url, options)` makes the page's SharedWebSocket and records what
 * it receives and the events it dispatches, for the test to read with `page.evaluate`.
 */
const PAGE_SCRIPT = `
window.tab = {
  received: [],
  events: [],
  start(url, options) {
    const socket = new lifeline.SharedWebSocket(url, options)
    this.socket = socket
    socket.onmessage = (event) => this.received.push(event.data)
    for (const type of ['open', 'close', 'state', 'leader', 'drop', 'error']) {
      socket.on(type, (event) => this.events.push(type + (type === 'state' ? ':' + event.state : '')))
    }
  },
}
`

/** Deletes the Web Locks API before anything else runs: the page is then one where tabs cannot share. */
const NO_LOCKS = 'delete Navigator.prototype.locks'

export interface PageServer {
  /** The page's address; add `?nolocks` for a page without `navigator.locks`. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Serves a page that loads `@lifeline/core/tabs` (bundled from the sources with esbuild when the server starts, as
 * `window.lifeline`) on 127.0.0.1, on a port the system picks.
 */
export async function startPageServer(): Promise<PageServer> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    globalName: 'lifeline',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  const bundle = result.outputFiles[0]!.text
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/tabs.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle)
    } else if (url.pathname === '/') {
      const first = url.searchParams.has('nolocks') ? `<script>${NO_LOCKS}</script>` : ''
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>tab</title>${first}<script src="/tabs.js"></script><script>${PAGE_SCRIPT}</script>`)
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

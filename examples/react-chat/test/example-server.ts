import { startServer } from '@lifeline/example-server'
import { afterEach, beforeEach } from 'vitest'
import { WebSocket } from 'ws'

/**
 * Starts the example server (a tick a second) before each test of the file and stops it after. Returns its HTTP
 * address (for faults and /status) and a way to open a plain `ws` socket to one of its paths.
 */
export function exampleServerPerTest() {
  let server: Awaited<ReturnType<typeof startServer>>
  beforeEach(async () => {
    server = await startServer({ tickInterval: 1000 })
  })
  afterEach(async () => {
    await server.close()
  })
  return {
    /** The running example server (its faults, its status). */
    server: () => server,
    http: () => server.url.replace(/^ws/, 'http'),
    /** Resolves with a `ws` socket once it is open on `path` (e.g. '/chat'). */
    connect(path: string): Promise<WebSocket> {
      const ws = new WebSocket(`${server.url}${path}`)
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve(ws))
        ws.once('error', reject)
      })
    },
  }
}

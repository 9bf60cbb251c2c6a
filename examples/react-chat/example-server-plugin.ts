import { startServer } from '@lifeline/example-server'
import type { Plugin } from 'vite'

/** Where the app connects when the page's URL does not say (`?server=ws://host:port`) and no dev server started one. */
export const DEFAULT_SERVER = 'ws://127.0.0.1:8080'

type ExampleServer = Awaited<ReturnType<typeof startServer>>
const running = globalThis as { lifelineExampleServer?: Promise<ExampleServer> }

/**
 * `vite` (dev) also starts the example server (port `LIFELINE_SERVER_PORT`, 8080 by default) in the same process and
 * points the app at it, so one command runs both. Restarts of the dev server keep the same example server. `vite
 * build` and `vite preview` start nothing: the built app connects to `?server=` or `DEFAULT_SERVER`.
 */
export function exampleServer(): Plugin {
  let server: ExampleServer | undefined
  return {
    name: 'lifeline-example-server',
    async config(_config, { command, isPreview }) {
      if (command === 'serve' && !isPreview) {
        const port = Number(process.env.LIFELINE_SERVER_PORT ?? 8080)
        running.lifelineExampleServer ??= startServer({
          port,
          log: (line) => console.log(`  example server: ${line}`),
        })
        server = await running.lifelineExampleServer
      }
      return { define: { __LIFELINE_SERVER__: JSON.stringify(server?.url ?? DEFAULT_SERVER) } }
    },
    configureServer(vite) {
      if (!server) return
      const http = server.url.replace(/^ws/, 'http')
      const print = vite.printUrls.bind(vite)
      vite.printUrls = () => {
        print()
        console.log(`  example server: ${server!.url}  (/chat /ticker; faults: curl -X POST ${http}/faults/drop)`)
      }
    },
  }
}

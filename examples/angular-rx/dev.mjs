// `pnpm --filter ./examples/angular-rx dev`: the example server (ws://127.0.0.1:8080, or LIFELINE_SERVER_PORT) and
// `ng serve` (http://127.0.0.1:4200) together; Ctrl+C stops both.
import { spawn } from 'node:child_process'
import { startServer } from '@lifeline/example-server'

const port = Number(process.env.LIFELINE_SERVER_PORT ?? 8080)
const server = await startServer({ port, log: (line) => console.log(`example server: ${line}`) })
const http = server.url.replace(/^ws/, 'http')
console.log(`example server: ${server.url} (/ticker; faults: curl -X POST '${http}/faults/restart?ms=3000')`)

const query = port === 8080 ? '' : ` (open it with ?server=${encodeURIComponent(server.url)})`
console.log(`app: http://127.0.0.1:4200/${query}`)
const ng = spawn('ng', ['serve'], { stdio: 'inherit', shell: process.platform === 'win32' })
const stop = async (code) => {
  ng.kill()
  await server.close()
  process.exit(code)
}
ng.on('exit', (code) => stop(code ?? 0))
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

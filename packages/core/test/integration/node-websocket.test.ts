// Node's own WebSocket (undici: the global of Node 22+, and of Node 20 with --experimental-websocket) fires `error`
// but no `close` when a connection is refused. lifeline must retry as promptly as with `ws`, one error per attempt.
// It runs in a child process started with --experimental-websocket, on lifeline bundled from its sources.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, expect, test } from 'vitest'

const CHILD = fileURLToPath(new URL('./fixtures/node-websocket-child.mjs', import.meta.url))
let dir: string
let bundle: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifeline-node-websocket-'))
  bundle = join(dir, 'lifeline.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outfile: bundle,
    logLevel: 'silent',
  })
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A port on 127.0.0.1 that nobody listens on (a connection to it is refused). */
async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface ChildResult {
  node: string
  implementation: string
  refused: { log: string[]; ms: number; state: string }
  echo: { binaryTypeAtOpen: string; kinds: unknown[] }
}

async function runChild(): Promise<ChildResult> {
  const port = await refusedPort()
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--experimental-websocket', CHILD, bundle, String(port)],
      { timeout: 45_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  )
  return JSON.parse(stdout.trim().split('\n').at(-1)!)
}

test("with Node's own WebSocket, a refused connection is a failed attempt at once: one error, a close, a retry", async () => {
  const result = await runChild()
  expect(result.implementation).toBe('global')
  expect(result.refused.log).toEqual([
    'error',
    'close:1006:true',
    'reconnecting:1',
    'error',
    'close:1006:true',
    'reconnecting:2',
    'error',
    'close:1006:false',
  ])
  expect(result.refused.state).toBe('closed')
  // Each attempt would otherwise wait for the 60 s connectTimeout: three attempts end long before one would.
  expect(result.refused.ms).toBeLessThan(30_000)
  // Binary messages arrive as a Blob until binaryType is set, as in a page.
  expect(result.echo).toEqual({ binaryTypeAtOpen: 'blob', kinds: ['string', 'Blob', 3, 'ArrayBuffer', 2] })
}, 60_000)

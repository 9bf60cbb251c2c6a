import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { expect, test } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))

test('bundles for a page with no shims: no Node-only globals or modules', async () => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
  expect(result.errors).toEqual([])
  const code = result.outputFiles[0]!.text
  expect(code).toContain('ResilientWebSocket')
  expect(code).not.toMatch(/\bprocess\./)
  expect(code).not.toMatch(/\bBuffer\b/)
  expect(code).not.toMatch(/\brequire\(/)
  expect(code).not.toMatch(/from ["']node:/)
})

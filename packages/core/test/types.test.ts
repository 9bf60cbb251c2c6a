// lifeline's types compile in a Node-only project (`lib: es2022`, `types: node`, no `skipLibCheck`), and `send()`
// rejects what the platform would turn into "[object Object]".
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, test } from 'vitest'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

test('a Node-only project compiles against lifeline, and send({ a: 1 }) does not', () => {
  const program = ts.createProgram([here('./types/node-only.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [here('../../../node_modules/@types')],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
  })
  const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${diagnostic.file.fileName.replace(/^.*\/(packages|node_modules)\//, '$1/')}: `
      : ''
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  })
  expect(diagnostics).toEqual([])
}, 120_000)

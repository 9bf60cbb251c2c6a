// Lets plain `node` run scripts outside the packages (the benchmarks, the soak) that import the TypeScript test
// helpers as `@lifeline/testing/<name>`:
//
//   node --import ./testing/src/register.mjs bench/run.mjs
//
// TypeScript is compiled on import (tsx); `@lifeline/testing/<name>` maps to testing/src/<name>.ts, and the other
// `@lifeline/*` packages resolve as @lifeline/testing resolves them: to their BUILT packages (packages/*/dist), so a
// script measures what users install. Child processes forked with `process.execArgv` inherit all of this.
import { register } from 'node:module'
import { register as registerTypeScript } from 'tsx/esm/api'

// No tsconfig `paths`: the workspace's map `@lifeline/core` to sources, and these scripts want the build.
registerTypeScript({ tsconfig: false })
register('./resolve-hook.mjs', import.meta.url)

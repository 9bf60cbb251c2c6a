// Runs the benchmarks and ends with one summary table of lifeline against its baseline and budget.
//   node bench/run.mjs                          every case (about 25 minutes; --quick about 7)
//   node bench/run.mjs echo storm               only these cases
//   node bench/run.mjs --quick                  fewer runs, fewer sockets, shorter outages: a smoke run
//   node bench/run.mjs --json figures.json      also writes every figure as JSON
//   node bench/run.mjs server-down --down 10    the server stays down 10 s instead of 40 s
// The numbers are reported, never asserted: a budget missed shows as "NO" and the run still succeeds (it fails
// only when a case cannot run). Every case measures one snapshot of packages/core/dist, taken here.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseOptions } from './options.mjs'
import { snapshotBuild } from './snapshot.mjs'
import { formatTable } from './table.mjs'

await import('../testing/src/register.mjs')

const CASES = {
  dispatch: './dispatch.mjs',
  throughput: './throughput.mjs',
  echo: './echo.mjs',
  'slow-consumer': './slow-consumer.mjs',
  'dead-connection': './dead-connection.mjs',
  'server-down': './server-down.mjs',
  storm: './storm.mjs',
  handshake: './handshake.mjs',
  'idle-sockets': './idle-sockets.mjs',
}

const options = parseOptions(process.argv.slice(2), Object.keys(CASES))
if (options.error) {
  console.error(options.error)
  process.exit(2)
}

const snapshot = await snapshotBuild()
process.env.LIFELINE_SNAPSHOT = snapshot.file
process.on('exit', snapshot.remove)

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
}
const started = performance.now()
const rows = []
const figures = {}
let failed = false
for (const name of options.cases) {
  const caseStarted = performance.now()
  console.log(`\n## ${name}`)
  try {
    const { run } = await import(CASES[name])
    const result = await run({ quick: options.quick, downSeconds: options.downSeconds })
    rows.push(...result.summary)
    figures[name] = { seconds: (performance.now() - caseStarted) / 1000, summary: result.summary, ...result.figures }
  } catch (error) {
    failed = true
    console.error(`${name} failed:`, error)
    rows.push({ measure: `${name}: failed`, lifeline: '', baseline: '', ratio: '', budget: '', ok: undefined })
    figures[name] = { failed: String(error?.stack ?? error) }
  }
  console.log(`(${name}: ${((performance.now() - caseStarted) / 1000).toFixed(0)} s)`)
}

const seconds = (performance.now() - started) / 1000
console.log(
  `\n## Summary (${machine.cores} cores, Node ${machine.node}${options.quick ? ', --quick' : ''}, ${seconds.toFixed(0)} s)\n`,
)
console.log(
  formatTable(
    [
      { title: 'measure', value: (row) => row.measure },
      { title: 'lifeline', value: (row) => row.lifeline },
      { title: 'baseline', value: (row) => row.baseline },
      { title: 'ratio / overhead', value: (row) => row.ratio },
      { title: 'budget', value: (row) => row.budget },
      {
        title: 'within budget',
        value: (row) => (row.ok === null ? '—' : row.ok === undefined ? '?' : row.ok ? 'yes' : 'NO'),
      },
    ],
    rows,
  ),
)
if (options.json) {
  const document = { date: new Date().toISOString(), machine, quick: options.quick, seconds, cases: figures }
  writeFileSync(options.json, `${JSON.stringify(document, null, 2)}\n`)
  console.log(`\nFigures written to ${options.json}`)
}
process.exit(failed ? 1 : 0)

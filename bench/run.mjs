// Runs the benchmarks and ends with one summary table of lifeline against its baseline and budget.
//   node bench/run.mjs                         every case
//   node bench/run.mjs dispatch throughput     only these cases
// The numbers are reported, never asserted: a budget missed shows as "NO" and the run still succeeds (it fails
// only when a case cannot run). Every case measures one snapshot of packages/core/dist, taken here.
import { snapshotBuild } from './snapshot.mjs'
import { formatTable } from './table.mjs'

const CASES = {
  dispatch: './dispatch.mjs',
  throughput: './throughput.mjs',
  'slow-consumer': './slow-consumer.mjs',
  'dead-connection': './dead-connection.mjs',
  'idle-sockets': './idle-sockets.mjs',
}

const asked = process.argv.slice(2)
const unknown = asked.filter((name) => !(name in CASES))
if (unknown.length > 0) {
  console.error(`Unknown case ${unknown.join(', ')}; the cases are: ${Object.keys(CASES).join(', ')}`)
  process.exit(2)
}
const names = asked.length > 0 ? asked : Object.keys(CASES)

const snapshot = await snapshotBuild()
process.env.LIFELINE_SNAPSHOT = snapshot.file
process.on('exit', snapshot.remove)

const started = performance.now()
const rows = []
let failed = false
for (const name of names) {
  const caseStarted = performance.now()
  console.log(`\n## ${name}`)
  try {
    const { run } = await import(CASES[name])
    rows.push(...(await run()))
  } catch (error) {
    failed = true
    console.error(`${name} failed:`, error)
    rows.push({ measure: `${name}: failed`, lifeline: '', baseline: '', ratio: '', budget: '', ok: undefined })
  }
  console.log(`(${name}: ${((performance.now() - caseStarted) / 1000).toFixed(0)} s)`)
}

console.log(`\n## Summary (Node ${process.version}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`)
console.log(
  formatTable(
    [
      { title: 'measure', value: (row) => row.measure },
      { title: 'lifeline', value: (row) => row.lifeline },
      { title: 'baseline', value: (row) => row.baseline },
      { title: 'ratio / overhead', value: (row) => row.ratio },
      { title: 'budget', value: (row) => row.budget },
      { title: 'within budget', value: (row) => (row.ok === undefined ? '?' : row.ok ? 'yes' : 'NO') },
    ],
    rows,
  ),
)
process.exit(failed ? 1 : 0)

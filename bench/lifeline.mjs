// The lifeline build the benchmarks measure. bench/run.mjs bundles packages/core/dist into a temporary file when
// it starts (see snapshot.mjs) and names it in LIFELINE_SNAPSHOT, so that every case and child process of one run
// measures the same build even if packages/core/dist is rebuilt meanwhile. A case file run on its own imports
// packages/core/dist directly.
import { pathToFileURL } from 'node:url'

const snapshot = process.env.LIFELINE_SNAPSHOT
const lifeline = await import(
  snapshot ? pathToFileURL(snapshot).href : new URL('../packages/core/dist/index.js', import.meta.url).href
)

export const { ResilientWebSocket, HEARTBEAT_TIMEOUT } = lifeline

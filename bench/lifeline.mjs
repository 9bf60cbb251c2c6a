// The lifeline build the benchmarks measure. bench/run.mjs bundles packages/core/dist into a temporary file when
// it starts (see snapshot.mjs) and names it in LIFELINE_SNAPSHOT, so that every case and child process of one run
// measures the same build even if packages/core/dist is rebuilt meanwhile. Without it, packages/core/dist is used.
import { fileURLToPath, pathToFileURL } from 'node:url'

/** The file imported: the snapshot, or the build itself. */
export const LIFELINE_FILE =
  process.env.LIFELINE_SNAPSHOT ?? fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url))

const lifeline = await import(pathToFileURL(LIFELINE_FILE).href)

export const { ResilientWebSocket, HEARTBEAT_TIMEOUT } = lifeline

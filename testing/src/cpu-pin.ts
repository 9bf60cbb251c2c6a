import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

/**
 * Pins a process (every thread it has now and every one it starts later) to one CPU with `taskset`, for benchmarks
 * that measure a client's CPU beside a server in another process: on a machine with few cores the scheduler moves
 * both around, and where the server happens to run (the client's core or another) moves the client's figure by a
 * quarter of a point between identical runs. Pinned apart, the client's core does the client's work only, as when
 * the server is another machine.
 *
 * Returns the CPU pinned to, or `undefined` where pinning is not possible (not Linux, no `taskset`, fewer than two
 * CPUs): the run goes on unpinned and says so.
 */
export function pinToCpu(pid: number, cpu: number): number | undefined {
  if (process.platform !== 'linux' || availableParallelism() < 2) return undefined
  try {
    execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', String(cpu), String(pid)], { stdio: 'ignore' })
    // taskset finds no thread of a process that has gone and says nothing: read what the process may run on now.
    const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return allowed === String(cpu) ? cpu : undefined
  } catch {
    return undefined
  }
}

/** The CPUs a client and its server are pinned to: the client on the first, the server on the last. */
export const CLIENT_CPU = 0
export const SERVER_CPU = (): number => availableParallelism() - 1

import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { CLIENT_CPU, pinToCpu, SERVER_CPU } from '../../testing/src/cpu-pin.ts'

/** The CPUs a process may run on, as /proc lists them ("0", "0-1"). */
function allowedCpus(pid) {
  return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]
}

const canPin =
  process.platform === 'linux' && availableParallelism() >= 2 && spawnSync('taskset', ['--version']).status === 0

describe('pinToCpu', () => {
  let child
  afterEach(() => child?.kill())

  it.runIf(canPin)('pins a running process, its threads included, to the CPU asked', async () => {
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
    await new Promise((resolve) => child.once('spawn', resolve))
    expect(pinToCpu(child.pid, SERVER_CPU())).toBe(SERVER_CPU())
    expect(allowedCpus(child.pid)).toBe(String(SERVER_CPU()))
    expect(SERVER_CPU()).not.toBe(CLIENT_CPU)
  })

  it('answers undefined, and pins nothing, for a process that does not exist', () => {
    expect(pinToCpu(2 ** 22 + 1, CLIENT_CPU)).toBeUndefined()
  })
})

// Runs benchmark code in child processes of their own (fresh JIT state, their own memory and descriptors): once,
// collecting the one result the child reports over IPC, or as a long-lived helper that answers requests.
import { fork } from 'node:child_process'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Every child runs with the hooks that let it import `@lifeline/testing/*` (see testing/src/register.mjs). */
const REGISTER = fileURLToPath(new URL('../testing/src/register.mjs', import.meta.url))

function forkWithHooks(file, args, execArgv, stdio = ['ignore', 'inherit', 'inherit', 'ipc']) {
  return fork(file, args, { execArgv: ['--import', REGISTER, ...execArgv], stdio })
}

/**
 * Forks `file` with `args` and resolves with the value the child passes to `report()`. Rejects if the child exits
 * without reporting or runs longer than `timeout` ms.
 */
export function runChild(file, args = [], { execArgv = [], timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = forkWithHooks(file, args, execArgv)
    let result
    let reported = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${file} ${args.join(' ')} ran longer than ${timeout} ms`))
    }, timeout)
    child.on('message', (message) => {
      if (message?.type === 'result') {
        result = message.value
        reported = true
      }
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (reported) resolve(result)
      else reject(new Error(`${file} ${args.join(' ')} exited (${signal ?? code}) without a result`))
    })
  })
}

/** In a child: sends the result to the parent (prints it when run by hand), then exits. */
export function report(value) {
  if (!process.send) {
    console.log(JSON.stringify(value, null, 2))
    process.exit(0)
  }
  process.send({ type: 'result', value }, () => process.exit(0))
}

/** Whether the module at `url` (`import.meta.url`) is the process's entry point. */
export function isMain(url) {
  return process.argv[1] !== undefined && fileURLToPath(url) === resolvePath(process.argv[1])
}

/**
 * Forks `file` with `args` as a long-lived helper: `request(message)` posts a message and resolves with the child's
 * answer (see `answerRequests`); `stop()` ends the child.
 */
export function startChild(file, args = [], { execArgv = [] } = {}) {
  const child = forkWithHooks(file, args, execArgv)
  let pending = null
  child.on('message', (message) => {
    if (message?.type !== 'answer' || pending === null) return
    const { resolve, reject } = pending
    pending = null
    if (message.error) reject(new Error(message.error))
    else resolve(message.value)
  })
  child.on('exit', (code, signal) => {
    if (pending) pending.reject(new Error(`${file} ${args.join(' ')} exited (${signal ?? code})`))
    pending = null
  })
  return {
    request(message) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject }
        child.send(message)
      })
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      })
    },
  }
}

/** In a helper started with `startChild`: answers each request with `await handler(message)`. */
export function answerRequests(handler) {
  process.on('message', async (message) => {
    try {
      process.send({ type: 'answer', value: await handler(message) })
    } catch (error) {
      process.send({ type: 'answer', error: String(error?.stack ?? error) })
    }
  })
  process.on('disconnect', () => process.exit(0))
}

/**
 * Forks `file` with `args` and lets it run to its end, whatever that end is (a crash included): resolves with the
 * messages it sent (`{ type: 'event', ... }` as they came, and its `report()` value), its exit code or signal, and
 * what it wrote to stderr. Kills it after `timeout` ms.
 */
export function watchChild(file, args = [], { execArgv = [], timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    const child = forkWithHooks(file, args, execArgv, ['ignore', 'inherit', 'pipe', 'ipc'])
    const events = []
    let result
    let stderr = ''
    let timedOut = false
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('message', (message) => {
      if (message?.type === 'result') result = message.value
      else events.push(message)
    })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeout)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ events, result, code, signal, stderr, timedOut })
    })
  })
}

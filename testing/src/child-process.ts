import { type ChildProcess, fork, type StdioOptions } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Child processes for benchmarks and soak runs (fresh JIT state, their own memory and descriptors, a crash of their
 * own). Every child starts with the hooks that let it import TypeScript and `@lifeline/testing/*` (register.mjs).
 */

const REGISTER = fileURLToPath(new URL('./register.mjs', import.meta.url))

export interface ForkOptions {
  /** Node options besides the hooks, e.g. `--expose-gc`. */
  execArgv?: string[]
  /** ms after which the child is killed (SIGKILL). */
  timeout?: number
}

/** Forks `file` (a path) with `args`, the hooks registered. Its stdout and stderr are the parent's. */
export function forkWithHooks(
  file: string,
  args: string[] = [],
  execArgv: string[] = [],
  stdio: StdioOptions = ['ignore', 'inherit', 'inherit', 'ipc'],
): ChildProcess {
  return fork(file, args, { execArgv: ['--import', REGISTER, ...execArgv], stdio })
}

/** Whether the module at `url` (its `import.meta.url`) is the process's entry point. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(url)
}

/**
 * Forks `file` and resolves with the value the child passes to `report()`. Rejects if the child exits without
 * reporting or runs longer than `timeout` ms.
 */
export function runChild<T>(file: string, args: string[] = [], { execArgv = [], timeout = 120_000 }: ForkOptions = {}) {
  return new Promise<T>((resolve, reject) => {
    const child = forkWithHooks(file, args, execArgv)
    let result: T
    let reported = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${file} ${args.join(' ')} ran longer than ${timeout} ms`))
    }, timeout)
    child.on('message', (message: { type?: string; value: T }) => {
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
export function report(value: unknown): void {
  if (!process.send) {
    console.log(JSON.stringify(value, null, 2))
    process.exit(0)
  }
  process.send({ type: 'result', value }, () => process.exit(0))
}

/** What a child run to its end left: see `watchChild`. */
export interface WatchedChild<T> {
  /** Messages other than the result, as they came. */
  events: any[]
  result: T | undefined
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  timedOut: boolean
}

/**
 * Forks `file` and lets it run to its end, whatever that end is (a crash included): resolves with the messages it
 * sent, its `report()` value if any, its exit code or signal, and what it wrote to stderr. Kills it after `timeout`.
 */
export function watchChild<T>(
  file: string,
  args: string[] = [],
  { execArgv = [], timeout = 120_000 }: ForkOptions = {},
): Promise<WatchedChild<T>> {
  return new Promise((resolve) => {
    const child = forkWithHooks(file, args, execArgv, ['ignore', 'inherit', 'pipe', 'ipc'])
    const events: any[] = []
    let result: T | undefined
    let stderr = ''
    let timedOut = false
    child.stderr?.on('data', (chunk) => (stderr += chunk))
    child.on('message', (message: { type?: string; value: T }) => {
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

/** A long-lived child started with `startChild`. */
export interface RequestChild {
  /** Posts `message`; resolves with the child's answer (one request at a time). */
  request<T = any>(message: unknown): Promise<T>
  /** Resolves when the child exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Ends the child (SIGTERM); resolves once it exited. */
  stop(): Promise<void>
  readonly process: ChildProcess
}

/** Forks `file` as a long-lived helper that answers requests (see `answerRequests`). */
export function startChild(file: string, args: string[] = [], { execArgv = [] }: ForkOptions = {}): RequestChild {
  const child = forkWithHooks(file, args, execArgv)
  let pending: { resolve: (value: any) => void; reject: (error: Error) => void } | null = null
  child.on('message', (message: { type?: string; value?: unknown; error?: string }) => {
    if (message?.type !== 'answer' || pending === null) return
    const { resolve, reject } = pending
    pending = null
    if (message.error) reject(new Error(message.error))
    else resolve(message.value)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (pending) pending.reject(new Error(`${file} ${args.join(' ')} exited (${signal ?? code})`))
      pending = null
      resolve({ code, signal })
    }),
  )
  return {
    process: child,
    exited,
    request(message) {
      return new Promise((resolve, reject) => {
        if (!child.connected) return reject(new Error(`${file} is not running`))
        pending = { resolve, reject }
        child.send(message as object)
      })
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
      child.kill()
      return exited.then(() => undefined)
    },
  }
}

/**
 * In a helper started with `startChild`: answers each request with `await handler(message)` (an exception is sent
 * back as the request's rejection); exits when the parent goes away.
 */
export function answerRequests(handler: (message: any) => unknown): void {
  process.on('message', async (message) => {
    try {
      process.send?.({ type: 'answer', value: await handler(message) })
    } catch (error) {
      process.send?.({ type: 'answer', error: String((error as Error)?.stack ?? error) })
    }
  })
  process.on('disconnect', () => process.exit(0))
}

/**
 * Fakes of `BroadcastChannel` and `navigator.locks` for the tabs of one origin, in one process. What is created while
 * `tabs.in(name, fn)` runs belongs to tab `name`: `tabs.crash(name)` then makes that tab vanish as a closed,
 * crashed or discarded browser tab does (its channels stop, its locks are released, its lock requests withdrawn)
 * without running any of its code.
 *
 * As on the platform: a message posted on a channel is cloned (`structuredClone`) and delivered later, in posting
 * order, to every other open channel of the same name; a lock is granted to one request at a time, in request order,
 * and held until the promise its callback returned settles; a request whose signal aborts before the grant rejects
 * with an `AbortError`. Unlike the platform, delivery is a microtask, not a task: an `await` (or fake timers'
 * `advanceTimersByTimeAsync`) lets every message posted so far arrive, with no time passing.
 */
export class FakeTabs {
  /** The tab code runs in now, outside `in()`. */
  current = 'main'
  /** Every message posted, in order, with the tab and channel it came from. */
  readonly posted: { tab: string; channel: string; data: any }[] = []
  readonly BroadcastChannel: new (
    name: string,
  ) => FakeChannel
  readonly locks: FakeLocks

  private readonly channels = new Set<FakeChannel>()
  private restore: (() => void) | undefined

  constructor() {
    const tabs = this
    this.BroadcastChannel = class extends FakeChannel {
      constructor(name: string) {
        super(name, tabs.current, tabs)
      }
    }
    this.locks = new FakeLocks(() => this.current)
  }

  /** Makes `globalThis.BroadcastChannel` and `navigator.locks` these fakes until `uninstall()`. */
  install(): this {
    const channel = Object.getOwnPropertyDescriptor(globalThis, 'BroadcastChannel')
    const navigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator')
    Object.defineProperty(globalThis, 'BroadcastChannel', {
      value: this.BroadcastChannel,
      configurable: true,
      writable: true,
    })
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(globalThis as { navigator?: object }).navigator, locks: this.locks },
      configurable: true,
      writable: true,
    })
    this.restore = () => {
      putBack('BroadcastChannel', channel)
      putBack('navigator', navigator)
    }
    return this
  }

  uninstall(): void {
    this.restore?.()
    this.restore = undefined
  }

  /** Runs `fn` as tab `tab`: the channels and lock requests it creates belong to that tab. */
  in<T>(tab: string, fn: () => T): T {
    const previous = this.current
    this.current = tab
    try {
      return fn()
    } finally {
      this.current = previous
    }
  }

  /** Tab `tab` is gone: its channels stop at once, its locks are released and its lock requests withdrawn. */
  crash(tab: string): void {
    for (const channel of this.channels) if (channel.tab === tab) channel.close()
    this.locks.crash(tab)
  }

  /** The open channels, for checks that none is left. */
  get openChannels(): number {
    return this.channels.size
  }

  /** @internal */
  opened(channel: FakeChannel): void {
    this.channels.add(channel)
  }

  /** @internal */
  closed(channel: FakeChannel): void {
    this.channels.delete(channel)
  }

  /** @internal */
  deliver(from: FakeChannel, data: unknown): void {
    this.posted.push({ tab: from.tab, channel: from.name, data: structuredClone(data) })
    for (const to of this.channels) {
      if (to === from || to.name !== from.name) continue
      const copy = structuredClone(data)
      queueMicrotask(() => to.receive(copy))
    }
  }
}

/** A `BroadcastChannel` of one tab. */
export class FakeChannel {
  onmessage: ((event: { data: unknown }) => void) | null = null
  private open = true

  constructor(
    readonly name: string,
    readonly tab: string,
    private readonly tabs: FakeTabs,
  ) {
    tabs.opened(this)
  }

  postMessage(data: unknown): void {
    if (!this.open) throw new DOMException('The channel is closed.', 'InvalidStateError')
    this.tabs.deliver(this, data)
  }

  close(): void {
    this.open = false
    this.tabs.closed(this)
  }

  /** @internal */
  receive(data: unknown): void {
    if (this.open) this.onmessage?.({ data })
  }
}

interface LockRequest {
  readonly tab: string
  readonly callback: (lock: { name: string }) => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

/** `navigator.locks` for exclusive locks: `request(name, { signal }, callback)`. */
export class FakeLocks {
  private readonly held = new Map<string, LockRequest>()
  private readonly waiting = new Map<string, LockRequest[]>()

  constructor(private readonly currentTab: () => string) {}

  request(
    name: string,
    options: { signal?: AbortSignal } | ((lock: { name: string }) => unknown),
    callback?: (lock: { name: string }) => unknown,
  ): Promise<unknown> {
    const opts = typeof options === 'function' ? {} : options
    const fn = typeof options === 'function' ? options : callback!
    return new Promise((resolve, reject) => {
      const signal = opts.signal
      if (signal?.aborted) {
        reject(new DOMException('The request was aborted.', 'AbortError'))
        return
      }
      const request: LockRequest = { tab: this.currentTab(), callback: fn, resolve, reject }
      const queue = this.waiting.get(name) ?? []
      queue.push(request)
      this.waiting.set(name, queue)
      signal?.addEventListener('abort', () => {
        if (!this.withdraw(name, request)) return
        reject(new DOMException('The request was aborted.', 'AbortError'))
      })
      this.grant(name)
    })
  }

  /** The tab holding lock `name`, if any. */
  holder(name: string): string | undefined {
    return this.held.get(name)?.tab
  }

  /** How many requests wait for lock `name`. */
  waitingFor(name: string): number {
    return this.waiting.get(name)?.length ?? 0
  }

  /** @internal */
  crash(tab: string): void {
    for (const [name, queue] of this.waiting)
      this.waiting.set(
        name,
        queue.filter((request) => request.tab !== tab),
      )
    for (const [name, request] of [...this.held]) {
      if (request.tab !== tab) continue
      this.held.delete(name)
      this.grant(name)
    }
  }

  private withdraw(name: string, request: LockRequest): boolean {
    const queue = this.waiting.get(name) ?? []
    const index = queue.indexOf(request)
    if (index < 0) return false
    queue.splice(index, 1)
    return true
  }

  private grant(name: string): void {
    if (this.held.has(name)) return
    const request = this.waiting.get(name)?.shift()
    if (!request) return
    this.held.set(name, request)
    const release = () => {
      if (this.held.get(name) !== request) return
      this.held.delete(name)
      this.grant(name)
    }
    Promise.resolve()
      .then(() => request.callback({ name }))
      .then(
        (value) => {
          release()
          request.resolve(value)
        },
        (error) => {
          release()
          request.reject(error)
        },
      )
  }
}

function putBack(name: string, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor) Object.defineProperty(globalThis, name, descriptor)
  else delete (globalThis as Record<string, unknown>)[name]
}

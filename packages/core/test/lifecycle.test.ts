import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { type ReconnectingEvent, ResilientWebSocket, type WebSocketConstructor } from '../src'
import { browserForeground, browserNetwork } from '../src/lifecycle'

/** Just enough of `window` / `document` for the lifecycle defaults. */
class FakeEventTarget {
  private readonly listeners = new Map<string, Set<(event: any) => void>>()

  addEventListener(type: string, listener: (event: any) => void): void {
    const set = this.listeners.get(type) ?? new Set()
    set.add(listener)
    this.listeners.set(type, set)
  }

  removeEventListener(type: string, listener: (event: any) => void): void {
    this.listeners.get(type)?.delete(listener)
  }

  dispatch(type: string, fields: Record<string, unknown> = {}): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener({ type, ...fields })
  }

  count(type: string): number {
    return this.listeners.get(type)?.size ?? 0
  }

  total(): number {
    let total = 0
    for (const set of this.listeners.values()) total += set.size
    return total
  }
}

class FakeDocument extends FakeEventTarget {
  visibilityState = 'hidden'
}

function stubBrowser(onLine: unknown = true): { window: FakeEventTarget; document: FakeDocument; navigator: any } {
  const window = new FakeEventTarget()
  const document = new FakeDocument()
  const navigator = { onLine }
  vi.stubGlobal('window', window)
  vi.stubGlobal('document', document)
  vi.stubGlobal('navigator', navigator)
  return { window, document, navigator }
}

const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'self', 'location'] as const

/**
 * Replaces the browser globals with getters that record every read (and throw, when asked), restoring the
 * original properties afterwards.
 */
function watchBrowserGlobals(throwOnRead: boolean): { reads: string[]; restore: () => void } {
  const reads: string[] = []
  const saved = BROWSER_GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)] as const)
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        reads.push(name)
        if (throwOnRead) throw new Error(`browser global ${name} read`)
        return undefined
      },
    })
  }
  const restore = () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor)
      else delete (globalThis as Record<string, unknown>)[name]
    }
  }
  return { reads, restore }
}

const cleanups: (() => void)[] = []

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  FakeWebSocket.reset()
})

describe('outside a browser', () => {
  test('plain Node has no browser signals', () => {
    expect(browserNetwork()).toBeUndefined()
    expect(browserForeground()).toBeUndefined()
  })

  test('a navigator without a boolean onLine gives no network signal', () => {
    stubBrowser()
    vi.stubGlobal('navigator', {})
    expect(browserNetwork()).toBeUndefined()
    vi.stubGlobal('navigator', undefined)
    expect(browserNetwork()).toBeUndefined()
  })

  test('a window without addEventListener gives no signals', () => {
    vi.stubGlobal('window', {})
    vi.stubGlobal('document', new FakeDocument())
    vi.stubGlobal('navigator', { onLine: true })
    expect(browserNetwork()).toBeUndefined()
    expect(browserForeground()).toBeUndefined()
  })

  test('the foreground signal needs a document as well as a window', () => {
    vi.stubGlobal('window', new FakeEventTarget())
    expect(browserForeground()).toBeUndefined()
  })
})

describe('browserNetwork()', () => {
  test('reads navigator.onLine at every call', () => {
    const { navigator } = stubBrowser(true)
    const network = browserNetwork()!
    expect(network.isOnline()).toBe(true)
    navigator.onLine = false
    expect(network.isOnline()).toBe(false)
  })

  test('subscribes to the window online/offline events and unsubscribes from both', () => {
    const { window } = stubBrowser(true)
    const network = browserNetwork()!
    const reports: boolean[] = []
    const unsubscribe = network.subscribe((online) => reports.push(online))
    expect(window.count('online')).toBe(1)
    expect(window.count('offline')).toBe(1)
    window.dispatch('offline')
    window.dispatch('online')
    expect(reports).toEqual([false, true])
    unsubscribe()
    expect(window.total()).toBe(0)
    window.dispatch('offline')
    expect(reports).toEqual([false, true])
  })
})

describe('browserForeground()', () => {
  test('reports visibilitychange only when the page becomes visible', () => {
    const { document } = stubBrowser()
    const listener = vi.fn()
    browserForeground()!.subscribe(listener)
    document.visibilityState = 'hidden'
    document.dispatch('visibilitychange')
    expect(listener).not.toHaveBeenCalled()
    document.visibilityState = 'visible'
    document.dispatch('visibilitychange')
    expect(listener).toHaveBeenCalledTimes(1)
  })

  test('reports pageshow only for a page restored from the bfcache', () => {
    const { window } = stubBrowser()
    const listener = vi.fn()
    browserForeground()!.subscribe(listener)
    window.dispatch('pageshow', { persisted: false })
    window.dispatch('pageshow')
    expect(listener).not.toHaveBeenCalled()
    window.dispatch('pageshow', { persisted: true })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  test('unsubscribing removes both listeners', () => {
    const { window, document } = stubBrowser()
    const listener = vi.fn()
    const unsubscribe = browserForeground()!.subscribe(listener)
    expect(document.count('visibilitychange')).toBe(1)
    expect(window.count('pageshow')).toBe(1)
    unsubscribe()
    expect(document.total()).toBe(0)
    expect(window.total()).toBe(0)
    document.visibilityState = 'visible'
    document.dispatch('visibilitychange')
    window.dispatch('pageshow', { persisted: true })
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('ResilientWebSocket with the browser defaults', () => {
  function create(maxAttempts = Number.POSITIVE_INFINITY): ResilientWebSocket {
    const socket = new ResilientWebSocket('ws://lifecycle.test/', {
      WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
      reconnect: { minDelay: 100, maxDelay: 5000, jitter: 'none', maxAttempts },
    })
    cleanups.push(() => socket.close())
    return socket
  }

  test('listens to the page and the network, and stops on close()', async () => {
    vi.useFakeTimers()
    const { window, document } = stubBrowser(true)
    const socket = create()
    expect(window.total() + document.total()).toBe(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(window.count('online')).toBe(1)
    expect(window.count('offline')).toBe(1)
    expect(window.count('pageshow')).toBe(1)
    expect(document.count('visibilitychange')).toBe(1)
    socket.close()
    expect(window.total() + document.total()).toBe(0)
  })

  test('offline: retries wait maxDelay and do not count; the online event retries at once', async () => {
    vi.useFakeTimers()
    const { window, navigator } = stubBrowser(false)
    const socket = create(2)
    const retries: ReconnectingEvent[] = []
    socket.on('reconnecting', (event) => retries.push(event))
    await vi.advanceTimersByTimeAsync(0)
    for (let failure = 1; failure <= 3; failure++) {
      FakeWebSocket.last().fail()
      expect(retries.at(-1)!.delay).toBe(5000)
      if (failure < 3) await vi.advanceTimersByTimeAsync(5000)
    }
    expect(socket.state).toBe('reconnecting')
    expect(FakeWebSocket.instances).toHaveLength(3)
    navigator.onLine = true
    window.dispatch('online')
    expect(FakeWebSocket.instances).toHaveLength(4)
    FakeWebSocket.last().open()
    expect(socket.state).toBe('open')
  })

  test('a visible page or a page restored from the bfcache retries at once', async () => {
    vi.useFakeTimers()
    const { window, document } = stubBrowser(true)
    const socket = create()
    await vi.advanceTimersByTimeAsync(0)
    FakeWebSocket.last().fail()
    expect(socket.state).toBe('reconnecting')
    document.visibilityState = 'visible'
    document.dispatch('visibilitychange')
    expect(FakeWebSocket.instances).toHaveLength(2)
    FakeWebSocket.last().open()
    FakeWebSocket.last().serverClose(1006)
    expect(socket.state).toBe('reconnecting')
    window.dispatch('pageshow', { persisted: true })
    expect(FakeWebSocket.instances).toHaveLength(3)
  })
})

describe('no browser global at import or construction', () => {
  test('importing the package reads no browser global', async () => {
    const { ResilientWebSocket: Before } = await import('../src')
    const watch = watchBrowserGlobals(true)
    cleanups.push(watch.restore)
    vi.resetModules()
    const fresh = await import('../src')
    const freshLifecycle = await import('../src/lifecycle')
    watch.restore()
    // The modules were evaluated again, under the throwing globals.
    expect(fresh.ResilientWebSocket).not.toBe(Before)
    expect(typeof freshLifecycle.browserNetwork).toBe('function')
    expect(watch.reads).toEqual([])
  })

  test('the constructor reads no browser global; the first attempt, after a timer tick, does', async () => {
    vi.useFakeTimers()
    const watch = watchBrowserGlobals(false)
    cleanups.push(watch.restore)
    const socket = new ResilientWebSocket('ws://lifecycle.test/', {
      WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
    })
    cleanups.push(() => socket.close())
    expect(watch.reads).toEqual([])
    await vi.advanceTimersByTimeAsync(0)
    expect(watch.reads).toContain('window')
    expect(FakeWebSocket.instances).toHaveLength(1)
  })

  test('a socket created and closed at once never reads a browser global', async () => {
    vi.useFakeTimers()
    const watch = watchBrowserGlobals(true)
    cleanups.push(watch.restore)
    const socket = new ResilientWebSocket('ws://lifecycle.test/', {
      WebSocket: FakeWebSocket as unknown as WebSocketConstructor,
    })
    socket.send('kept')
    socket.close()
    await vi.advanceTimersByTimeAsync(0)
    expect(watch.reads).toEqual([])
    expect(socket.queued).toEqual(['kept'])
  })
})

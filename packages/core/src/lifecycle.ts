/**
 * Environment signals lifeline listens to. Each is an interface, so browsers, Node, React Native and tests can
 * supply their own; the browser defaults are built only when the globals they need exist, and only when a socket
 * is created (never at import).
 */

/** Reports whether the environment is online. */
export interface NetworkSignal {
  /** `true`/`false` when known, `undefined` when the environment cannot tell. */
  isOnline(): boolean | undefined
  /** Calls `listener` on every change; returns a function that stops it. */
  subscribe(listener: (online: boolean) => void): () => void
}

/** Reports that the app came back to the foreground (a visible page, a page restored from bfcache, an active app). */
export interface ForegroundSignal {
  /** Calls `listener` each time; returns a function that stops it. */
  subscribe(listener: () => void): () => void
}

export interface LifelineSignals {
  /**
   * Online/offline. While offline, failed attempts do not count against `maxAttempts` and retries wait `maxDelay`;
   * going online retries at once. An "online" report never holds a retry back. `false` to ignore the network.
   * @default `navigator.onLine` with `online`/`offline` window events, where present
   */
  network?: NetworkSignal | false
  /**
   * Coming back to the foreground: the connection is checked at once (a heartbeat ping) and a pending retry starts
   * at once. `false` to ignore. @default `visibilitychange` (visible) and `pageshow` (from bfcache), where present
   */
  foreground?: ForegroundSignal | false
  /**
   * A heartbeat timer that fires this many ms later than scheduled means the process slept or was throttled: the
   * connection is checked afresh (ping, then wait `timeout`) instead of being judged by the late timer.
   * @default 2000
   */
  sleepThreshold?: number
}

interface EventSource {
  addEventListener(type: string, listener: (event: any) => void): void
  removeEventListener(type: string, listener: (event: any) => void): void
}

function globalEventSource(name: 'window' | 'document'): EventSource | undefined {
  const value = (globalThis as Record<string, unknown>)[name] as Partial<EventSource> | undefined
  return value && typeof value.addEventListener === 'function' ? (value as EventSource) : undefined
}

/** `navigator.onLine` and the window's `online`/`offline` events, or `undefined` where they do not exist. */
export function browserNetwork(): NetworkSignal | undefined {
  const target = globalEventSource('window')
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator
  if (!target || typeof nav?.onLine !== 'boolean') return undefined
  return {
    isOnline: () => (typeof nav.onLine === 'boolean' ? nav.onLine : undefined),
    subscribe(listener) {
      const online = () => listener(true)
      const offline = () => listener(false)
      target.addEventListener('online', online)
      target.addEventListener('offline', offline)
      return () => {
        target.removeEventListener('online', online)
        target.removeEventListener('offline', offline)
      }
    },
  }
}

/** `visibilitychange` to visible and `pageshow` from bfcache, or `undefined` outside a page. */
export function browserForeground(): ForegroundSignal | undefined {
  const win = globalEventSource('window')
  const doc = globalEventSource('document')
  if (!win || !doc) return undefined
  return {
    subscribe(listener) {
      const visibility = () => {
        if ((doc as { visibilityState?: string }).visibilityState === 'visible') listener()
      }
      const pageshow = (event: { persisted?: boolean }) => {
        if (event.persisted) listener()
      }
      doc.addEventListener('visibilitychange', visibility)
      win.addEventListener('pageshow', pageshow)
      return () => {
        doc.removeEventListener('visibilitychange', visibility)
        win.removeEventListener('pageshow', pageshow)
      }
    },
  }
}

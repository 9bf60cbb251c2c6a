import { InjectionToken } from '@angular/core'

/** Where the app connects when the page's URL does not say. */
export const DEFAULT_SERVER = 'ws://127.0.0.1:8080'

/**
 * The example server's WebSocket base URL: the page's `?server=ws://host:port` when given (so a test can point the
 * built app at a server on any port), else `DEFAULT_SERVER`. Throws a TypeError naming the parameter when it is not
 * a ws: or wss: URL.
 */
export function serverUrl(search: string): string {
  const raw = new URLSearchParams(search).get('server') ?? DEFAULT_SERVER
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError(`server: "${raw}" is not a URL (expected ws://host:port)`)
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new TypeError(`server: "${raw}" is not a ws: or wss: URL`)
  return `${url.protocol}//${url.host}`
}

/** The example server's base URL, from the page's address. */
export const SERVER_URL = new InjectionToken<string>('SERVER_URL', {
  providedIn: 'root',
  factory: () => serverUrl(globalThis.location?.search ?? ''),
})

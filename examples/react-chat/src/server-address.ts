/** Where the example server is: its WebSocket base URL and the HTTP base of its fault control API. */
export interface ServerAddress {
  /** `ws://host:port`: the app connects to `${ws}/chat` and `${ws}/ticker`. */
  ws: string
  /** `http://host:port`: `POST ${http}/faults/drop` and the other faults. */
  http: string
}

/**
 * The server the app talks to: the page's `?server=ws://host:port` when given (so a test can point the built app at
 * a server on any port), else `fallback` (the dev server's example server, or `ws://127.0.0.1:8080`). Throws a
 * TypeError naming the parameter when the address is not a ws: or wss: URL.
 */
export function serverAddress(search: string, fallback: string): ServerAddress {
  const given = new URLSearchParams(search).get('server')
  const raw = given ?? fallback
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new TypeError(`server: "${raw}" is not a URL (expected ws://host:port)`)
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`server: "${raw}" is not a ws: or wss: URL`)
  }
  const ws = `${url.protocol}//${url.host}`
  return { ws, http: ws.replace(/^ws/, 'http') }
}

import { domException } from './errors'

/**
 * Checks and normalises a URL the way the WebSocket constructor does: `http:`/`https:` become `ws:`/`wss:`,
 * any other scheme, a fragment or an unparsable URL throws a `SyntaxError` DOMException.
 */
export function normalizeUrl(input: string | URL): string {
  let url: URL
  try {
    url = new URL(String(input))
  } catch {
    throw domException(`The URL '${String(input)}' is invalid.`, 'SyntaxError')
  }
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw domException(
      `The URL's scheme must be either 'ws', 'wss', 'http' or 'https'. '${url.protocol.slice(0, -1)}' is not allowed.`,
      'SyntaxError',
    )
  }
  if (url.href.includes('#')) {
    throw domException(`The URL contains a fragment identifier ('${url.hash}'), which is not allowed.`, 'SyntaxError')
  }
  return url.href
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Checks subprotocol names as the WebSocket constructor does: each must be a non-empty HTTP token, and no name may
 * repeat (compared case-insensitively). Returns the list, or `undefined` when none was given.
 */
export function normalizeProtocols(input: string | readonly string[] | undefined): string[] | undefined {
  if (input === undefined) return undefined
  const list = typeof input === 'string' ? [input] : [...input]
  const seen = new Set<string>()
  for (const name of list) {
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw domException(`The subprotocol '${String(name)}' is invalid.`, 'SyntaxError')
    }
    const key = name.toLowerCase()
    if (seen.has(key)) throw domException(`The subprotocol '${name}' is duplicated.`, 'SyntaxError')
    seen.add(key)
  }
  return list
}

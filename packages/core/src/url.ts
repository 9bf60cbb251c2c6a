import { domException } from './errors'

/** The base a relative URL resolves against, as the platform does: the document's base URL, or a worker's. */
function baseUrl(): string | undefined {
  const g = globalThis as { document?: { baseURI?: string }; location?: { href?: string } }
  return g.document?.baseURI ?? g.location?.href
}

/**
 * Checks and normalises a URL the way the WebSocket constructor does: a relative URL resolves against the page
 * (elsewhere it is invalid), `http:`/`https:` become `ws:`/`wss:`, any other scheme, a fragment or an unparsable
 * URL throws a `SyntaxError` DOMException.
 */
export function normalizeUrl(input: string | URL): string {
  const text = String(input)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    // Relative: the base is looked up only now, so an absolute URL touches no browser global.
    try {
      url = new URL(text, baseUrl())
    } catch {
      throw domException(`The URL '${text}' is invalid.`, 'SyntaxError')
    }
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
 * repeat (compared case-insensitively). Returns the list, or `undefined` when none was given. As WebIDL converts
 * them, a value that is not a list (`null` included) is one name: `String(value)`.
 */
export function normalizeProtocols(input: string | Iterable<string> | null | undefined): string[] | undefined {
  if (input === undefined) return undefined
  const list = typeof input === 'object' && input !== null ? [...input] : [String(input)]
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

/**
 * Whether the constructor's second argument is an options object standing in for the protocols: an object that is
 * neither `null` nor a list of protocol names.
 */
export function isOptionsArgument(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  )
}

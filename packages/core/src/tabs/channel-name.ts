/**
 * The name the tabs sharing a connection meet under. Given as `channel`, it must be a non-empty string; without it,
 * it is derived from the URL (already normalised) and the protocols, which a URL function cannot give.
 */
export function channelName(channel: unknown, url: unknown, normalizedUrl: string, protocols: unknown): string {
  if (channel === undefined) {
    if (typeof url === 'function') {
      throw new TypeError(
        'SharedWebSocket: the `channel` option is required when the URL is a function: the tabs that share a ' +
          "connection meet under that name, e.g. { channel: 'feed' }.",
      )
    }
    return typeof protocols === 'function' || protocols === undefined
      ? normalizedUrl
      : `${normalizedUrl} ${String(protocols)}`
  }
  if (typeof channel !== 'string') {
    throw new TypeError(`SharedWebSocket: the \`channel\` option must be a string; got ${typeof channel}.`)
  }
  if (channel === '') throw new RangeError("SharedWebSocket: the `channel` option must not be empty; got ''.")
  return channel
}

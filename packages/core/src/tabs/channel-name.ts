/**
 * The name the tabs sharing a connection meet under. Given as `channel`, it must be a non-empty string; without it,
 * it is derived from the URL and the protocols (both already normalised), which a URL function cannot give.
 */
export function channelName(
  channel: unknown,
  url: unknown,
  normalizedUrl: string,
  protocols: readonly string[] | undefined,
): string {
  if (channel === undefined && typeof url !== 'function') {
    return protocols === undefined ? normalizedUrl : `${normalizedUrl} ${protocols.join(',')}`
  }
  if (typeof channel === 'string' && channel !== '') return channel
  const message = `channel must be a non-empty string${channel === undefined ? ' when the URL is a function' : ''}`
  if (channel === '') throw new RangeError(`${message}; got ''.`)
  throw new TypeError(`${message}; got ${String(channel)}.`)
}

import { DEFAULT_SERVER, serverUrl } from './server-url'

describe('serverUrl', () => {
  it('takes the page address ?server= and keeps only the scheme, host and port', () => {
    expect(serverUrl('?server=ws://127.0.0.1:4567/anything')).toBe('ws://127.0.0.1:4567')
    expect(serverUrl('?x=1&server=wss%3A%2F%2Ffeed.example.com')).toBe('wss://feed.example.com')
  })

  it('falls back to the default server', () => {
    expect(serverUrl('')).toBe(DEFAULT_SERVER)
  })

  it('refuses an address that is not ws: or wss:, naming the parameter', () => {
    expect(() => serverUrl('?server=http://127.0.0.1:8080')).toThrow(
      new TypeError('server: "http://127.0.0.1:8080" is not a ws: or wss: URL'),
    )
    expect(() => serverUrl('?server=nope')).toThrow(/^server: "nope" is not a URL/)
  })
})

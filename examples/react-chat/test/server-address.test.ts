import { expect, test } from 'vitest'
import { serverAddress } from '../src/server-address'

test('the page address ?server= wins, reduced to scheme, host and port, with the matching http base', () => {
  expect(serverAddress('?server=ws://127.0.0.1:4567/chat', 'ws://127.0.0.1:8080')).toEqual({
    ws: 'ws://127.0.0.1:4567',
    http: 'http://127.0.0.1:4567',
  })
  expect(serverAddress('?server=wss%3A%2F%2Fchat.example.com', 'ws://x')).toEqual({
    ws: 'wss://chat.example.com',
    http: 'https://chat.example.com',
  })
})

test('without ?server= the fallback is used', () => {
  expect(serverAddress('?other=1', 'ws://127.0.0.1:8080')).toEqual({
    ws: 'ws://127.0.0.1:8080',
    http: 'http://127.0.0.1:8080',
  })
})

test('an address that is not ws: or wss: is refused with a TypeError naming the parameter', () => {
  expect(() => serverAddress('?server=http://127.0.0.1:1', 'ws://x')).toThrow(
    new TypeError('server: "http://127.0.0.1:1" is not a ws: or wss: URL'),
  )
  expect(() => serverAddress('?server=nope', 'ws://x')).toThrow(/^server: "nope" is not a URL/)
})

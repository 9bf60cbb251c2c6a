import { describe, expect, test } from 'vitest'
import { channelName } from '../../src/tabs/channel-name'

const URL = 'ws://example.test/feed'

describe('channelName', () => {
  test('a given channel is used as is', () => {
    expect(channelName('feed', URL, URL, undefined)).toBe('feed')
    expect(channelName('feed', () => URL, '', undefined)).toBe('feed')
  })

  test('without one: the normalised URL, with the protocols when they are values', () => {
    expect(channelName(undefined, 'http://example.test/feed', URL, undefined)).toBe(URL)
    expect(channelName(undefined, URL, URL, ['chat'])).toBe(`${URL} chat`)
    expect(channelName(undefined, URL, URL, ['chat', 'v2'])).toBe(`${URL} chat,v2`)
  })

  test('a URL function needs a channel: TypeError naming the option', () => {
    expect(() => channelName(undefined, () => URL, '', undefined)).toThrow(TypeError)
    expect(() => channelName(undefined, () => URL, '', undefined)).toThrow(/channel .* when the URL is a function/)
  })

  test('a channel that is not a string is a TypeError, an empty one a RangeError', () => {
    expect(() => channelName(42, URL, URL, undefined)).toThrow(TypeError)
    expect(() => channelName(null, URL, URL, undefined)).toThrow(TypeError)
    expect(() => channelName('', URL, URL, undefined)).toThrow(RangeError)
  })
})

import { expect, test } from 'vitest'
import { parseChatMessage } from '../../src/chat/chat-message'

test('reads a chat message', () => {
  const message = { id: 'a-1', from: 'a', text: 'hi', at: 5 }
  expect(parseChatMessage(JSON.stringify(message))).toEqual(message)
})

test('anything else is not a chat message', () => {
  for (const data of ['pong', '{"type":"pong","at":1}', '{broken', '{"id":1,"from":"a","text":"x","at":1}', 42, null]) {
    expect(parseChatMessage(data)).toBeUndefined()
  }
})

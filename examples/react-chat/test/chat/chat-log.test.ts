import { expect, test } from 'vitest'
import { type ChatLog, chatLog, emptyChatLog, KEEP } from '../../src/chat/chat-log'
import type { ChatMessage } from '../../src/chat/chat-message'

const me = 'me'
const line = (from: string, n: number): ChatMessage => ({ id: `${from}-${n}`, from, text: `${from} ${n}`, at: n })
const compose = (log: ChatLog, message: ChatMessage) => chatLog(log, { type: 'composed', message }, me)
const receive = (log: ChatLog, message: ChatMessage) => chatLog(log, { type: 'received', message }, me)
const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id)

test('own lines wait in pending, in the order written, until the server sends them back', () => {
  let log = emptyChatLog
  log = compose(log, line(me, 1))
  log = compose(log, line(me, 2))
  expect(ids(log.pending)).toEqual(['me-1', 'me-2'])
  expect(log.delivered).toEqual([])

  log = receive(log, line(me, 1))
  expect(ids(log.pending)).toEqual(['me-2'])
  expect(log.delivered).toEqual([{ ...line(me, 1), mine: true, delivered: true }])
})

test("others' lines are delivered in the order the server sent them, between own ones", () => {
  let log = compose(emptyChatLog, line(me, 1))
  log = receive(log, line('ann', 1))
  log = receive(log, line(me, 1))
  log = receive(log, line('bob', 1))
  expect(ids(log.delivered)).toEqual(['ann-1', 'me-1', 'bob-1'])
  expect(log.delivered.map((entry) => entry.mine)).toEqual([false, true, false])
})

test('a line received twice (sent again after a lost connection) is shown once', () => {
  let log = compose(emptyChatLog, line(me, 1))
  log = receive(log, line(me, 1))
  const again = receive(log, line(me, 1))
  expect(again).toBe(log)
})

test(`only the last ${KEEP} delivered lines are kept`, () => {
  let log = emptyChatLog
  for (let n = 1; n <= KEEP + 3; n++) log = receive(log, line('ann', n))
  expect(log.delivered.length).toBe(KEEP)
  expect(log.delivered[0]!.id).toBe('ann-4')
})

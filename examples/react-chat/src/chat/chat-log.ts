import type { ChatMessage } from './chat-message'

/** A line of the chat: a message, whether this client wrote it, and whether the server has sent it back. */
export interface ChatEntry extends ChatMessage {
  mine: boolean
  /** The server sent it to every chat connection (for this client's own messages: it came back). */
  delivered: boolean
}

/**
 * The chat as this client sees it: `delivered` in the order the server sent them, then this client's own messages
 * that have not come back yet (`pending`), in the order they were written.
 */
export interface ChatLog {
  readonly delivered: readonly ChatEntry[]
  readonly pending: readonly ChatEntry[]
}

export type ChatAction = { type: 'composed'; message: ChatMessage } | { type: 'received'; message: ChatMessage }

/** How many delivered lines are kept. */
export const KEEP = 200

export const emptyChatLog: ChatLog = { delivered: [], pending: [] }

/**
 * The next chat log. A message this client wrote waits in `pending` until the server sends it back, then moves to
 * `delivered`. A message received twice (sent again after a lost connection) is shown once.
 */
export function chatLog(log: ChatLog, action: ChatAction, me: string): ChatLog {
  const { message } = action
  if (action.type === 'composed') {
    return { ...log, pending: [...log.pending, { ...message, mine: true, delivered: false }] }
  }
  if (log.delivered.some((entry) => entry.id === message.id)) return log
  const pending = log.pending.filter((entry) => entry.id !== message.id)
  const entry: ChatEntry = { ...message, mine: message.from === me, delivered: true }
  return { delivered: [...log.delivered, entry].slice(-KEEP), pending }
}

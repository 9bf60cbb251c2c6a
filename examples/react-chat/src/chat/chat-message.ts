/** What travels over `/chat`: the server sends every message to every chat connection, the sender included. */
export interface ChatMessage {
  /** Unique per message: `<client>-<n>`. The echo of a message carries the same id. */
  id: string
  /** The client that wrote it. */
  from: string
  text: string
  /** When it was written (ms since the epoch). */
  at: number
}

/** A chat message read from the wire, or `undefined` for anything else (a pong, a malformed message). */
export function parseChatMessage(data: unknown): ChatMessage | undefined {
  if (typeof data !== 'string' || !data.startsWith('{')) return undefined
  let value: any
  try {
    value = JSON.parse(data)
  } catch {
    return undefined
  }
  const { id, from, text, at } = value ?? {}
  if (typeof id !== 'string' || typeof from !== 'string' || typeof text !== 'string' || typeof at !== 'number') {
    return undefined
  }
  return { id, from, text, at }
}

/**
 * What each WebSocket path does. A handler is called once per connection with the connection (`{ ws, id, frozen }`)
 * and the server's shared state (`{ ticker, clients, since, onAck }`); it returns the function that handles that
 * connection's messages. Every path also answers application pings (see `answerPing`).
 */
export const endpoints = {
  /** Sends every message back as it came (text as text, binary as binary). */
  '/echo': (client) => (data, isBinary) => send(client, data, isBinary),

  /** Sends every message to every chat connection, the sender included. */
  '/chat':
    (_client, { clients }) =>
    (data, isBinary) => {
      for (const other of clients) if (other.path === '/chat') send(other, data, isBinary)
    },

  /** Replays the kept messages after `since` (when given), then sends every new one. */
  '/ticker': (client, { ticker, since }) => {
    if (since !== undefined) for (const text of ticker.since(since)) send(client, text, false)
    client.stop = ticker.subscribe((text) => send(client, text, false))
    return () => {}
  },

  /** Answers a JSON message `{ id, ... }` with `{ ack: id }` (and tells `onAck` about it). */
  '/ack':
    (client, { onAck }) =>
    (data, isBinary) => {
      const message = isBinary ? undefined : parseJson(data.toString())
      if (message !== undefined && message !== null && message.id !== undefined) {
        onAck(message, client.id)
        send(client, JSON.stringify({ ack: message.id }), false)
      } else {
        send(client, JSON.stringify({ error: 'expected a JSON object with an id' }), false)
      }
    },
}

/**
 * Answers an application ping on any path: the text `ping` with `pong`, a JSON `{ "type": "ping" }` with
 * `{ "type": "pong", "at": <ms> }` (and the ping's `id`, if it had one). Returns whether `text` was a ping.
 */
export function answerPing(client, text) {
  if (text === 'ping') {
    send(client, 'pong', false)
    return true
  }
  if (!text.startsWith('{') || !text.includes('ping')) return false
  const message = parseJson(text)
  if (message?.type !== 'ping') return false
  send(client, JSON.stringify({ type: 'pong', id: message.id, at: Date.now() }), false)
  return true
}

/** Sends to one connection unless it is frozen (half-open) or no longer open. */
function send(client, data, isBinary) {
  if (!client.frozen && client.ws.readyState === client.ws.OPEN) client.ws.send(data, { binary: isBinary })
}

function parseJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

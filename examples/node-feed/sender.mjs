/**
 * The demo's outgoing half: a worker that sends its own numbered messages to the example server's `/ack` path with
 * lifeline's acknowledged delivery, and keeps count of what it sent and what the server acknowledged.
 *
 * The server answers `{ id, ... }` with `{ ack: id }`. lifeline holds every message until its ack arrives; when a
 * connection dies, the unacknowledged ones are sent again, in order, after the reconnect. A message can then reach
 * the server twice (its ack was lost with the connection); the server would deduplicate by id.
 */
import { ResilientWebSocket } from '@lifeline/core'
import { acknowledged } from '@lifeline/core/delivery'
import { waitFor } from './wait.mjs'

/** Reads a message's id (what was given to `send()`) and an incoming ack's id: the demo's wire format. */
export const deliveryFormat = {
  id: (data) => JSON.parse(String(data)).id,
  ackOf: (data) => parseJson(data)?.ack,
}

/**
 * Opens the sending socket and sends one message every `every` ms until `stop()`.
 *
 * @param {object} options
 * @param {string} options.url the server's base URL; the socket connects to `${url}/ack`.
 * @param {object} options.socketOptions lifeline options shared with the feed (WebSocket, reconnect, heartbeat...).
 * @param {number} options.every ms between two messages.
 * @param {(line: string) => void} options.say where the event log goes.
 */
export function startSender({ url, socketOptions, every, say }) {
  /** Ids handed to `send()`, in order. */
  const sent = []
  /** Ids the server acknowledged (each once, however many acks came for it). */
  const acked = new Set()
  const counts = { repeatedAcks: 0, drops: 0, reconnects: 0 }
  let connected = false
  let stopping = false

  const socket = new ResilientWebSocket(`${url}/ack`, {
    ...socketOptions,
    delivery: acknowledged(deliveryFormat),
  })
  socket.on('open', (event) => {
    connected = true
    if (!event.reconnected) return say(`send: connected to ${socket.url}`)
    counts.reconnects++
    const waiting = sent.length - acked.size
    say(`send: reconnected (retry ${event.attempt}); ${waiting} unacknowledged message(s) go again first`)
  })
  socket.on('close', (event) => {
    const what = stopping ? 'closed' : connected ? 'connection lost' : 'attempt failed'
    connected = false
    if (what === 'attempt failed') return
    const reason = event.reason ? ` "${event.reason}"` : ''
    say(`send: ${what}: code ${event.code}${reason}; ${sent.length - acked.size} unacknowledged held`)
  })
  socket.on('drop', (event) => {
    counts.drops++
    say(`send: ✗ dropped ${String(event.data).slice(0, 60)} (${event.reason})`)
  })
  socket.on('message', (event) => {
    const id = deliveryFormat.ackOf(event.data)
    if (id === undefined) return say(`send: ✗ unexpected message: ${String(event.data).slice(0, 80)}`)
    if (acked.has(id)) counts.repeatedAcks++
    else acked.add(id)
  })

  const timer = setInterval(() => {
    const n = sent.length + 1
    const id = `m${n}`
    sent.push(id)
    socket.send(JSON.stringify({ id, n, at: Date.now() }))
  }, every)

  return {
    socket,
    /** How many messages were sent so far. */
    get sent() {
      return sent.length
    },
    /** How many distinct messages the server acknowledged so far. */
    get acknowledged() {
      return acked.size
    },
    /** Whether every one of the first `count` messages sent was acknowledged. */
    acknowledgedFirst(count) {
      return sent.slice(0, count).every((id) => acked.has(id))
    },
    /** Stops sending, waits (at most `ms`) for the outstanding acks, closes; resolves with the counts. */
    async stop(ms) {
      clearInterval(timer)
      await waitFor(() => acked.size >= sent.length, ms)
      stopping = true
      const closed = new Promise((resolve) => socket.once('close', resolve))
      socket.close(1000, 'demo finished')
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))])
      const lost = sent.filter((id) => !acked.has(id)).length
      return {
        sent: sent.length,
        acknowledged: acked.size,
        lost,
        drops: counts.drops,
        repeatedAcks: counts.repeatedAcks,
        reconnects: counts.reconnects,
      }
    },
  }
}

function parseJson(data) {
  try {
    return JSON.parse(String(data))
  } catch {
    return undefined
  }
}

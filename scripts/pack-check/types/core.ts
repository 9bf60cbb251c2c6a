// What a user of @lifeline/core touches, compiled with `strict` and no `skipLibCheck`.
import {
  type ConnectionState,
  ResilientWebSocket,
  type ResilientWebSocketOptions,
  type SocketStatus,
} from '@lifeline/core'

const options: ResilientWebSocketOptions = {
  reconnect: { minDelay: 500, maxDelay: 10_000, maxAttempts: 20 },
  queue: { maxMessages: 100, overflow: 'drop-oldest' },
  heartbeat: { interval: 20_000, timeout: 5_000 },
}
const socket = new ResilientWebSocket('wss://example.test/feed', [], options)

socket.on('open', (event) => {
  const attempt: number = event.attempt
  const reconnected: boolean = event.reconnected
  return [attempt, reconnected]
})
socket.on('close', (event) => {
  const willReconnect: boolean = event.willReconnect
  const code: number = event.code
  return [willReconnect, code]
})
socket.on('message', (event) => event.data)
socket.on('reconnecting', (event) => {
  const delay: number = event.delay
  return delay
})
socket.on('drop', (event) => event.reason)
socket.addEventListener('message', (event) => event.data)
socket.onclose = (event) => event.code

const status: SocketStatus = socket.status
const state: ConnectionState = socket.status.state
const unsubscribe: () => void = socket.subscribe(() => socket.status.queuedMessages)
unsubscribe()

const accepted: boolean = socket.send('text')
socket.send(new ArrayBuffer(8))
socket.send(new Uint8Array([1, 2, 3]))
// @ts-expect-error a plain object is not sendable: JSON.stringify it first
socket.send({ a: 1 })

const pending: readonly unknown[] = socket.queued
socket.close(1000, 'bye')

export { accepted, pending, state, status }

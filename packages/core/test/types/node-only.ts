// What a user of a Node-only project writes: compiled by types.test.ts with `lib: es2022`, `types: node` and no
// `skipLibCheck`, so any DOM-only name in lifeline's types (BinaryType, Blob, AbortSignal, DOMException...) fails.
import { WebSocket } from 'ws'
import { CloseCode, ResilientWebSocket, type SendData, type SocketStats, type SocketStatus } from '../../src'
import { acknowledged } from '../../src/delivery'

const socket = new ResilientWebSocket('ws://127.0.0.1:8080', null, {
  WebSocket,
  reconnect: { minDelay: 500, maxAttempts: 20 },
  closeTimeout: 2000,
  delivery: acknowledged({ id: () => undefined, ackOf: (data) => (String(data).startsWith('ack:') ? 'x' : undefined) }),
})
socket.on('open', (event) => event.reconnected)
socket.on('message', (event) => event.data)
socket.addEventListener('close', (event) => event.code === CloseCode.Normal, { signal: new AbortController().signal })
socket.binaryType = 'arraybuffer'

const accepted: boolean = socket.send('text')
socket.send(new Uint8Array([1, 2]))
socket.send(new ArrayBuffer(4))
socket.send(new Blob(['node has a Blob too']))
// @ts-expect-error a plain object is not sendable: JSON.stringify it first
socket.send({ a: 1 })
// @ts-expect-error neither is a number
socket.send(42)

const data: SendData[] = socket.queued
const status: SocketStatus = socket.status
const stats: SocketStats = socket.stats
socket.close(1000, 'bye')

export { accepted, data, stats, status }

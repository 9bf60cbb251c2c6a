// The soak's heap phase, in a child process started with --expose-gc: `clients` lifeline sockets with short
// settings and acknowledged delivery on the example server's /ack, each sending one message on every open. The
// parent drops every connection over and over (each drop is one reconnect cycle per socket) and asks for the heap,
// after full collections, at cycle counts of its choosing. Requests: start { url, clients }, heap, close.
import { getHeapSpaceStatistics } from 'node:v8'
import { answerRequests } from '@lifeline/testing/child-process'
import { WebSocket } from 'ws'
import { ackOf, idOf, message } from './ledger.mjs'
import { acknowledged, ResilientWebSocket } from './lifeline.mjs'

const unhandled = []
process.on('uncaughtException', (error) => unhandled.push(`uncaught: ${error?.stack ?? error}`))
process.on('unhandledRejection', (reason) => unhandled.push(`unhandled rejection: ${reason?.stack ?? reason}`))

/** Client numbers apart from the fleet's. */
const HEAP_CLIENT_BASE = 1_000_000
let sockets = []
let opens = 0
let acks = 0

answerRequests(async (request) => {
  if (request.type === 'start') {
    sockets = Array.from({ length: request.clients }, (_, index) => {
      let n = 0
      const socket = new ResilientWebSocket(`${request.url}/ack`, {
        WebSocket,
        reconnect: { minDelay: 1, maxDelay: 20 },
        heartbeat: { interval: 1000, timeout: 1000 },
        connectTimeout: 2000,
        delivery: acknowledged({ id: idOf, ackOf }),
      })
      socket.on('open', () => {
        opens++
        socket.send(message(HEAP_CLIENT_BASE + index, ++n, 64))
      })
      socket.on('message', (event) => {
        if (ackOf(event.data) !== undefined) acks++
      })
      socket.on('error', () => {})
      return socket
    })
    return true
  }
  if (request.type === 'heap') {
    globalThis.gc()
    globalThis.gc()
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]),
    )
    return { heapUsed: process.memoryUsage().heapUsed, spaces, opens, acks, unhandled }
  }
  for (const socket of sockets) socket.close()
  sockets = []
  return { opens, acks, unhandled }
})

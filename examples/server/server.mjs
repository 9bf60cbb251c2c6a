/**
 * A local WebSocket server for trying lifeline against real failures: echo, chat, a sequenced ticker feed with
 * resume, and acks, plus fault injection (drop every connection, go half-open, read slowly, refuse new connections,
 * restart).
 *
 *   const server = await startServer()            // ws://127.0.0.1:<port>
 *   new ResilientWebSocket(`${server.url}/ticker`, { WebSocket })
 *   server.faults.dropAll()
 *
 * Run it on its own with `node examples/server/server.mjs [--port 8080] [--tick 100]`.
 */
import { realpathSync } from 'node:fs'
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'
import { WebSocketServer } from 'ws'
import { handleControl } from './control.mjs'
import { answerPing, endpoints } from './endpoints.mjs'
import { FaultWindow } from './fault-window.mjs'
import { Ticker } from './ticker.mjs'

/** While reading slowly, the server reads each connection once every this many ms. */
export const SLOW_READ_EVERY = 200

const ignore = () => {}

/**
 * Starts the server and resolves once it listens.
 *
 * @param {object} [options]
 * @param {number} [options.port] 0 (the default) lets the system choose.
 * @param {string} [options.host] '127.0.0.1' by default.
 * @param {number} [options.tickInterval] ms between ticker messages; 100 by default.
 * @param {number} [options.history] how many ticker messages are kept for resuming; 1000 by default.
 * @param {(line: string) => void} [options.log] told about every fault; silent by default.
 * @param {(message: object, connection: number) => void} [options.onAck] called with every message `/ack`
 *   acknowledges (the parsed JSON) and the number of the connection it came on (connections are numbered from 1 as
 *   they are accepted), in the order they arrived: a test can check what reached the server. None by default.
 */
export async function startServer({
  port = 0,
  host = '127.0.0.1',
  tickInterval = 100,
  history = 1000,
  log = ignore,
  onAck = ignore,
} = {}) {
  const ticker = new Ticker({ interval: tickInterval, history })
  const wss = new WebSocketServer({ noServer: true, clientTracking: false })
  /** Open connections: `{ ws, path, frozen, stop }`. */
  const clients = new Set()
  /** Upgrade requests held, unanswered, while the server is half-open. */
  const held = []
  let http = null
  let closed = false
  let restart = null
  let slowReadTimer
  /** Since the server started: connections accepted, upgrades refused while refusing. */
  const totals = { accepted: 0, refused: 0 }

  const halfOpen = new FaultWindow(() => {
    log('half-open over: frozen connections dropped, held connections answered')
    for (const client of clients) if (client.frozen) client.ws.terminate()
    for (const upgrade of held.splice(0)) accept(upgrade)
  })
  const refusing = new FaultWindow(() => log('refusing over'))
  const slowRead = new FaultWindow(() => {
    log('slow read over')
    clearInterval(slowReadTimer)
    slowReadTimer = undefined
    for (const client of clients) if (!client.frozen) client.ws.resume()
  })

  const faults = {
    /** Drops every connection at once, without a close frame. Returns how many were dropped. */
    dropAll() {
      let dropped = 0
      for (const client of clients) {
        client.ws.terminate()
        dropped++
      }
      log(`drop: ${dropped} connection(s) dropped`)
      return dropped
    },

    /**
     * For `ms`: open connections are neither read nor written (TCP stays open, so a client only notices by a
     * heartbeat), and new connections are accepted but their upgrade is not answered. Then the frozen connections
     * are dropped and the held ones answered. Resolves when it is over.
     */
    halfOpen(ms) {
      for (const client of clients) {
        client.frozen = true
        client.ws.pause()
      }
      log(`half-open for ${ms} ms: ${clients.size} connection(s) frozen`)
      return halfOpen.open(ms)
    },

    /** For `ms`: every connection is read only once every SLOW_READ_EVERY ms. Resolves when it is over. */
    slowRead(ms) {
      for (const client of clients) client.ws.pause()
      slowReadTimer ??= setInterval(readBurst, SLOW_READ_EVERY)
      log(`slow read for ${ms} ms`)
      return slowRead.open(ms)
    },

    /**
     * For `ms`: every new connection is refused with HTTP 503 (Service Unavailable), as a proxy with no backend
     * answers; open connections carry on. Resolves when it is over.
     */
    refuse(ms) {
      log(`refusing new connections for ${ms} ms`)
      return refusing.open(ms)
    },

    /**
     * Closes every connection (1012, service restart) and the listener, then listens again on the same port
     * after `ms`. The ticker keeps counting meanwhile. Resolves once listening again.
     */
    restart(ms = 1000) {
      if (closed) return Promise.resolve()
      if (restart) return restart.promise
      log(`restart: connections closed (1012), listener down for ${ms} ms`)
      for (const client of clients) {
        if (client.frozen) client.ws.terminate()
        else client.ws.close(1012, 'service restart')
      }
      for (const upgrade of held.splice(0)) upgrade.socket.destroy()
      stopListening()
      let done
      const promise = new Promise((resolve, reject) => (done = { resolve, reject }))
      const timer = setTimeout(() => {
        // Connections that did not finish their close handshake are dropped before listening again.
        for (const client of clients) client.ws.terminate()
        listen().then(
          () => {
            restart = null
            log(`restart: listening again on port ${port}`)
            done.resolve()
          },
          (error) => {
            restart = null
            log(`restart failed: ${error.message}`)
            done.reject(error)
          },
        )
      }, ms)
      restart = { promise, timer, done }
      return promise
    },
  }

  function status() {
    const connections = {}
    for (const path of Object.keys(endpoints)) connections[path.slice(1)] = 0
    for (const client of clients) connections[client.path.slice(1)]++
    return {
      seq: ticker.seq,
      connections,
      totals: { ...totals },
      faults: {
        halfOpen: halfOpen.active,
        slowRead: slowRead.active,
        refusing: refusing.active,
        restarting: restart !== null,
      },
    }
  }

  function readBurst() {
    for (const client of clients) if (!client.frozen) client.ws.resume()
    setImmediate(() => {
      if (!slowRead.active) return
      for (const client of clients) client.ws.pause()
    })
  }

  function onUpgrade(request, socket, head) {
    // Node leaves an upgraded socket without an error listener: a client resetting it must not crash the server.
    socket.on('error', ignore)
    const url = new URL(request.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (!Object.hasOwn(endpoints, path)) return refuse(socket, 404, 'Not Found')
    const since = url.searchParams.get('since')
    if (since !== null && !/^\d+$/.test(since)) return refuse(socket, 400, 'Bad Request')
    if (refusing.active) {
      totals.refused++
      return refuse(socket, 503, 'Service Unavailable')
    }
    const upgrade = { request, socket, head, path, since: since === null ? undefined : Number(since) }
    if (halfOpen.active) held.push(upgrade)
    else accept(upgrade)
  }

  function accept({ request, socket, head, path, since }) {
    if (socket.destroyed) return
    wss.handleUpgrade(request, socket, head, (ws) => connected(ws, path, since))
  }

  function connected(ws, path, since) {
    if (closed) return ws.terminate()
    totals.accepted++
    const client = { ws, path, id: totals.accepted, frozen: false, stop: undefined }
    clients.add(client)
    ws.on('error', ignore)
    ws.on('close', () => {
      clients.delete(client)
      client.stop?.()
    })
    const onMessage = endpoints[path](client, { ticker, clients, since, onAck })
    ws.on('message', (data, isBinary) => {
      if (!isBinary && answerPing(client, data.toString())) return
      onMessage(data, isBinary)
    })
    if (slowRead.active) ws.pause()
  }

  async function listen() {
    const server = createServer((request, response) => handleControl(request, response, { faults, status }))
    server.on('upgrade', onUpgrade)
    await new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    server.on('error', (error) => log(`server error: ${error.message}`))
    port = server.address().port
    http = server
  }

  function stopListening() {
    const server = http
    http = null
    if (!server) return Promise.resolve()
    const stopped = new Promise((resolve) => server.close(() => resolve()))
    server.closeAllConnections()
    return stopped
  }

  await listen()
  ticker.start()

  return {
    /** The base URL: `${url}/echo`, `/chat`, `/ticker?since=N`, `/ack`. Stays the same across restarts. */
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    /** The ticker's last `seq`, open connections per path, totals since the start, which faults are on. */
    status,
    /** Stops everything: ticker, faults, connections, listener. Resolves once every socket is closed. */
    async close() {
      if (closed) return
      closed = true
      ticker.stop()
      for (const upgrade of held.splice(0)) upgrade.socket.destroy()
      halfOpen.end()
      slowRead.end()
      refusing.end()
      if (restart) {
        clearTimeout(restart.timer)
        restart.done.resolve()
        restart = null
      }
      for (const client of clients) client.ws.terminate()
      wss.close()
      await stopListening()
    },
  }
}

function refuse(socket, code, text) {
  socket.end(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroySoon?.()
}

async function main() {
  const args = process.argv.slice(2)
  const option = (name, fallback) => {
    const index = args.indexOf(name)
    return index === -1 ? fallback : Number(args[index + 1])
  }
  const started = Date.now()
  const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(2).padStart(6)}s] ${line}`)
  const server = await startServer({ port: option('--port', 0), tickInterval: option('--tick', 100), log })
  const http = server.url.replace(/^ws/, 'http')
  console.log(`lifeline example server on ${server.url}`)
  console.log(`  WebSocket: ${server.url}/echo  /chat  /ticker?since=N  /ack`)
  console.log(`  status:    GET  ${http}/status`)
  console.log(
    `  faults:    POST ${http}/faults/drop | half-open?ms=3000 | slow-read?ms=3000 | refuse?ms=3000 | restart?ms=1000`,
  )
  const stop = () => server.close().then(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}

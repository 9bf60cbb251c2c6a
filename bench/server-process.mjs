// A `ws` server on 127.0.0.1, port 0, in a process of its own (its descriptors and CPU apart from the client's).
// What it does for a connection depends on the path the client asks for:
//   /count?n=N   counts the messages received and sends 'done' when the N-th arrives
//   /pause?ms=M  stops reading the connection's TCP socket for M ms, then reads again
//   /pong        answers every 'ping' message with 'pong'
//   anything else: an idle connection (protocol pings are answered by `ws` itself)
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { WebSocketServer } from 'ws'
import { isMain } from './child.mjs'

function serve() {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    backlog: 4096,
    clientTracking: false,
    perMessageDeflate: false,
  })
  server.on('connection', (ws, request) => {
    const url = new URL(request.url, 'ws://127.0.0.1')
    ws.on('error', () => {})
    if (url.pathname === '/count') {
      const n = Number(url.searchParams.get('n'))
      let count = 0
      ws.on('message', () => {
        if (++count === n) ws.send('done')
      })
    } else if (url.pathname === '/pause') {
      request.socket.pause()
      setTimeout(() => request.socket.resume(), Number(url.searchParams.get('ms')))
    } else if (url.pathname === '/pong') {
      ws.on('message', (data) => {
        if (data.toString() === 'ping') ws.send('pong')
      })
    }
  })
  server.on('listening', () => process.send({ type: 'listening', port: server.address().port }))
  process.on('disconnect', () => process.exit(0))
}

/** Starts the server in a child process; resolves with its port, a URL maker and `stop()`. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`server process exited (${code})`)))
    child.once('message', ({ port }) => {
      resolve({
        port,
        url: (path) => `ws://127.0.0.1:${port}${path}`,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.kill()
          }),
      })
    })
  })
}

if (isMain(import.meta.url)) serve()

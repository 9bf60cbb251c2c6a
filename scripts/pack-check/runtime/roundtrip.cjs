// One message through the installed @lifeline/core and back from a real `ws` server on 127.0.0.1, then a final
// close. Shared by core.mjs (ESM import) and core.cjs (require), which pass the ResilientWebSocket they loaded.
const { WebSocket, WebSocketServer } = require('ws')

const BOUND_MS = 15000

function within(what, executor) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${BOUND_MS} ms`)), BOUND_MS)
    executor(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

async function roundtrip(ResilientWebSocket) {
  if (typeof ResilientWebSocket !== 'function') throw new Error('ResilientWebSocket is not exported as a class')
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await within('listening server', (resolve) => server.once('listening', resolve))
  server.on('connection', (client) => client.on('message', (data, isBinary) => client.send(data, { binary: isBinary })))
  const { port } = server.address()

  try {
    const socket = new ResilientWebSocket(`ws://127.0.0.1:${port}`, [], { WebSocket })
    const echoed = within('echo', (resolve, reject) => {
      socket.on('message', (event) => resolve(String(event.data)))
      socket.on('error', (event) => reject(event.error ?? new Error('error event')))
    })
    // Sent before the connection opens: it waits in the queue.
    socket.send('hello from the tarball')
    const data = await echoed
    if (data !== 'hello from the tarball') throw new Error(`echo was ${JSON.stringify(data)}`)

    const closed = within('close event', (resolve) => socket.on('close', resolve))
    socket.close(1000, 'done')
    const event = await closed
    if (event.willReconnect !== false) throw new Error('the final close event says it will reconnect')
    if (socket.state !== 'closed') throw new Error(`state after close is ${socket.state}`)
  } finally {
    for (const client of server.clients) client.terminate()
    await within('server close', (resolve) => server.close(resolve))
  }
}

module.exports = { roundtrip }

import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/** The TCP socket under a server-side `ws` connection (a private field of `ws`). */
function tcpOf(connection: WebSocket): Socket {
  const tcp = (connection as unknown as { _socket?: Socket })._socket
  if (!tcp) throw new Error('this ws connection has no TCP socket')
  return tcp
}

/** The server stops reading this connection: the client's writes pile up in the kernel, then in its own buffer. */
export function pauseReading(connection: WebSocket): void {
  tcpOf(connection).pause()
}

/** The server reads this connection again. */
export function resumeReading(connection: WebSocket): void {
  tcpOf(connection).resume()
}

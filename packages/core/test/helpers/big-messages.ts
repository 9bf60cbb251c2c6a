import { TestServer, WebSocket } from '@lifeline/testing/server'
import { afterEach } from 'vitest'
import { ResilientWebSocket, type ResilientWebSocketOptions, type WebSocketLike } from '../../src'

export const KIB = 1024
/** The size of every message: a few dozen fill the kernel's buffers. */
export const MESSAGE_BYTES = 64 * KIB
/** What `ws` counts in `bufferedAmount` for one client frame of that size: header, 8-byte length, mask. */
export const MESSAGE_WIRE = MESSAGE_BYTES + 14

/** Message number `index`: `m<index>:` padded to MESSAGE_BYTES characters. */
export function message(index: number): string {
  const label = `m${index}:`
  return label + 'x'.repeat(MESSAGE_BYTES - label.length)
}

export interface ServerAndClient {
  server: TestServer
  client: ResilientWebSocket
  /** The `ws` socket the client made last, to read its own `bufferedAmount`. */
  raw: () => WebSocketLike
}

/**
 * Returns `start(options)`, which starts a TestServer and a client connecting to it over `ws` with no heartbeat (so
 * only the test's messages go out). Both are closed after each test of the calling file.
 */
export function useServerAndClient(): (options: ResilientWebSocketOptions) => Promise<ServerAndClient> {
  let server: TestServer | undefined
  let client: ResilientWebSocket | undefined
  afterEach(async () => {
    client?.close()
    client = undefined
    await server?.stop()
    server = undefined
  })
  return async (options) => {
    server = await TestServer.start()
    let last: WebSocketLike | undefined
    client = new ResilientWebSocket(server.url, {
      createWebSocket: (url, protocols) => {
        last = new WebSocket(url, protocols) as unknown as WebSocketLike
        return last
      },
      heartbeat: false,
      ...options,
    })
    const raw = () => {
      if (!last) throw new Error('the client has not made a socket yet')
      return last
    }
    return { server, client, raw }
  }
}

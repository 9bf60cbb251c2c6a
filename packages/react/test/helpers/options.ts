import type { ResilientWebSocket } from '@lifeline/core'
import { WebSocket } from 'ws'
import type { LifelineSocket, UseWebSocketOptions } from '../../src'

/**
 * Options for hooks that talk to the real test server: `ws` as the implementation (happy-dom has a WebSocket of its
 * own), quick retries, no heartbeat and no page-lifecycle signals, so that only what a test does happens.
 */
export const REAL = {
  WebSocket: WebSocket as never,
  reconnect: { minDelay: 20, maxDelay: 100 },
  heartbeat: false,
  lifecycle: { network: false, foreground: false },
} satisfies UseWebSocketOptions

/** `REAL` with a counter of the WebSockets actually created, to prove how many connections were opened. */
export function counted<S extends LifelineSocket = ResilientWebSocket>(
  extra: UseWebSocketOptions<S> = {},
): { options: UseWebSocketOptions<S>; created: () => number } {
  let created = 0
  return {
    options: {
      ...REAL,
      ...extra,
      createWebSocket: (url, protocols) => {
        created++
        return new WebSocket(url, protocols) as never
      },
    },
    created: () => created,
  }
}

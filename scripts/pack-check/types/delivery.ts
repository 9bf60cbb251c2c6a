// Acknowledged delivery from its own entry point.
import { ResilientWebSocket } from '@lifeline/core'
import { acknowledged } from '@lifeline/core/delivery'

export const acked = new ResilientWebSocket('wss://example.test/orders', [], {
  delivery: acknowledged({
    id: (data) => (typeof data === 'string' ? data.slice(0, 8) : undefined),
    ackOf: (data) => (typeof data === 'string' && data.startsWith('ack:') ? data.slice(4) : undefined),
    timeout: 10_000,
  }),
})
acked.on('drop', (event) => event.reason)

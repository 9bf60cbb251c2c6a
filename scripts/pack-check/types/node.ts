// Node users pass `ws` as the implementation: its class must fit the `WebSocket` option.
import { ResilientWebSocket } from '@lifeline/core'
import WebSocket from 'ws'

export const nodeSocket = new ResilientWebSocket(() => 'ws://127.0.0.1:8080', undefined, { WebSocket })
nodeSocket.on('message', (event) => event.data)

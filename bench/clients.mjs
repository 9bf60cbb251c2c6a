// The clients the benchmarks compare, each built over a given WebSocket implementation and used the way its own
// documentation shows: raw `ws`, lifeline (the built package) and the libraries lifeline replaces.

import { WebSocket as PartySocket } from 'partysocket'
import ReconnectingWebSocket from 'reconnecting-websocket'
import websocketTs from 'websocket-ts'
import { ResilientWebSocket } from './lifeline.mjs'

const { WebsocketBuilder, ConstantBackoff } = websocketTs

/** Attaches `listener(event)` for `type` ('open' | 'message' | 'close' | 'error') through the `on<type>` property. */
function onProperty(socket, type, listener) {
  socket[`on${type}`] = listener
}

export const clients = {
  'raw ws': {
    create: (url, WebSocket) => new WebSocket(url),
    on: onProperty,
  },
  lifeline: {
    create: (url, WebSocket, options = {}) => new ResilientWebSocket(url, { WebSocket, ...options }),
    on: onProperty,
  },
  'reconnecting-websocket': {
    create: (url, WebSocket) => new ReconnectingWebSocket(url, undefined, { WebSocket }),
    on: onProperty,
  },
  partysocket: {
    create: (url, WebSocket) => new PartySocket(url, undefined, { WebSocket }),
    on: onProperty,
  },
  'websocket-ts': {
    // websocket-ts takes no implementation: it constructs the global `WebSocket`.
    create: (url, WebSocket) => {
      globalThis.WebSocket = WebSocket
      return new WebsocketBuilder(url).withBackoff(new ConstantBackoff(1000)).build()
    },
    on: (socket, type, listener) => socket.addEventListener(type, (_socket, event) => listener(event)),
  },
}

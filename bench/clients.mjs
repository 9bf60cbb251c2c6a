// The clients the benchmarks compare, each built over a given WebSocket implementation and used the way its own
// documentation shows: raw `ws`, lifeline (the built package) and the libraries lifeline replaces.
// `clients[name].create(url, WebSocket, options?)` builds one from the modules imported here; `moduleFactory(name,
// module)` builds the same from another instance of the library's module (see fresh-modules.mjs).

import * as partysocket from 'partysocket'
import * as reconnectingWebsocket from 'reconnecting-websocket'
import * as websocketTs from 'websocket-ts'
import * as lifeline from './lifeline.mjs'

/** Attaches `listener(event)` for `type` ('open' | 'message' | 'close' | 'error') through the `on<type>` property. */
function onProperty(socket, type, listener) {
  socket[`on${type}`] = listener
}

/** A module's exports, whether it was loaded as ES module or as CommonJS (its exports under `default`). */
function exportsOf(module, name) {
  return module[name] ?? module.default?.[name]
}

/** Given one instance of a library's module, how to build a client with it. */
const FACTORIES = {
  lifeline: (module) => {
    const ResilientWebSocket = exportsOf(module, 'ResilientWebSocket')
    return (url, WebSocket, options = {}) => new ResilientWebSocket(url, { WebSocket, ...options })
  },
  'reconnecting-websocket': (module) => {
    const ReconnectingWebSocket = typeof module.default === 'function' ? module.default : module.default.default
    return (url, WebSocket) => new ReconnectingWebSocket(url, undefined, { WebSocket })
  },
  partysocket: (module) => {
    const PartySocket = exportsOf(module, 'WebSocket')
    return (url, WebSocket) => new PartySocket(url, undefined, { WebSocket })
  },
  'websocket-ts': (module) => {
    const WebsocketBuilder = exportsOf(module, 'WebsocketBuilder')
    const ConstantBackoff = exportsOf(module, 'ConstantBackoff')
    // websocket-ts takes no implementation: it constructs the global `WebSocket`. Without a backoff it never
    // reconnects; its README's example retries every second.
    return (url, WebSocket) => {
      globalThis.WebSocket = WebSocket
      return new WebsocketBuilder(url).withBackoff(new ConstantBackoff(1000)).build()
    }
  },
}

/** The module each library is imported from, for bundling fresh instances of it. */
export const LIBRARY_ENTRIES = {
  lifeline: lifeline.LIFELINE_FILE,
  'reconnecting-websocket': 'reconnecting-websocket',
  partysocket: 'partysocket',
  'websocket-ts': 'websocket-ts',
}

/** `create(url, WebSocket, options?)` for library `name` over the given instance of its module. */
export function moduleFactory(name, module) {
  return FACTORIES[name](module)
}

/** How each client reports events: `on(socket, type, listener)`. */
const ON = {
  lifeline: onProperty,
  'reconnecting-websocket': onProperty,
  partysocket: onProperty,
  'websocket-ts': (socket, type, listener) => socket.addEventListener(type, (_socket, event) => listener(event)),
}

export const clients = {
  'raw ws': {
    create: (url, WebSocket) => new WebSocket(url),
    on: onProperty,
  },
  lifeline: { create: moduleFactory('lifeline', lifeline), on: ON.lifeline },
  'reconnecting-websocket': {
    create: moduleFactory('reconnecting-websocket', reconnectingWebsocket),
    on: ON['reconnecting-websocket'],
  },
  partysocket: { create: moduleFactory('partysocket', partysocket), on: ON.partysocket },
  'websocket-ts': { create: moduleFactory('websocket-ts', websocketTs), on: ON['websocket-ts'] },
}

/** The libraries that reconnect (everything but raw ws). */
export const LIBRARIES = ['lifeline', 'reconnecting-websocket', 'partysocket', 'websocket-ts']

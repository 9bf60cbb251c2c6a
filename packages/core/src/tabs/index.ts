export { SharedWebSocket, type SharedWebSocketEventMap, type SharedWebSocketOptions } from './shared-websocket'

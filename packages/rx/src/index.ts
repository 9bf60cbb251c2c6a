export type { CloseInfo, OpenInfo, WebSocketSubjectConfig } from './config'
export { type BackpressureTarget, sendTo, UnsentError } from './send'
export { data$, latency$, type MessageData, messages$, type StatusSource, state$, status$ } from './streams'
export { type CloseHow, type WebSocketSubject, webSocket } from './web-socket'

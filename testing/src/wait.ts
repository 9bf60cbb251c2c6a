import type { ResilientWebSocket, ResilientWebSocketEventMap } from '@lifeline/core'

/** Resolves with the next `type` event, or rejects after `ms` (a bound, not a sleep). */
export function nextEvent<K extends keyof ResilientWebSocketEventMap>(
  socket: ResilientWebSocket,
  type: K,
  ms = 5000,
  predicate: (event: ResilientWebSocketEventMap[K]) => boolean = () => true,
): Promise<ResilientWebSocketEventMap[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(type, listener as never)
      reject(new Error(`no '${type}' event within ${ms} ms`))
    }, ms)
    const listener = (event: ResilientWebSocketEventMap[K]) => {
      if (!predicate(event)) return
      clearTimeout(timer)
      socket.off(type, listener as never)
      resolve(event)
    }
    socket.on(type, listener as never)
  })
}

/** Polls `condition` until it holds, or rejects after `ms`. */
export async function until(condition: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Records every event of the given types, in order, as `type` or `type:detail`. */
export function recordEvents(socket: ResilientWebSocket, types: (keyof ResilientWebSocketEventMap)[]): string[] {
  const log: string[] = []
  for (const type of types) socket.on(type, ((event: any) => log.push(describe(event))) as never)
  return log
}

function describe(event: any): string {
  switch (event.type) {
    case 'close':
      return `close:${event.code}:${event.willReconnect}`
    case 'state':
      return `state:${event.state}`
    case 'reconnecting':
      return `reconnecting:${event.attempt}`
    case 'open':
      return `open:${event.attempt}:${event.reconnected}`
    default:
      return event.type
  }
}

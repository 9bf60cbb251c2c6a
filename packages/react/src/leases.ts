import type { LifelineSocket } from './socket'

interface Lease {
  socket: LifelineSocket
  users: number
  timer?: ReturnType<typeof setTimeout>
}

/** Live sockets by key: one per component for private sockets, one per URL (and options key) for shared ones. */
const leases = new Map<string, Lease>()

/**
 * Takes the socket of `key`, creating it with `create` when none is live. A socket whose release is still pending
 * (StrictMode's second mount, hot reload, a route change within `closeDelay`) is taken back instead of replaced; one
 * that gave up reconnecting starts again, and one closed for good (by `close()` on it) is replaced.
 */
export function acquire(key: string, create: () => LifelineSocket): LifelineSocket {
  let lease = leases.get(key)
  if (lease) {
    clearTimeout(lease.timer)
    if (lease.socket.state === 'closed') {
      try {
        lease.socket.reconnect()
      } catch {
        lease.socket = create()
      }
    }
  } else {
    leases.set(key, (lease = { socket: create(), users: 0 }))
  }
  lease.users++
  return lease.socket
}

/** Gives back one use of the socket of `key`; the last one closes it after `delay` ms unless it is taken again. */
export function release(key: string, delay: number): void {
  const lease = leases.get(key)
  if (!lease || --lease.users > 0) return
  lease.timer = setTimeout(() => {
    leases.delete(key)
    lease.socket.close()
  }, delay)
}

/** How many sockets are live or waiting to close (for tests and diagnostics). */
export function liveSockets(): number {
  return leases.size
}

const ids = new WeakMap<object, number>()
let nextId = 0

/** A string for a key: strings as they are, functions by identity. */
export function idOf(value: string | object): string {
  if (typeof value === 'string') return value
  let id = ids.get(value)
  if (id === undefined) ids.set(value, (id = ++nextId))
  return `#${id}`
}

/** A set of change listeners: `subscribe` in the shape `useSyncExternalStore` takes, and `notify` to call them all. */
export function subscribers(): { subscribe: (listener: () => void) => () => void; notify: () => void } {
  const listeners = new Set<() => void>()
  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    notify() {
      for (const listener of listeners) listener()
    },
  }
}

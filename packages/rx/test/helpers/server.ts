import type { ServerClient } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'

/** Resolves with the close code and reason the server saw for `client` (bounded wait). */
export function serverClose(client: ServerClient, ms = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (client.socket.readyState === 3) reject(new Error('already closed: listen before closing'))
    const timer = setTimeout(() => reject(new Error(`no close within ${ms} ms`)), ms)
    client.socket.once('close', (code, reason) => {
      clearTimeout(timer)
      resolve({ code, reason: reason.toString() })
    })
  })
}

/** Waits until `log` has at least `count` entries (bounded). */
export function entries(log: unknown[], count: number, ms = 5000): Promise<void> {
  return until(() => log.length >= count, ms, `${count} entries (have ${JSON.stringify(log)})`)
}

/**
 * The HTTP control API, on the same port as the WebSocket endpoints:
 *
 * - `GET /status`: the ticker's last `seq`, open connections per path, which faults are on.
 * - `POST /faults/drop`: drop every connection at once (clients see code 1006).
 * - `POST /faults/half-open?ms=3000`: stop answering and stop reading for `ms`, keeping TCP open.
 * - `POST /faults/slow-read?ms=3000`: read each connection only in short bursts for `ms`.
 * - `POST /faults/refuse?ms=3000`: answer every new connection with HTTP 503 for `ms`.
 * - `POST /faults/restart?ms=1000`: close every connection (1012) and the listener, listen again after `ms`.
 *
 * Answers are JSON. A fault's answer is sent when it starts, not when it ends.
 */
const DEFAULT_MS = { 'half-open': 3000, 'slow-read': 3000, refuse: 3000, restart: 1000 }
const MAX_MS = 600_000

export function handleControl(request, response, { faults, status }) {
  const url = new URL(request.url ?? '/', 'http://localhost')
  const reply = (code, body, headers = {}) => {
    response.writeHead(code, {
      'content-type': 'application/json',
      'access-control-allow-origin': '*',
      ...headers,
    })
    response.end(JSON.stringify(body))
  }
  if (url.pathname === '/status') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { error: 'use GET' }, { allow: 'GET' })
    return reply(200, status())
  }
  const match = /^\/faults\/(drop|half-open|slow-read|refuse|restart)$/.exec(url.pathname)
  if (!match) return reply(404, { error: `no such path: ${url.pathname}` })
  if (request.method !== 'POST') return reply(405, { error: 'use POST' }, { allow: 'POST' })
  const fault = match[1]
  if (fault === 'drop') return reply(200, { fault, dropped: faults.dropAll() })
  const ms = url.searchParams.has('ms') ? Number(url.searchParams.get('ms')) : DEFAULT_MS[fault]
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
    return reply(400, { error: `ms must be a whole number of milliseconds from 0 to ${MAX_MS}` })
  }
  if (fault === 'half-open') faults.halfOpen(ms)
  else if (fault === 'slow-read') faults.slowRead(ms)
  else if (fault === 'refuse') faults.refuse(ms)
  else {
    // The listener closes: answer first, on a connection that is not kept alive.
    response.on('finish', () => faults.restart(ms).catch(() => {}))
    return reply(202, { fault, ms }, { connection: 'close' })
  }
  return reply(202, { fault, ms })
}

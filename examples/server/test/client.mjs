import { WebSocket } from 'ws'

/**
 * A plain `ws` client that keeps every message it receives (text as strings, binary as Buffers) and can wait,
 * with a bound, for the next one or for its close.
 */
export class TestClient {
  messages = []
  closeEvent
  #taken = 0

  constructor(url) {
    this.ws = new WebSocket(url)
    this.ws.on('message', (data, isBinary) => this.messages.push(isBinary ? data : data.toString()))
    this.ws.on('close', (code, reason) => (this.closeEvent = { code, reason: reason.toString() }))
    this.ws.on('error', () => {})
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve)
      this.ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)))
      this.ws.once('close', () => reject(new Error('closed before opening')))
    })
    this.opened.catch(() => {})
  }

  /** The next message not taken yet. */
  async next(ms = 3000) {
    await until(() => this.messages.length > this.#taken, ms, 'a message')
    return this.messages[this.#taken++]
  }

  /** Resolves with `{ code, reason }` once closed. */
  async closed(ms = 3000) {
    await until(() => this.closeEvent !== undefined, ms, 'the close')
    return this.closeEvent
  }

  close() {
    this.ws.terminate()
  }
}

/** Polls `condition` until it holds; throws after `ms`. */
export async function until(condition, ms = 3000, what = 'the condition') {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

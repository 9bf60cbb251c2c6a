// The child process side of the outage cases (server-down, storm): a library's clients, on request from the parent
// (see child.mjs `startChild`):
//   { type: 'connect', url, count, bundle? }  creates `count` clients (from `count` fresh module instances of the
//                                             bundled library when `bundle` names the file) and answers once all
//                                             are open
//   { type: 'reopened', after, timeout }      answers, per client, when it first opened after `after` (epoch ms),
//                                             or null if it had not within `timeout` ms
//   { type: 'close' }                         closes every client

import { answerRequests } from '@lifeline/testing/child-process'
import { now } from '@lifeline/testing/server-process'
import { until } from '@lifeline/testing/wait'
import { WebSocket } from 'ws'
import { clients } from './clients.mjs'
import { loadFresh } from './fresh-modules.mjs'

/** Resolves once `condition()` holds or `ms` have passed, whichever comes first. */
function untilOrAfter(condition, ms) {
  return until(condition, ms).catch(() => {})
}

export function serveReconnectingClients(name) {
  const { on } = clients[name]
  let entries = []
  answerRequests(async (request) => {
    if (request.type === 'connect') {
      const creators = []
      for (let i = 0; i < request.count; i++) {
        creators.push(request.bundle ? await loadFresh(name, request.bundle, i) : clients[name].create)
      }
      entries = creators.map((create) => {
        const entry = { socket: create(request.url, WebSocket), opens: [] }
        on(entry.socket, 'open', () => entry.opens.push(now()))
        on(entry.socket, 'error', () => {})
        return entry
      })
      await untilOrAfter(() => entries.every((entry) => entry.opens.length > 0), 30_000)
      const open = entries.filter((entry) => entry.opens.length > 0).length
      if (open < entries.length) throw new Error(`only ${open} of ${entries.length} clients opened`)
      return true
    }
    if (request.type === 'reopened') {
      const reopenedAt = (entry) => entry.opens.find((at) => at > request.after) ?? null
      await untilOrAfter(() => entries.every((entry) => reopenedAt(entry) !== null), request.timeout)
      return entries.map(reopenedAt)
    }
    for (const { socket } of entries) socket.close()
    entries = []
    return true
  })
}

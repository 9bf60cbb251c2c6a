import { acknowledged } from '@lifeline/core/delivery'
import useWebSocket from '@lifeline/react'
import { useCallback, useReducer, useRef, useState } from 'react'
import { CONNECTION } from '../connection/settings'
import { socketClass } from '../tabs/socket-class'
import { type ChatAction, chatLog, emptyChatLog } from './chat-log'
import { parseChatMessage } from './chat-message'

/**
 * The chat over `${server}/chat`: the log (delivered lines, then this client's own lines not yet back), `send(text)`,
 * the connection as `useWebSocket` reports it, and how the last open connection was lost (`lastLoss`: code and reason,
 * e.g. `1006 heartbeat timeout`; failed attempts do not count).
 *
 * A line is sent with acknowledged delivery: lifeline holds it until the server sends it back (the server sends every
 * chat message to every chat connection, the sender included), and sends it again after a reconnect if it did not
 * come back. Lines written while the server is away wait in lifeline's queue and go out, in order, once it is back.
 *
 * With `shared`, the connection is a `SharedWebSocket`: one for all the tabs of the app. The tab that holds it sends
 * every tab's lines and runs `ackOf` for all of them, so any chat line that comes back is an ack (ids are unique per
 * client); every tab receives every line.
 */
export function useChat(server: string, me: string, shared = false) {
  const [log, dispatch] = useReducer(
    (log: typeof emptyChatLog, action: ChatAction) => chatLog(log, action, me),
    emptyChatLog,
  )
  const written = useRef(0)
  const [lastLoss, setLastLoss] = useState('')
  const open = useRef(false)
  const socket = useWebSocket(`${server}/chat`, {
    ...CONNECTION,
    Socket: socketClass(shared),
    delivery: acknowledged({
      id: (data) => parseChatMessage(data)?.id,
      // Every line the server sends back acknowledges the line with its id, whichever tab or client wrote it: an id
      // this socket is not holding acknowledges nothing.
      ackOf: (data) => parseChatMessage(data)?.id,
    }),
    onOpen: () => {
      open.current = true
    },
    onClose: (event) => {
      // A connection that was open, not an attempt that failed.
      if (open.current) setLastLoss(`${event.code}${event.reason ? ` ${event.reason}` : ''}`)
      open.current = false
    },
    onMessage: (event) => {
      const message = parseChatMessage(event.data)
      if (message) dispatch({ type: 'received', message })
    },
  })
  const { sendMessage } = socket
  const send = useCallback(
    (text: string) => {
      written.current++
      const message = { id: `${me}-${written.current}`, from: me, text, at: Date.now() }
      dispatch({ type: 'composed', message })
      sendMessage(JSON.stringify(message))
    },
    [me, sendMessage],
  )
  return { ...socket, log, send, lastLoss }
}

import type { ChatLog } from './chat-log'

interface Props {
  log: ChatLog
  /** Whether the chat connection is open: this client's lines not back yet are then on their way, else queued. */
  open: boolean
}

/** Every delivered line in the server's order, then this client's own lines not yet delivered, marked queued. */
export function MessageList({ log, open }: Props) {
  const waiting = open ? 'sending' : 'queued'
  const entries = [
    ...log.delivered.map((entry) => ({ ...entry, status: 'delivered' })),
    ...log.pending.map((entry) => ({ ...entry, status: waiting })),
  ]
  if (entries.length === 0) return <p className="empty">No messages yet. Write one below.</p>
  return (
    <ol className="messages" data-testid="messages">
      {entries.map((entry) => (
        <li
          key={entry.id}
          className={`message ${entry.mine ? 'mine' : 'theirs'} ${entry.status}`}
          data-testid="message"
          data-status={entry.status}
        >
          <span className="from">{entry.mine ? 'you' : entry.from}</span>
          <span className="text">{entry.text}</span>
          <span className="status">{entry.mine ? entry.status : new Date(entry.at).toLocaleTimeString()}</span>
        </li>
      ))}
    </ol>
  )
}

import { type FormEvent, useState } from 'react'

/** A text field and a Send button. Sending works in every state: lifeline queues what the server cannot take yet. */
export function Composer({ onSend }: { onSend: (text: string) => void }) {
  const [text, setText] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const line = text.trim()
    if (!line) return
    onSend(line)
    setText('')
  }
  return (
    <form className="composer" onSubmit={submit}>
      <input
        aria-label="Message"
        placeholder="Say something (also while the server is down)"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit">Send</button>
    </form>
  )
}

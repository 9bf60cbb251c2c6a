import { useState } from 'react'
import { FAULTS, injectFault } from './faults'

/** Buttons that break the example server through its control API, and what each should show. */
export function FaultPanel({ http, onReconnect }: { http: string; onReconnect: () => void }) {
  const [last, setLast] = useState('')
  return (
    <section className="card faults">
      <h2>Break the server</h2>
      <ul>
        {FAULTS.map((fault) => (
          <li key={fault.label}>
            <button
              type="button"
              onClick={() =>
                injectFault(http, fault).then(
                  () => setLast(`${fault.label}: ${fault.expect}`),
                  (error: Error) => setLast(`${fault.label}: ${error.message}`),
                )
              }
            >
              {fault.label}
            </button>
            <span className="hint">{fault.expect}</span>
          </li>
        ))}
        <li>
          <button type="button" onClick={onReconnect}>
            Reconnect now
          </button>
          <span className="hint">skips the countdown: drops the connection or pending retry and connects at once</span>
        </li>
      </ul>
      {last && <p className="last-fault">{last}</p>}
    </section>
  )
}

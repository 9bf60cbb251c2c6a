/** One request to the example server's control API: `POST /faults/<name>?ms=<ms>`. */
export interface FaultStep {
  name: 'drop' | 'half-open' | 'slow-read' | 'refuse' | 'restart'
  /** How long it lasts (not for `drop`). */
  ms?: number
}

/** A button of the fault panel: what it asks the server, and what you should see. */
export interface Fault {
  label: string
  steps: readonly FaultStep[]
  expect: string
}

export const FAULTS: readonly Fault[] = [
  {
    label: 'Go away for 8 s',
    steps: [{ name: 'refuse', ms: 8000 }, { name: 'drop' }],
    expect:
      'drops every connection and refuses new ones (HTTP 503): reconnecting with a countdown; messages you send are queued, then delivered in order',
  },
  {
    label: 'Drop all connections',
    steps: [{ name: 'drop' }],
    expect: 'reconnecting at once, open again within a second',
  },
  {
    label: 'Half-open for 10 s',
    steps: [{ name: 'half-open', ms: 10000 }],
    expect: 'silence with TCP open: the heartbeat notices within 3 s (last loss: heartbeat timeout)',
  },
  {
    label: 'Slow reads for 5 s',
    steps: [{ name: 'slow-read', ms: 5000 }],
    expect: 'latency rises, nothing is lost',
  },
  {
    label: 'Restart (down for 5 s)',
    steps: [{ name: 'restart', ms: 5000 }],
    expect: 'closed with 1012, connection refused until it listens again; the ticker resumes with no gap',
  },
]

/** Asks the server at `http` (`http://host:port`) for each step of `fault`, in order. */
export async function injectFault(http: string, fault: Fault): Promise<void> {
  for (const step of fault.steps) {
    const query = step.ms === undefined ? '' : `?ms=${step.ms}`
    const response = await fetch(`${http}/faults/${step.name}${query}`, { method: 'POST' })
    if (!response.ok) throw new Error(`${step.name}: the server answered ${response.status}`)
  }
}

/** The connections open now at the example server, per path (`chat`, `ticker`, ...), as `GET /status` reports them. */
export type ServerConnections = Readonly<Record<string, number>>

/** Reads the example server's open connections from `GET ${http}/status`; rejects when it does not answer with them. */
export async function fetchServerConnections(http: string): Promise<ServerConnections> {
  const response = await fetch(`${http}/status`)
  if (!response.ok) throw new Error(`/status: the server answered ${response.status}`)
  const { connections } = (await response.json()) as { connections?: ServerConnections }
  if (typeof connections !== 'object' || connections === null) throw new Error('/status: no connections in the answer')
  return connections
}

/** `server connections: chat 1 · ticker 1` for the paths the app uses, or why the figures are missing. */
export function describeServerConnections(connections: ServerConnections | undefined): string {
  if (!connections) return 'server connections: not known (the server does not answer)'
  return `server connections: chat ${connections.chat ?? 0} · ticker ${connections.ticker ?? 0}`
}

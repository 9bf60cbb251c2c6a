// The example server is plain JavaScript; this is the part of its API the dev server plugin and the tests use.
declare module '@lifeline/example-server' {
  export interface ExampleServerStatus {
    seq: number
    connections: Record<string, number>
    totals: { accepted: number; refused: number }
    faults: { halfOpen: boolean; slowRead: boolean; refusing: boolean; restarting: boolean }
  }
  export interface ExampleServer {
    /** `ws://127.0.0.1:<port>`; stays the same across restarts. */
    readonly url: string
    readonly port: number
    status(): ExampleServerStatus
    close(): Promise<void>
  }
  export function startServer(options?: {
    port?: number
    host?: string
    tickInterval?: number
    history?: number
    log?: (line: string) => void
  }): Promise<ExampleServer>
}

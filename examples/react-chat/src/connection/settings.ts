/**
 * The app's connection settings, shared by the chat and the ticker. Short on purpose, so that what lifeline does is
 * visible within seconds of breaking the server; a production app would use its defaults (seconds to tens of
 * seconds).
 */
export const CONNECTION = {
  /** Retries 0.5 s, 1 s, 2 s, then every 3 s at most (full jitter); counted again after 3 s open. */
  reconnect: { minDelay: 500, maxDelay: 3000, stableAfter: 3000 },
  /** An attempt the server holds unanswered (half-open) fails after 3 s. */
  connectTimeout: 3000,
  /**
   * Browsers have no protocol pings: an application ping `ping` after 1 s of silence, answered `pong` by the example
   * server. Nothing heard for 3 s means the connection is dead (a half-open server). The round trip is the latency.
   */
  heartbeat: { message: 'ping', returnMessage: 'pong', interval: 1000, timeout: 3000 },
} as const

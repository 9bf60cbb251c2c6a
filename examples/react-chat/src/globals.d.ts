/** The example server's WebSocket base URL, set at build time by vite.config.ts (see example-server-plugin.ts). */
declare const __LIFELINE_SERVER__: string

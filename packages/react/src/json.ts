/** What `lastJsonMessage` is when the last message is not JSON (one shared object, as in react-use-websocket). */
export const UNPARSABLE = {}

/** `data` parsed as JSON, or `UNPARSABLE`. */
export function parseJson(data: unknown): unknown {
  try {
    return JSON.parse(data as string)
  } catch {
    return UNPARSABLE
  }
}

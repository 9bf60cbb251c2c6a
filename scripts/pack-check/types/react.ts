// react-use-websocket's call shape: a default export and ReadyState.
import useWebSocket, { ReadyState } from '@lifeline/react'

export function useTicker(): string | undefined {
  const { sendMessage, lastMessage, readyState } = useWebSocket('wss://example.test/ticks')
  if (readyState === ReadyState.OPEN) sendMessage('subscribe')
  const data: unknown = lastMessage?.data
  return typeof data === 'string' ? data : undefined
}

// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { expect, test } from 'vitest'
import useWebSocket, { useSocketStatus, useWebSocketMessage, WebSocketProvider } from '../src'
import { liveSockets } from '../src/leases'

// Node, no DOM: importing the package above touched no browser global, and server rendering makes no socket.

function Status() {
  const { readyState, lastMessage, state } = useWebSocket('ws://ssr.test/feed', {
    WebSocket: NeverCalled as never,
  })
  return (
    <p>
      {readyState} {state} {String(lastMessage)}
    </p>
  )
}

function Slice() {
  const ready = useSocketStatus((status) => status?.readyState ?? 'none')
  const last = useWebSocketMessage((event, _: unknown) => event.data, 'nothing yet')
  return (
    <p>
      {ready} {String(last)}
    </p>
  )
}

let constructed = 0
class NeverCalled {
  constructor() {
    constructed++
  }
}

test('no DOM globals exist here', () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
})

test('renderToString renders CONNECTING for a URL and creates no socket', () => {
  const html = renderToString(<Status />)
  expect(html).toBe('<p>0<!-- --> <!-- -->connecting<!-- --> <!-- -->null</p>')
  expect(constructed).toBe(0)
  expect(liveSockets()).toBe(0)
})

test('a provider with a URL renders its subtree on the server and creates no socket', () => {
  const html = renderToString(
    <WebSocketProvider url="ws://ssr.test/feed" options={{ WebSocket: NeverCalled as never }}>
      <Slice />
    </WebSocketProvider>,
  )
  expect(html).toBe('<p>none<!-- --> <!-- -->nothing yet</p>')
  expect(constructed).toBe(0)
  expect(liveSockets()).toBe(0)
})

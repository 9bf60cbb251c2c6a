// The README's "One connection for all tabs" example, in two tabs of a fake browser against the scripted socket.

import { FakeWebSocket } from '@lifeline/testing/fake-websocket'
import { expect, test, vi } from 'vitest'
import { SharedWebSocket } from '../../src/tabs'
import { flush, TAB_OPTIONS, useTabs } from './harness'

const tabs = useTabs()

test('two tabs running the example share one connection; both log every message; both hellos arrive', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  const sockets = ['one', 'two'].map((name) =>
    tabs.browser.in(name, () => {
      // As in the README (plus the scripted socket's options).
      const socket = new SharedWebSocket('wss://example.com/feed', TAB_OPTIONS)
      socket.onmessage = (event) => console.log('message', event.data)
      socket.on('leader', () => console.log('this tab now holds the connection'))
      socket.send(JSON.stringify({ type: 'hello' }))
      return socket
    }),
  )
  try {
    await flush()
    expect(FakeWebSocket.instances).toHaveLength(1)
    const ws = FakeWebSocket.last()
    ws.open()
    ws.receive('tick')
    await flush()
    expect(ws.sent).toEqual(['{"type":"hello"}', '{"type":"hello"}'])
    expect(log.mock.calls).toEqual([['this tab now holds the connection'], ['message', 'tick'], ['message', 'tick']])
  } finally {
    for (const socket of sockets) socket.close()
    log.mockRestore()
  }
})

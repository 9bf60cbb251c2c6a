import { TestServer } from '@lifeline/testing/server'
import { until } from '@lifeline/testing/wait'
import { act, type ReactElement, StrictMode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import useWebSocket, { type UseWebSocketOptions } from '../src'
import { liveSockets } from '../src/leases'
import { counted } from './helpers/options'

let server: TestServer
let root: Root | undefined

beforeEach(async () => {
  server = await TestServer.start()
})

afterEach(async () => {
  await inAct(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  await until(() => liveSockets() === 0)
  await server.stop()
})

function Status({ url, options }: { url: string; options: UseWebSocketOptions }) {
  const { readyState } = useWebSocket(url, options)
  return <p>state {readyState}</p>
}

/** Server-renders `ui`, then hydrates the markup in the page, as an app does on load. */
async function hydrate(ui: ReactElement): Promise<HTMLElement> {
  const container = document.createElement('div')
  container.innerHTML = renderToString(ui)
  document.body.appendChild(container)
  await inAct(() => {
    root = hydrateRoot(container, ui)
  })
  return container
}

/** Runs `work` in `act()`, telling React this is a test environment only meanwhile (the sockets' events come later). */
async function inAct(work: () => void): Promise<void> {
  const flag = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
  flag.IS_REACT_ACT_ENVIRONMENT = true
  await act(async () => work())
  flag.IS_REACT_ACT_ENVIRONMENT = false
}

for (const strict of [false, true]) {
  test(`hydration connects exactly once, without a mismatch${strict ? ' (StrictMode)' : ''}`, async () => {
    const errors = vi.spyOn(console, 'error')
    const { options, created } = counted()
    const app = <Status url={server.url} options={options} />
    const container = await hydrate(strict ? <StrictMode>{app}</StrictMode> : app)
    expect(created()).toBeLessThanOrEqual(1)
    await until(() => container.textContent === 'state 1', 5000, 'open after hydration')
    expect(created()).toBe(1)
    expect(server.clients).toHaveLength(1)
    expect(errors).not.toHaveBeenCalled()
    errors.mockRestore()
  })
}

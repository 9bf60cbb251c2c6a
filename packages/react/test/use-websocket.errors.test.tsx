import { cleanup, render } from '@testing-library/react'
import { Component, type ReactNode } from 'react'
import { afterEach, expect, test, vi } from 'vitest'
import useWebSocket from '../src'
import { liveSockets } from '../src/leases'
import { REAL } from './helpers/options'
import { probe } from './helpers/probe'

// Runs under React 19 only: React 18's development build reports an effect's error through a window 'error' event
// (its invokeGuardedCallback), which happy-dom turns into an unhandled error. What is tested here is lifeline's part,
// the same under both: the error is thrown from the effect, typed, and no socket is left behind.

afterEach(cleanup)

class Boundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {}
  static getDerivedStateFromError(error: Error) {
    return { error }
  }
  override render() {
    return this.state.error ? <p>{`${this.state.error.name}: caught`}</p> : this.props.children
  }
}

test('a URL the platform rejects throws a SyntaxError from the effect that makes the socket, to the error boundary', () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
  const p = probe(() => useWebSocket('ftp://example.com/feed', REAL))
  const view = render(
    <Boundary>
      <p.Probe />
    </Boundary>,
  )
  expect(view.container.textContent).toBe('SyntaxError: caught')
  expect(liveSockets()).toBe(0)
  errors.mockRestore()
})

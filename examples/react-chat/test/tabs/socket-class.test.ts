import { ResilientWebSocket } from '@lifeline/core'
import { SharedWebSocket } from '@lifeline/core/tabs'
import { expect, test } from 'vitest'
import { socketClass } from '../../src/tabs/socket-class'

test('a socket per tab, or a SharedWebSocket for one connection shared by the tabs', () => {
  expect(socketClass(false)).toBe(ResilientWebSocket)
  expect(socketClass(true)).toBe(SharedWebSocket)
})

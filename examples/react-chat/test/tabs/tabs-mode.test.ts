import { expect, test } from 'vitest'
import { tabsMode, withTabsMode } from '../../src/tabs/tabs-mode'

test('?tabs=1 (or true) asks for one connection for all tabs; anything else, or nothing, does not', () => {
  expect(tabsMode('?tabs=1')).toBe(true)
  expect(tabsMode('?server=ws://127.0.0.1:1&tabs=true')).toBe(true)
  expect(tabsMode('?tabs=0')).toBe(false)
  expect(tabsMode('?tabs=')).toBe(false)
  expect(tabsMode('')).toBe(false)
})

test('switching writes tabs=1 into the address or takes it out, keeping the other parameters', () => {
  const on = withTabsMode('http://127.0.0.1:5173/?server=ws%3A%2F%2F127.0.0.1%3A9000', true)
  expect(on).toBe('http://127.0.0.1:5173/?server=ws%3A%2F%2F127.0.0.1%3A9000&tabs=1')
  expect(tabsMode(new URL(on).search)).toBe(true)
  const off = withTabsMode(on, false)
  expect(off).toBe('http://127.0.0.1:5173/?server=ws%3A%2F%2F127.0.0.1%3A9000')
  expect(tabsMode(new URL(off).search)).toBe(false)
  expect(withTabsMode('http://127.0.0.1:5173/?tabs=1', true)).toBe('http://127.0.0.1:5173/?tabs=1')
})

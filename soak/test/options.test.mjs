import { expect, test } from 'vitest'
import { DEFAULTS, parseOptions } from '../options.mjs'

test('defaults: 60 s, 50 clients, 3 large senders, 5 feeds, 5000 reconnect cycles', () => {
  expect(parseOptions([])).toEqual(DEFAULTS)
  expect(DEFAULTS).toMatchObject({ duration: 60, clients: 50, large: 3, feeds: 5, cycles: 5000 })
})

test('reads numbers and the JSON file', () => {
  expect(parseOptions(['--duration', '30', '--clients', '10', '--json', 'out.json'])).toMatchObject({
    duration: 30,
    clients: 10,
    json: 'out.json',
  })
})

test('refuses what it cannot use', () => {
  expect(parseOptions(['--duration', 'abc']).error).toMatch('--duration needs a whole number')
  expect(parseOptions(['--duration', '10']).error).toMatch('at least 20 seconds')
  expect(parseOptions(['--large', '60']).error).toMatch('--large cannot exceed --clients')
  expect(parseOptions(['--cycles', '1500']).error).toMatch('at least 2000')
  expect(parseOptions(['--json']).error).toMatch('--json needs a file name')
  expect(parseOptions(['--fast']).error).toMatch('unknown option --fast')
})

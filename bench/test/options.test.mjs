import { expect, test } from 'vitest'
import { parseOptions } from '../options.mjs'

const CASES = ['echo', 'storm', 'server-down']

test('no case named means every case', () => {
  expect(parseOptions([], CASES)).toEqual({ cases: CASES, quick: false, json: undefined, downSeconds: undefined })
})

test('reads cases, --quick, --json and --down in any order', () => {
  expect(parseOptions(['storm', '--quick', '--json', 'out.json', 'echo', '--down', '2.5'], CASES)).toEqual({
    cases: ['storm', 'echo'],
    quick: true,
    json: 'out.json',
    downSeconds: 2.5,
  })
})

test('refuses unknown cases and options, and options without their value', () => {
  expect(parseOptions(['flood'], CASES).error).toMatch('unknown case flood; the cases are: echo, storm, server-down')
  expect(parseOptions(['--fast'], CASES).error).toMatch('unknown option --fast')
  expect(parseOptions(['--json'], CASES).error).toMatch('--json needs a file name')
  expect(parseOptions(['--down', '0'], CASES).error).toMatch('--down needs a number of seconds above 0')
  expect(parseOptions(['--down', 'x'], CASES).error).toMatch('--down needs a number')
})

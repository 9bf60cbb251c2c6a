// The README's options table states every default; this checks it against the defaults the code uses.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { DEFAULTS } from '../src/settings'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** Every default as `option.path → value`. */
function flatten(value: object, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? flatten(inner, `${prefix}${key}.`)
      : [[`${prefix}${key}`, inner] as [string, unknown]],
  )
}

/** The first code span of the default column in the options table row of `option`. */
function documentedDefault(option: string): string | undefined {
  const row = readme.split('\n').find((line) => line.startsWith(`| \`${option}\``) || line.startsWith(`| \`${option}(`))
  return row?.split('|')[2]?.match(/`([^`]+)`/)?.[1]
}

function parse(literal: string): unknown {
  if (literal === 'Infinity') return Number.POSITIVE_INFINITY
  if (/^'.*'$/.test(literal)) return literal.slice(1, -1)
  return JSON.parse(literal)
}

test.each(flatten(DEFAULTS))('the README states the default of %s', (option, value) => {
  const literal = documentedDefault(option)
  expect(literal, `no row with a default for ${option} in the options table`).toBeDefined()
  expect(parse(literal!)).toEqual(value)
})

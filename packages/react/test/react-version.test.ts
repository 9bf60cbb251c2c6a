import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { expect, test } from 'vitest'

// The React 18 configuration sets LIFELINE_REACT=18; the default one runs React 19.
test('the tests run on the React they are meant for', () => {
  const major = process.env.LIFELINE_REACT ?? '19'
  expect(version.split('.')[0]).toBe(major)
  expect(domVersion.split('.')[0]).toBe(major)
})

import Module from 'node:module'

// Under the React 18 configuration: require('react'), require('react-dom') and their subpaths, from any CommonJS
// package (react-dom 18 itself, @testing-library/react), load React 18 too, so that one React runs.
const targets: Record<string, string | undefined> = {
  react: process.env.LIFELINE_REACT_PATH,
  'react-dom': process.env.LIFELINE_REACT_DOM_PATH,
}
const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string }
const resolve = loader._resolveFilename
loader._resolveFilename = function (request, ...rest) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request)
  const target = match ? targets[match[1]!] : undefined
  return resolve.call(this, target ? target + (match![2] ?? '') : request, ...rest)
}

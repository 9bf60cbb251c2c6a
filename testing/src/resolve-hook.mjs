// The module resolution hook registered by register.mjs (see there).
const TESTING = /^@lifeline\/testing\/(.+)$/
const PACKAGE_OF_TESTING = new URL('../package.json', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  const helper = TESTING.exec(specifier)
  if (helper) return nextResolve(new URL(`./${helper[1]}.ts`, import.meta.url).href, context)
  if (specifier.startsWith('@lifeline/')) return nextResolve(specifier, { ...context, parentURL: PACKAGE_OF_TESTING })
  return nextResolve(specifier, context)
}

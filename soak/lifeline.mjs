// The lifeline the soak runs: the BUILT package (packages/core/dist), resolved as @lifeline/testing resolves it
// (see testing/src/register.mjs), with acknowledged delivery from @lifeline/core/delivery.
export { HEARTBEAT_TIMEOUT, ResilientWebSocket } from '@lifeline/core'

// Until the package exports its ./delivery entry point, the built file itself.
let delivery
try {
  delivery = await import('@lifeline/core/delivery')
} catch (error) {
  if (error?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error
  delivery = await import('../packages/core/dist/delivery/index.js')
}
export const { acknowledged } = delivery

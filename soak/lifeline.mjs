// The lifeline the soak runs: the BUILT package (packages/core/dist), resolved as @lifeline/testing resolves it
// (see testing/src/register.mjs), with acknowledged delivery from @lifeline/core/delivery.
export { HEARTBEAT_TIMEOUT, ResilientWebSocket } from '@lifeline/core'
export { acknowledged } from '@lifeline/core/delivery'

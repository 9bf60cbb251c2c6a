// ESM: `import` the installed @lifeline/core and send a message through it.
import { QueueFullError, ResilientWebSocket } from '@lifeline/core'
import { roundtrip } from './roundtrip.cjs'

if (typeof QueueFullError !== 'function') throw new Error('QueueFullError is not exported')
await roundtrip(ResilientWebSocket)
console.log('core ESM: imported, echoed a message, closed')

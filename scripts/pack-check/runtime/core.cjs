// CJS: `require` the installed @lifeline/core and send a message through it.
const { QueueFullError, ResilientWebSocket } = require('@lifeline/core')
const { roundtrip } = require('./roundtrip.cjs')

if (typeof QueueFullError !== 'function') throw new Error('QueueFullError is not exported')
roundtrip(ResilientWebSocket).then(
  () => console.log('core CJS: required, echoed a message, closed'),
  (error) => {
    console.error(error)
    process.exitCode = 1
  },
)

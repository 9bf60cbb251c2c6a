const { acknowledged } = require('@lifeline/core/delivery')

if (typeof acknowledged !== 'function') throw new Error('acknowledged is not a function')
console.log('@lifeline/core/delivery CJS: acknowledged required')

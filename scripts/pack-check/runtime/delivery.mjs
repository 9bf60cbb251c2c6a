import { acknowledged } from '@lifeline/core/delivery'

if (typeof acknowledged !== 'function') throw new Error('acknowledged is not a function')
console.log('@lifeline/core/delivery ESM: acknowledged imported')

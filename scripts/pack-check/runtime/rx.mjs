import { webSocket } from '@lifeline/rx'

if (typeof webSocket !== 'function') throw new Error('webSocket is not a function')
console.log('@lifeline/rx ESM: webSocket imported')

import useWebSocket, { ReadyState } from '@lifeline/react'

if (typeof useWebSocket !== 'function') throw new Error('the default export is not the useWebSocket hook')
if (ReadyState?.OPEN !== 1) throw new Error('ReadyState.OPEN is not 1')
console.log('@lifeline/react ESM: useWebSocket and ReadyState imported')

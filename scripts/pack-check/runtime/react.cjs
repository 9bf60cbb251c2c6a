const react = require('@lifeline/react')

// A CJS build exposes the default export as `default`, as bundlers and TypeScript expect.
if (typeof react.default !== 'function') throw new Error('the default export is not the useWebSocket hook')
if (react.ReadyState?.OPEN !== 1) throw new Error('ReadyState.OPEN is not 1')
console.log('@lifeline/react CJS: useWebSocket and ReadyState required')

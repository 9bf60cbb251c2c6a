import { utf8Length } from './utf8'

/** What `send()` accepts, as the WebSocket interface does. */
export type SendData = string | ArrayBufferLike | ArrayBufferView | Blob

/**
 * Converts what was given to `send()` into something a socket accepts, following the platform: strings, Blob,
 * ArrayBuffer and views pass through; other primitives become strings. Plain objects and arrays throw a
 * `TypeError` instead of turning into `"[object Object]"`.
 */
export function toSendable(data: unknown): SendData {
  if (typeof data === 'string') return data
  if (typeof data === 'object' && data !== null) {
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data as SendData
    if (isBlob(data)) return data
    if (typeof SharedArrayBuffer !== 'undefined' && data instanceof SharedArrayBuffer) return data
    const proto = Object.getPrototypeOf(data)
    if (Array.isArray(data) || proto === Object.prototype || proto === null) {
      throw new TypeError(
        'send() takes a string, Blob, ArrayBuffer or typed array; got a plain object or array. ' +
          'Serialize it first, e.g. socket.send(JSON.stringify(data)).',
      )
    }
    return String(data)
  }
  if (typeof data === 'symbol') throw new TypeError('send() cannot convert a Symbol to a string.')
  return String(data)
}

function isBlob(data: object): data is Blob {
  const BlobCtor = (globalThis as { Blob?: typeof Blob }).Blob
  return BlobCtor !== undefined && data instanceof BlobCtor
}

/** Payload size in bytes: UTF-8 bytes for strings, `byteLength` for buffers, `size` for blobs. */
export function byteSize(data: SendData): number {
  if (typeof data === 'string') return utf8Length(data)
  if ('byteLength' in data) return data.byteLength
  return (data as Blob).size
}

import { utf8Length } from './utf8'

/**
 * A `Blob` (or a `File`), described by what lifeline reads from it, so that the types need no DOM library: the
 * platform's `Blob` and Node's both fit.
 */
export interface BlobLike {
  readonly size: number
  readonly type: string
  arrayBuffer(): Promise<ArrayBuffer>
}

/** What `send()` accepts, as the WebSocket interface does. */
export type SendData = string | ArrayBufferLike | ArrayBufferView | BlobLike

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

function isBlob(data: object): data is BlobLike {
  const BlobCtor = (globalThis as { Blob?: abstract new (...args: never[]) => BlobLike }).Blob
  return BlobCtor !== undefined && data instanceof BlobCtor
}

/** Payload size in bytes: UTF-8 bytes for strings, `byteLength` for buffers, `size` for blobs. */
export function byteSize(data: SendData): number {
  if (typeof data === 'string') return utf8Length(data)
  if ('byteLength' in data) return data.byteLength
  return (data as BlobLike).size
}

/**
 * What a message counts for in `stats`: `byteLength` or `size` of binary data, `length` of text (UTF-16 code units,
 * the UTF-8 byte count for ASCII text): counted without scanning the text, so the message paths stay lean.
 */
export function statSize(data: unknown): number {
  if (typeof data === 'string') return data.length
  const binary = data as { byteLength?: number; size?: number } | null
  return binary?.byteLength ?? binary?.size ?? 0
}

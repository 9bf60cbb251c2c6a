import { domException } from './errors'
import { utf8Length } from './utf8'

/** WebIDL's `[Clamp] unsigned short`: NaN is 0, then clamped to 0–65535 and rounded half to even. */
function clampShort(value: unknown): number {
  const n = Number(value)
  if (Number.isNaN(n)) return 0
  const x = Math.min(Math.max(n, 0), 65535)
  const floor = Math.floor(x)
  const rest = x - floor
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor
}

/**
 * `close(code, reason)`'s arguments, converted as WebIDL converts them (`close('1000')` works) and checked as the
 * platform checks them: a code other than 1000 or 3000–4999 is an `InvalidAccessError`, a reason over 123 UTF-8
 * bytes a `SyntaxError`.
 */
export function closeArguments(code: unknown, reason: unknown): [number | undefined, string | undefined] {
  const c = code === undefined ? undefined : clampShort(code)
  const r = reason === undefined ? undefined : String(reason)
  if (c !== undefined && c !== 1000 && !(c >= 3000 && c <= 4999)) {
    throw domException(
      `The close code must be either 1000, or between 3000 and 4999. ${String(code)} is neither.`,
      'InvalidAccessError',
    )
  }
  if (r !== undefined && utf8Length(r) > 123) {
    throw domException('The close reason must not be greater than 123 UTF-8 bytes.', 'SyntaxError')
  }
  return [c, r]
}

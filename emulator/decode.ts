// Request-body decoding with Go encoding/json semantics: a wrong type fails the whole decode
// (400), `null` means "absent", unknown fields are ignored (§1). Form bodies carry strings, which
// Fiber's form decoder converts to the target types.
import type { BodyObject } from './http'
import { parseClientTime, type ClientTime } from './time-format'

export class DecodeError extends Error {}

type Kind = 'json' | 'form'

export function optString(o: BodyObject, k: string): string | null {
  const v = o[k]
  if (v === undefined || v === null) return null
  if (typeof v === 'string') return v
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
  throw new DecodeError(k)
}

export function optStringArray(o: BodyObject, k: string): string[] | null {
  const v = o[k]
  if (v === undefined || v === null) return null
  if (typeof v === 'string') return [v] // a single form value
  if (!Array.isArray(v)) throw new DecodeError(k)
  return v.map((x) => {
    if (x === null) return ''
    if (typeof x !== 'string') throw new DecodeError(k)
    return x
  })
}

/** Go `*int`: JSON numbers without a fraction; form strings of digits. */
export function optInt(o: BodyObject, k: string, kind: Kind): number | null {
  const v = o[k]
  if (v === undefined || v === null) return null
  if (typeof v === 'number' && Number.isInteger(v)) return v
  if (kind === 'form' && typeof v === 'string' && /^[+-]?\d+$/.test(v)) return Number.parseInt(v, 10)
  throw new DecodeError(k)
}

export function optBool(o: BodyObject, k: string, kind: Kind): boolean | null {
  const v = o[k]
  if (v === undefined || v === null) return null
  if (typeof v === 'boolean') return v
  if (kind === 'form' && (v === 'true' || v === 'false')) return v === 'true'
  throw new DecodeError(k)
}

/** Go `*time.Time`: RFC 3339 only; keeps what Go keeps (offset, digits) for the create echo. */
export function optTime(o: BodyObject, k: string): ClientTime | null {
  const s = optString(o, k)
  if (s === null) return null
  const t = parseClientTime(s)
  if (!t) throw new DecodeError(k)
  return t
}

/** Go `fmt.Sscanf(v, "%d", &n)`: leading integer, else failure (§4.8). */
export function scanInt(v: string): number | null {
  const m = /^\s*([+-]?\d+)/.exec(v)
  if (!m || m[1] === undefined) return null
  const n = Number.parseInt(m[1], 10)
  return Number.isSafeInteger(n) ? n : null
}

// Timestamps as the real server writes them (reference §1, §1.5).
//
// - A value read from Postgres (timestamptz) keeps microseconds, and pgx hands it to Go in the
//   server process's local zone (time.Local); Go's encoding/json then writes RFC 3339 with up to
//   9 fraction digits, trailing zeros trimmed (no fraction at all when it is zero), and the zone's
//   offset ("Z" only when the offset is zero).
// - A Go `time.Now()` reading (create/rotate created_at, deprecate, health) has nanoseconds and is
//   in time.Local too.
// - A time the client sent (create's expires_at) is echoed in the client's own offset and precision.
//
// The emulator stores epoch milliseconds. The sub-millisecond digits of server-made values are
// derived deterministically from the stored milliseconds, so the same stored value always prints
// the same string.

export interface TimeFormat {
  readonly offsetMinutes: number
  /** A server-made timestamp read from the DB (NOW(), time.Now() stored): microseconds, server zone. */
  db(ms: number): string
  /** A DB value with known microseconds (a client-sent time, rounded by Postgres to µs). */
  dbExact(ms: number, micros: number): string
  /** A Go time.Now() value: nanoseconds, server zone. Pass the same `nanos` for values of one reading. */
  goNow(ms: number, nanos?: string): string
}

export function createTimeFormat(offsetMinutes: number): TimeFormat {
  return {
    offsetMinutes,
    db: (ms) => format(ms, offsetMinutes, pad(syntheticMicros(ms), 3)),
    dbExact: (ms, micros) => format(ms, offsetMinutes, pad(micros, 3)),
    goNow: (ms, nanos = nanoSuffix()) => format(ms, offsetMinutes, nanos)
  }
}

/** Go's `Z07:00`: "Z" for a zero offset, else ±hh:mm. */
export function offsetSuffix(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z'
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

/** Parses `+01:00`, `-05:30`, `Z`, `0` or a number of minutes; undefined when invalid. */
export function parseUtcOffset(s: string): number | undefined {
  if (s === 'Z' || s === 'z') return 0
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s)
    return Math.abs(n) < 24 * 60 ? n : undefined
  }
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(s)
  if (!m) return undefined
  const h = Number(m[2])
  const min = Number(m[3])
  if (h > 23 || min > 59) return undefined
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min)
}

function format(ms: number, offsetMinutes: number, subMsDigits: string): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
  const whole = local.slice(0, 19)
  const frac = `${local.slice(20, 23)}${subMsDigits}`.replace(/0+$/, '')
  return `${whole}${frac ? `.${frac}` : ''}${offsetSuffix(offsetMinutes)}`
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** Stable pseudo-random microseconds (0-999) for a stored millisecond value. */
function syntheticMicros(ms: number): number {
  return (Math.imul(Math.floor(ms) % 1_000_003, 0x9e3779b1) >>> 0) % 1000
}

let nanoCounter = 0
/** Six synthetic sub-millisecond digits for one Go time.Now() reading (Go trims trailing zeros). */
export function nanoSuffix(): string {
  nanoCounter = (nanoCounter + 7919) % 1_000_000
  return pad(nanoCounter, 6)
}

/** A client-sent RFC 3339 time as Go's time.Time holds it: the instant, its offset and digits. */
export interface ClientTime {
  /** Epoch ms of the instant (floor), after Postgres's rounding to microseconds. */
  ms: number
  /** Microseconds within that millisecond (0-999), as Postgres stores them. */
  micros: number
  /** How Go writes the parsed value back: own offset, up to 9 fraction digits, zeros trimmed. */
  echo: string
}

const RFC3339_RE = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/

/** Go `time.Time` from JSON (RFC 3339). undefined when Go would refuse it. */
export function parseClientTime(s: string): ClientTime | undefined {
  const m = RFC3339_RE.exec(s)
  if (!m) return undefined
  const [, date, time, fracRaw = '', zoneRaw] = m as unknown as [string, string, string, string | undefined, string]
  const zone = zoneRaw.toUpperCase()
  if (zone !== 'Z') {
    const off = parseUtcOffset(zone)
    if (off === undefined) return undefined
  }
  const base = Date.parse(`${date}T${time}${zone}`)
  if (Number.isNaN(base)) return undefined
  // Round-trip check: Date.parse accepts 2026-02-31; Go does not.
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const check = new Date(Date.UTC(y, mo - 1, d))
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined
  const [hh, mi, ss] = time.split(':').map(Number) as [number, number, number]
  if (hh > 23 || mi > 59 || ss > 59) return undefined
  const nineDigits = fracRaw.slice(0, 9).padEnd(9, '0')
  const nanos = Number(nineDigits)
  const totalMicros = Math.round(nanos / 1000) // Postgres keeps microseconds
  const ms = base + Math.floor(totalMicros / 1000)
  const micros = totalMicros % 1000
  const trimmed = nineDigits.replace(/0+$/, '')
  const offsetText = zone === 'Z' || parseUtcOffset(zone) === 0 ? 'Z' : zone
  return { ms, micros, echo: `${date}T${time}${trimmed ? `.${trimmed}` : ''}${offsetText}` }
}

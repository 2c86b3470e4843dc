// The emulator's clock. Every timestamp and every expiry check reads it, so tests can move time
// (token expiry, key expiry, lockout end, idempotency TTL) without waiting.

export interface Clock {
  now(): number
  set(ms: number): void
  advance(ms: number): void
}

/** Real time flows (so created_at values stay ordered) on top of a settable offset. */
export function createClock(initialMs: number = Date.now()): Clock {
  let base = initialMs
  let realStart = performance.now()
  return {
    now: () => Math.floor(base + (performance.now() - realStart)),
    set(ms: number) {
      base = ms
      realStart = performance.now()
    },
    advance(ms: number) {
      base += ms
    }
  }
}

/** A DB-read timestamp: Postgres keeps microseconds; we keep milliseconds. RFC 3339, UTC, `.sssZ`. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString()
}

let nanoCounter = 0
/** Synthetic sub-millisecond digits for one Go `time.Now()` reading. */
export function nanoSuffix(): string {
  nanoCounter = (nanoCounter + 7919) % 1_000_000
  return String(nanoCounter === 0 ? 1 : nanoCounter).padStart(6, '0')
}

/**
 * A Go `time.Now()` value marshalled by encoding/json (nanosecond precision), as the create,
 * rotate and deprecate responses send it (§4.3, §4.8). Pass the same suffix for values derived
 * from one reading (deprecate's now and now+h).
 */
export function rfc3339Nano(ms: number, suffix: string = nanoSuffix()): string {
  return new Date(ms).toISOString().replace(/Z$/, `${suffix}Z`)
}

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

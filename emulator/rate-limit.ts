// The global API rate limiter (DynamicGlobalAPILimiter / GlobalAPILimiter in
// internal/middleware/rate_limiter.go, on Fiber's limiter middleware, FixedWindow), registered
// globally before the idempotency middleware. Off by default on a real server (the
// `app.security.enable_global_rate_limit` setting); 100 requests per 1 min when on.
//
// - Only paths under /api/.
// - Key `global_ip:<client address>`: the user-id branch of the key function never fires because
//   no user is known yet, so every client address has one budget, admins included: the admin
//   bypass trusts only a role that auth middleware has set, and auth runs later (§1.4).
//   The older server (legacy profile) read the role from the unverified JWT instead and let
//   `admin`, `dashboard_admin` and `service_role` tokens through.
// - Fixed window per key on the server's wall clock in whole seconds: the window opens at the
//   first request (ts = now in seconds, expiry = ts + window), every request counts (also those
//   refused), and once `now >= expiry` the next request opens a new window.
// - Refused: 429 `{code, error, message, retry_after}` with `Retry-After`: both give the whole
//   window length in seconds (the handler overrides the limiter's time-to-reset with it).
// - Passed: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (seconds to reset).
import type { Clock } from './clock'
import { header, jsonReply, toWire, type Ctx, type WireReply } from './http'
import type { Profile } from './serialize'

export interface RateLimitOptions {
  /** Requests allowed per window and client address. */
  max: number
  /** Window length in ms: a whole number of seconds (Fiber counts in seconds). */
  windowMs: number
}

export type RateLimitDecision =
  | { kind: 'limited'; reply: WireReply }
  | { kind: 'passed'; headers: Record<string, string> }
  | { kind: 'skipped' }

interface Window {
  hits: number
  /** Expiry, in whole seconds of the clock. */
  exp: number
}

const LEGACY_BYPASS_ROLES = new Set(['admin', 'dashboard_admin', 'service_role'])

/** Throws a readable Error for options the limiter cannot run with. */
export function validateRateLimit(o: RateLimitOptions): void {
  if (!Number.isInteger(o.max) || o.max < 1) throw new Error('rateLimit.max must be a whole number >= 1')
  if (!Number.isInteger(o.windowMs) || o.windowMs < 1000 || o.windowMs % 1000 !== 0) {
    throw new Error('rateLimit.windowMs must be a whole number of seconds (a multiple of 1000, at least 1000)')
  }
}

export class GlobalRateLimiter {
  private readonly windows = new Map<string, Window>()
  private readonly windowSec: number
  private readonly message: string
  /** 429s sent. */
  rateLimited = 0

  constructor(private readonly opts: RateLimitOptions, private readonly clock: Clock, private readonly profile: Profile) {
    validateRateLimit(opts)
    this.windowSec = opts.windowMs / 1000
    this.message = `API rate limit exceeded. Maximum ${opts.max} requests per ${windowWords(this.windowSec)} allowed.`
  }

  check(ctx: Ctx, clientAddress: string): RateLimitDecision {
    if (!ctx.path.startsWith('/api/')) return { kind: 'skipped' }
    if (this.profile === 'legacy' && LEGACY_BYPASS_ROLES.has(unverifiedRole(ctx))) return { kind: 'skipped' }
    const ts = Math.floor(this.clock.now() / 1000)
    const key = `global_ip:${clientAddress}`
    let w = this.windows.get(key)
    if (!w) {
      if (this.windows.size > 10_000) this.prune(ts)
      this.windows.set(key, (w = { hits: 0, exp: ts + this.windowSec }))
    } else if (ts >= w.exp) {
      w.hits = 0
      w.exp = ts + this.windowSec
    }
    w.hits++
    const remaining = this.opts.max - w.hits
    if (remaining < 0) {
      this.rateLimited++
      const r = toWire(jsonReply(429, { code: 'RATE_LIMIT_EXCEEDED', error: 'Rate limit exceeded', message: this.message, retry_after: this.windowSec }))
      r.headers['retry-after'] = String(this.windowSec)
      return { kind: 'limited', reply: r }
    }
    return {
      kind: 'passed',
      headers: { 'x-ratelimit-limit': String(this.opts.max), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(w.exp - ts) }
    }
  }

  private prune(ts: number): void {
    for (const [k, w] of this.windows) if (ts >= w.exp) this.windows.delete(k)
  }
}

/** "minute" for 60 s (the server's own text: "Maximum 100 requests per minute allowed."). */
function windowWords(sec: number): string {
  if (sec === 1) return 'second'
  if (sec === 60) return 'minute'
  if (sec === 3600) return 'hour'
  return `${sec} seconds`
}

/** The older limiter's role peek: the JWT payload's `role`, signature not checked. */
function unverifiedRole(ctx: Ctx): string {
  let token = ''
  const cookie = header(ctx, 'cookie') ?? ''
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === 'fluxbase_access_token') token = part.slice(eq + 1).trim()
  }
  if (token === '') {
    const authz = header(ctx, 'authorization') ?? ''
    token = authz.startsWith('Bearer ') ? authz.slice(7) : authz
  }
  const parts = token.split('.')
  if (parts.length !== 3) return ''
  try {
    const claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as { role?: unknown }
    return typeof claims.role === 'string' ? claims.role : ''
  } catch {
    return ''
  }
}

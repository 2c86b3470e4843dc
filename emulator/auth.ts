// Platform users, HS256 dashboard JWTs (§2.3), lockout, sessions, and the UnifiedAuthMiddleware +
// RequireRole checks of §1.2 / §2.2.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import type { Clock } from './clock'
import { errorReply, header, type Ctx, type Reply } from './http'
import type { TimeFormat } from './time-format'

export type PlatformRole = 'instance_admin' | 'tenant_admin' | 'dashboard_user'

export interface PlatformUser {
  id: string
  email: string
  password: string
  role: PlatformRole
  fullName: string
  tenantIds: string[]
  isActive: boolean
  createdAt: number
  updatedAt: number
  lastLoginAt: number | null
  failedAttempts: number
  lockedUntil: number | null
  /** Login deletes earlier sessions: one active session per user (§2.3). */
  sessionId: string | null
}

export interface Claims {
  user_id?: string
  email?: string
  role?: string
  session_id?: string
  token_type?: string
  user_metadata?: unknown
  tenant_id?: string
  tenant_role?: string
  is_instance_admin?: boolean
  iss?: string
  aud?: string[] | string
  sub?: string
  iat?: number
  nbf?: number
  exp?: number
  jti?: string
}

export interface Principal {
  role: string
  userId: string | null
  claims: Claims
}

export const LOCKOUT_THRESHOLD = 5
export const LOCKOUT_MS = 15 * 60 * 1000

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url')

export class Auth {
  readonly users = new Map<string, PlatformUser>()
  private readonly byEmail = new Map<string, PlatformUser>()
  /** jti values revoked by logout; checked only for non-instance_admin tokens (§1.2). */
  private readonly revokedJti = new Set<string>()

  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
    readonly accessTtlSeconds: number,
    readonly refreshTtlSeconds: number
  ) {}

  addUser(u: PlatformUser): void {
    this.users.set(u.id, u)
    this.byEmail.set(u.email.toLowerCase(), u)
  }

  userByEmail(email: string): PlatformUser | undefined {
    return this.byEmail.get(email.toLowerCase())
  }

  isLocked(u: PlatformUser): boolean {
    return u.lockedUntil !== null && u.lockedUntil > this.clock.now()
  }

  /**
   * Password check with lockout: 5 consecutive failures lock the account for 15 minutes.
   * 'locked' is returned for any attempt (right or wrong) while locked.
   */
  checkPassword(u: PlatformUser, password: string): 'ok' | 'wrong' | 'locked' {
    if (this.isLocked(u)) return 'locked'
    if (u.lockedUntil !== null) {
      u.lockedUntil = null
      u.failedAttempts = 0
    }
    if (!safeEqual(password, u.password)) {
      u.failedAttempts++
      if (u.failedAttempts >= LOCKOUT_THRESHOLD) u.lockedUntil = this.clock.now() + LOCKOUT_MS
      return 'wrong'
    }
    u.failedAttempts = 0
    return 'ok'
  }

  /** A fresh session (older ones die) and a token pair. */
  startSession(u: PlatformUser): { access: string; refresh: string } {
    u.sessionId = randomUUID()
    u.lastLoginAt = this.clock.now()
    return { access: this.issue(u, 'access'), refresh: this.issue(u, 'refresh') }
  }

  issue(u: PlatformUser, tokenType: 'access' | 'refresh'): string {
    const now = Math.floor(this.clock.now() / 1000)
    const ttl = tokenType === 'access' ? this.accessTtlSeconds : this.refreshTtlSeconds
    const claims: Claims = {
      user_id: u.id,
      email: u.email,
      role: u.role,
      session_id: u.sessionId ?? '',
      token_type: tokenType,
      ...(u.role === 'tenant_admin' && u.tenantIds[0] ? { tenant_id: u.tenantIds[0], tenant_role: 'tenant_admin' } : {}),
      is_instance_admin: u.role === 'instance_admin',
      iss: 'fluxbase',
      aud: ['fluxbase'],
      sub: u.id,
      iat: now,
      nbf: now,
      exp: now + ttl,
      jti: randomUUID()
    }
    return this.sign(claims)
  }

  sign(claims: Claims): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const body = b64url(JSON.stringify(claims))
    const sig = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url')
    return `${head}.${body}.${sig}`
  }

  /** HS256 signature, exp and nbf against the emulator clock. token_type is not checked (§2.2). */
  verify(token: string): Claims | undefined {
    const parts = token.split('.')
    if (parts.length !== 3) return undefined
    const [head, body, sig] = parts as [string, string, string]
    try {
      const h = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown }
      if (h.alg !== 'HS256') return undefined
      const expected = createHmac('sha256', this.secret).update(`${head}.${body}`).digest()
      const given = Buffer.from(sig, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined
      const c = claims as Claims
      const now = this.clock.now() / 1000
      if (typeof c.exp === 'number' && now >= c.exp) return undefined
      if (typeof c.nbf === 'number' && now < c.nbf) return undefined
      return c
    } catch {
      return undefined
    }
  }

  revoke(claims: Claims): void {
    if (claims.jti) this.revokedJti.add(claims.jti)
  }

  /** Only tokens of the user's current session refresh (login deletes older sessions). */
  sessionIsCurrent(claims: Claims): PlatformUser | undefined {
    const u = claims.user_id ? this.users.get(claims.user_id) : undefined
    if (!u || !claims.session_id || u.sessionId !== claims.session_id) return undefined
    return u
  }

  /** UnifiedAuthMiddleware (§1.2, §2.2): cookie first, then Authorization (Bearer or raw). */
  authenticate(ctx: Ctx): { ok: true; principal: Principal } | { ok: false; reply: Reply } {
    const token = tokenFrom(ctx)
    if (token === undefined) return { ok: false, reply: errorReply(ctx, 401, 'Missing authentication', 'MISSING_AUTHENTICATION') }
    const claims = this.verify(token)
    if (!claims || typeof claims.role !== 'string') {
      return { ok: false, reply: errorReply(ctx, 401, 'Invalid or expired token', 'INVALID_TOKEN') }
    }
    if (claims.role !== 'instance_admin' && claims.jti && this.revokedJti.has(claims.jti)) {
      return { ok: false, reply: errorReply(ctx, 401, 'Token has been revoked', 'REVOKED_TOKEN') }
    }
    const userId = claims.user_id ?? claims.sub ?? null
    return { ok: true, principal: { role: claims.role, userId, claims } }
  }

  /** The platform user behind a principal, if any (revoke's FK needs one, §4.7). */
  platformUser(p: Principal): PlatformUser | undefined {
    return p.userId ? this.users.get(p.userId) : undefined
  }
}

export function tokenFrom(ctx: Ctx): string | undefined {
  const cookie = header(ctx, 'cookie')
  if (cookie) {
    for (const part of cookie.split(';')) {
      const eq = part.indexOf('=')
      if (eq > 0 && part.slice(0, eq).trim() === 'fluxbase_access_token') {
        const v = part.slice(eq + 1).trim()
        if (v) return v
      }
    }
  }
  const authz = header(ctx, 'authorization')
  if (authz === undefined || authz === '') return undefined
  return authz.startsWith('Bearer ') ? authz.slice(7).trim() : authz
}

/** RequireRole (§2.2): service_role always passes; tenant_service passes where tenant_admin does. */
export function roleAllowed(role: string, allowed: readonly string[]): boolean {
  if (role === 'service_role') return true
  if (role === 'tenant_service') return allowed.includes('tenant_admin')
  return allowed.includes(role)
}

export function insufficient(ctx: Ctx): Reply {
  return errorReply(ctx, 403, 'Insufficient permissions', 'INSUFFICIENT_PERMISSIONS')
}

/** The server's `DashboardUser` (§2.3), optional fields omitted when unset. */
export function dashboardUserJson(u: PlatformUser, now: number, tf: TimeFormat): Record<string, unknown> {
  const locked = u.lockedUntil !== null && u.lockedUntil > now
  return {
    id: u.id,
    email: u.email,
    email_verified: true,
    full_name: u.fullName,
    totp_enabled: false,
    is_active: u.isActive,
    is_locked: locked,
    ...(locked && u.lockedUntil !== null ? { locked_until: tf.db(u.lockedUntil) } : {}),
    ...(u.lastLoginAt !== null ? { last_login_at: tf.db(u.lastLoginAt) } : {}),
    created_at: tf.db(u.createdAt),
    updated_at: tf.db(u.updatedAt),
    role: u.role
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

// Login / refresh / logout / me (§2.3). Only /api/v1/admin/login is instance_admin-only; the
// dashboard login serves every platform user (so a tenant admin can get a token) and keeps its
// string-compare bug: bad credentials give 500 "Login failed".
// The /api/v1/admin login/refresh/logout/me routes are the "dashboard-auth" route group
// (routes/dashboard.go): no tenant middlewares, no RequireRole; logout and me run only
// UnifiedAuthMiddleware before the handler.
import type { App } from './app'
import { dashboardUserJson, type PlatformUser } from './auth'
import { errorReply, fiberError, header, jsonReply, parseBody, type Ctx, type Reply, type Router } from './http'

/** The app-user JWT manager's service-role tokens, which RevokeToken refuses to blacklist. */
const SERVICE_ROLE_TOKEN_ROLES = new Set(['anon', 'service_role', 'authenticated'])

export function registerAuthRoutes(r: Router, app: App): void {
  const { auth } = app
  const tf = app.time
  // ParseBody returns a fiber.Error (400 INVALID_REQUEST_BODY through the error handler).
  const badBody = (ctx: Ctx): Reply => fiberError(ctx, 400, 'Invalid request body')

  const credentials = (ctx: Ctx): { email: string; password: string } | undefined => {
    const b = parseBody(ctx)
    if (!b.ok) return undefined
    const { email, password } = b.value
    if ((email !== undefined && email !== null && typeof email !== 'string') ||
        (password !== undefined && password !== null && typeof password !== 'string')) return undefined
    return { email: typeof email === 'string' ? email : '', password: typeof password === 'string' ? password : '' }
  }

  const tokenPair = (u: PlatformUser) => {
    const { access, refresh } = auth.startSession(u)
    return { access_token: access, refresh_token: refresh, expires_in: auth.accessTtlSeconds }
  }

  r.add('POST', '/api/v1/admin/login', (ctx) => {
    const c = credentials(ctx)
    if (!c) return badBody(ctx)
    const u = auth.userByEmail(c.email)
    if (!u) return errorReply(ctx, 401, 'Invalid email or password', 'INVALID_CREDENTIALS')
    const check = auth.checkPassword(u, c.password)
    if (check === 'locked') {
      return errorReply(ctx, 403, 'Account is locked due to too many failed login attempts', 'ACCOUNT_LOCKED')
    }
    if (check === 'wrong') return errorReply(ctx, 401, 'Invalid email or password', 'INVALID_CREDENTIALS')
    if (!u.isActive) return errorReply(ctx, 500, 'Authentication failed: account is inactive', 'INTERNAL_ERROR')
    if (u.role !== 'instance_admin') return errorReply(ctx, 403, 'Access denied. Admin role required.', 'ADMIN_REQUIRED')
    const pair = tokenPair(u)
    return jsonReply(200, { user: dashboardUserJson(u, app.clock.now(), tf), ...pair })
  })

  r.add('POST', '/api/v1/admin/refresh', (ctx) => {
    const b = parseBody(ctx)
    if (!b.ok) return badBody(ctx)
    const token = typeof b.value.refresh_token === 'string' ? b.value.refresh_token : ''
    const claims = token ? auth.verify(token) : undefined
    const u = claims && claims.token_type === 'refresh' ? auth.sessionIsCurrent(claims) : undefined
    if (!u) return errorReply(ctx, 401, 'Invalid or expired refresh token', 'INVALID_TOKEN')
    if (u.role !== 'instance_admin' && u.role !== 'tenant_admin') return adminRequired(ctx)
    // The refresh token is NOT rotated: the same string comes back (§2.3).
    return jsonReply(200, {
      access_token: auth.issue(u, 'access'),
      refresh_token: token,
      expires_in: auth.accessTtlSeconds,
      user: dashboardUserJson(u, app.clock.now(), tf)
    })
  })

  // AdminLogout (admin_auth_handler.go): UnifiedAuth first (cookie or header), then the handler
  // insists on an `Authorization: Bearer <token>` header of exactly two space-separated parts and
  // calls the app-user auth service's SignOut with that token: it blacklists the token's jti
  // (RevokeToken; a service-role token is refused and the error ignored), finds no app-user
  // session for it and succeeds. The dashboard session is NOT ended, so the refresh token keeps
  // working; and since the revocation check skips instance_admin tokens (§1.2), an instance
  // admin's access token keeps working too. Only other roles see 401 REVOKED_TOKEN afterwards.
  r.add('POST', '/api/v1/admin/logout', (ctx) => {
    const a = auth.authenticate(ctx)
    if (!a.ok) return a.reply
    const authz = header(ctx, 'authorization') ?? ''
    if (authz === '') return errorReply(ctx, 401, 'Missing authentication', 'MISSING_AUTHENTICATION')
    const parts = authz.split(' ')
    if (parts.length !== 2 || parts[0] !== 'Bearer') {
      return errorReply(ctx, 401, 'Invalid authorization header format', 'INVALID_FORMAT')
    }
    const token = parts[1] as string
    if (!token.startsWith('sk_') && !token.startsWith('fbk_')) {
      const claims = auth.verify(token)
      if (claims && !SERVICE_ROLE_TOKEN_ROLES.has(String(claims.role))) auth.revoke(claims)
    }
    return jsonReply(200, { message: 'Logged out successfully' })
  })

  // [BUG?] §2.3: dashboard roles always get 403 here; only the app-user role `admin` passes.
  r.add('GET', '/api/v1/admin/me', (ctx) => {
    const a = auth.authenticate(ctx)
    if (!a.ok) return a.reply
    const p = a.principal
    if (p.role !== 'admin') return adminRequired(ctx)
    return jsonReply(200, { user: { id: p.userId, email: p.claims.email, role: p.role } })
  })

  r.add('POST', '/dashboard/auth/login', (ctx) => {
    const c = credentials(ctx)
    if (!c) return badBody(ctx)
    const u = auth.userByEmail(c.email)
    // [BUG?] wrong password, unknown user or lockout: the handler's error-string compare misses -> 500.
    if (!u || auth.checkPassword(u, c.password) !== 'ok') return errorReply(ctx, 500, 'Login failed', 'INTERNAL_ERROR')
    if (!u.isActive) return errorReply(ctx, 403, 'Account is inactive', 'ACCESS_DENIED')
    const pair = tokenPair(u)
    return jsonReply(200, { ...pair, user: dashboardUserJson(u, app.clock.now(), tf) })
  })

  r.add('POST', '/dashboard/auth/refresh', (ctx) => {
    const b = parseBody(ctx)
    const token = b.ok && typeof b.value.refresh_token === 'string' ? b.value.refresh_token : ''
    if (token === '') return errorReply(ctx, 400, 'Refresh token is required', 'MISSING_REQUIRED_FIELD')
    const claims = auth.verify(token)
    const u = claims && claims.token_type === 'refresh' ? auth.sessionIsCurrent(claims) : undefined
    if (!u) return errorReply(ctx, 401, 'Invalid or expired refresh token', 'INVALID_TOKEN')
    return jsonReply(200, { access_token: auth.issue(u, 'access'), refresh_token: token, expires_in: auth.accessTtlSeconds })
  })
}

/** SendAdminRequired (rest_errors.go). */
function adminRequired(ctx: Ctx): Reply {
  return errorReply(ctx, 403, 'Admin role required', 'ADMIN_REQUIRED')
}

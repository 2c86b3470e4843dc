// Shared state handed to every handler, and the admin-route middleware chain of §2.1:
// TenantMiddleware -> UnifiedAuthMiddleware -> RequireRole -> handler.
import type { Auth, Principal } from './auth'
import { insufficient, roleAllowed } from './auth'
import type { Clock } from './clock'
import { bareError, header, type Ctx, type Reply } from './http'
import { isUuid } from './prng'
import type { Profile } from './serialize'
import type { Store } from './store'

export interface App {
  store: Store
  auth: Auth
  clock: Clock
  profile: Profile
  quirks: { updateMissingColumn: boolean }
}

/**
 * The tenant a request resolved to (§3). `raw` is the header value as given, or the default
 * tenant's id, or '' when there is none (then no tenant filter applies).
 */
export interface TenantScope {
  raw: string
}

/** What handlers get once the middleware chain has passed. */
export interface Guarded {
  tenant: TenantScope
  principal: Principal
}

/** TenantMiddleware's anonymous path (§3): runs before auth, so it never sees the user. */
export function resolveTenant(app: App, ctx: Ctx): { ok: true; tenant: TenantScope } | { ok: false; reply: Reply } {
  if (app.profile === 'legacy') return { ok: true, tenant: { raw: '' } } // no tenant handling (Appendix A)
  const value = header(ctx, 'x-fb-tenant')
  if (value !== undefined && value !== '') {
    // `id::text = value OR slug = value`: uuid::text is lower case, so only that form matches an id.
    const found = app.store.tenants.get(value) ?? app.store.tenantsBySlug.get(value)
    if (!found) return { ok: false, reply: bareError(404, 'tenant not found') }
    return { ok: true, tenant: { raw: value } }
  }
  return { ok: true, tenant: { raw: app.store.defaultTenant()?.id ?? '' } }
}

/**
 * `strict` = plain membership (the legacy server's revoke/deprecate/rotate had no service_role
 * bypass, Appendix A); otherwise RequireRole's rules (§2.2).
 */
export function guard(
  app: App,
  ctx: Ctx,
  roles: readonly string[],
  strict = false
): { ok: true; g: Guarded } | { ok: false; reply: Reply } {
  const t = resolveTenant(app, ctx)
  if (!t.ok) return t
  const a = app.auth.authenticate(ctx)
  if (!a.ok) return a
  if (strict ? !roles.includes(a.principal.role) : !roleAllowed(a.principal.role, roles)) return { ok: false, reply: insufficient(ctx) }
  return { ok: true, g: { tenant: t.tenant, principal: a.principal } }
}

/**
 * How a handler sees the resolved tenant when it needs a UUID: `none` = no filter / nil UUID;
 * `invalid` = a slug got through the middleware and uuid.MustParse would panic (§3).
 */
export type TenantUuid = { kind: 'uuid'; id: string } | { kind: 'none' } | { kind: 'invalid' }

export function tenantUuid(scope: TenantScope): TenantUuid {
  if (scope.raw === '') return { kind: 'none' }
  return isUuid(scope.raw) ? { kind: 'uuid', id: scope.raw.toLowerCase() } : { kind: 'invalid' }
}

export const ADMIN_ROLES = ['admin', 'instance_admin', 'tenant_admin'] as const

// Shared state handed to every handler, and the admin-route middleware chain of §2.1:
// TenantMiddleware -> TenantDBMiddleware -> UnifiedAuthMiddleware -> RequireRole -> handler.
import type { Auth, Principal } from './auth'
import { insufficient, roleAllowed } from './auth'
import type { Clock } from './clock'
import { bareError, fiberError, header, type Ctx, type Reply } from './http'
import { isUuid } from './prng'
import type { Profile } from './serialize'
import type { Store, TenantRecord } from './store'
import type { TimeFormat } from './time-format'

export interface App {
  store: Store
  auth: Auth
  clock: Clock
  profile: Profile
  /** How timestamps are written (server zone, µs/ns precision). */
  time: TimeFormat
  /** The intended ("fixed") server instead of the shipped one: see EmulatorOptions.serverFixed. */
  serverFixed: boolean
  /** Whether opening this tenant's own database fails now (a marked-down tenant or a fault rule). */
  tenantDatabaseDown(ctx: Ctx, tenant: TenantRecord): boolean
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
 * TenantDBMiddleware (internal/middleware/tenant_db.go), also before auth: for a tenant that has
 * its own database (db_name set, i.e. not the default tenant), it asks the router for that pool.
 * A tenant being deleted, or a pool that cannot be opened, gives the returned error
 * `tenant database unavailable` (500 via the error handler). A slug in X-FB-Tenant fails the
 * `id = $1::uuid` lookup, so the check is skipped for it.
 */
export function tenantDatabase(app: App, ctx: Ctx, scope: TenantScope): Reply | undefined {
  if (app.profile === 'legacy' || scope.raw === '' || !isUuid(scope.raw)) return undefined
  const t = app.store.tenants.get(scope.raw.toLowerCase())
  if (!t || t.dbName === null) return undefined
  if (t.status === 'deleting' || app.tenantDatabaseDown(ctx, t)) return fiberError(ctx, 500, 'tenant database unavailable')
  return undefined
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
  const down = tenantDatabase(app, ctx, t.tenant)
  if (down) return { ok: false, reply: down }
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

// Tenant listing (§3.1) and health (§3.2). The legacy server had no tenants (Appendix A), so
// these tenant routes are only registered on the current profile.
import { ADMIN_ROLES, guard, type App } from './app'
import { tokenFrom } from './auth'
import { errorReply, jsonReply, rawJsonReply, type Ctx, type Reply, type Router } from './http'
import { tenantObject } from './serialize'

export function registerTenantRoutes(r: Router, app: App): void {
  const { store } = app
  const tf = app.time

  // GetAllActiveTenants: only tenants whose status is 'active' (creating/error/deleting are hidden).
  r.add('GET', '/api/v1/admin/tenants', (ctx) => {
    const g = guard(app, ctx, ['admin', 'instance_admin'])
    if (!g.ok) return g.reply
    return rawJsonReply(200, store.cachedTenantListJson((list) => JSON.stringify(list.map((t) => tenantObject(t, tf)))))
  })

  // Only tenants assigned to the caller (an instance admin without assignments gets []); any status.
  r.add('GET', '/api/v1/admin/tenants/mine', (ctx) => {
    const g = guard(app, ctx, ADMIN_ROLES)
    if (!g.ok) return g.reply
    const u = app.auth.platformUser(g.g.principal)
    const mine = (u?.tenantIds ?? []).map((id) => store.tenants.get(id)).filter((t) => t !== undefined)
    return jsonReply(200, mine.map((t) => tenantObject(t, tf, 'tenant_admin')))
  })

  r.add('GET', '/api/v1/admin/tenants/:id', (ctx) => {
    const g = guard(app, ctx, ADMIN_ROLES)
    if (!g.ok) return g.reply
    const t = store.tenants.get(ctx.params.id ?? '')
    if (!t) return errorReply(ctx, 404, 'Tenant not found', 'NOT_FOUND')
    const p = g.g.principal
    if (p.role !== 'instance_admin' && p.role !== 'service_role') {
      const u = app.auth.platformUser(p)
      if (!u?.tenantIds.includes(t.id)) return errorReply(ctx, 403, 'Access denied to this tenant', 'ACCESS_DENIED')
    }
    return jsonReply(200, tenantObject(t, tf))
  })
}

export function registerHealthRoutes(r: Router, app: App): void {
  const health = (ctx: Ctx): Reply => {
    const body: Record<string, unknown> = { status: 'ok', timestamp: app.time.goNow(app.clock.now()) }
    if (tokenFrom(ctx) !== undefined) {
      // Optional auth: credentials that are present but invalid give 401.
      const a = app.auth.authenticate(ctx)
      if (!a.ok) return a.reply
      if (['admin', 'instance_admin', 'service_role', 'tenant_admin'].includes(a.principal.role)) {
        body.services = { database: true, realtime: true }
      }
    }
    return jsonReply(200, body)
  }
  r.add('GET', '/health', health)
  r.add('GET', '/', health)
}


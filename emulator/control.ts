// /__emulator/* test-control routes (only when controlRoutes: true): state, clock, faults, tenant DBs.
import type { App } from './app'
import type { FaultEngine, FaultRule } from './faults'
import { jsonReply, parseBody, type Ctx, type Reply } from './http'

export interface ControlHooks {
  faults: FaultEngine
  /** Extra fields for GET /__emulator/state. */
  state(): Record<string, unknown>
  /** Throws a readable Error for an unknown tenant. */
  setTenantDatabaseDown(tenantId: string, down: boolean): void
}

export function controlRoute(app: App, hooks: ControlHooks, ctx: Ctx): Reply | undefined {
  const bad = (error: string): Reply => jsonReply(400, { error, request_id: ctx.requestId })
  if (ctx.method === 'GET' && ctx.path === '/__emulator/state') {
    const now = app.clock.now()
    return jsonReply(200, {
      profile: app.profile,
      server_fixed: app.serverFixed,
      now,
      now_iso: new Date(now).toISOString(),
      utc_offset_minutes: app.time.offsetMinutes,
      tenants: app.store.tenants.size,
      keys: app.store.keys.size,
      users: app.auth.users.size,
      active_fault_rules: hooks.faults.activeCount,
      ...hooks.state()
    })
  }
  if (ctx.method === 'POST' && ctx.path === '/__emulator/clock') {
    const b = parseBody(ctx)
    if (!b.ok || b.kind !== 'json') return bad('expected a JSON body {advanceMs?: number, setMs?: number}')
    const { advanceMs, setMs } = b.value
    if (setMs !== undefined && (typeof setMs !== 'number' || !Number.isFinite(setMs))) return bad('setMs must be a number')
    if (advanceMs !== undefined && (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs))) return bad('advanceMs must be a number')
    if (typeof setMs === 'number') app.clock.set(setMs)
    if (typeof advanceMs === 'number') app.clock.advance(advanceMs)
    return jsonReply(200, { now: app.clock.now() })
  }
  if (ctx.method === 'POST' && ctx.path === '/__emulator/faults') {
    const b = parseBody(ctx)
    if (!b.ok || b.kind !== 'json' || !Array.isArray(b.value.rules)) return bad('expected a JSON body {rules: FaultRule[]}')
    try {
      hooks.faults.set(b.value.rules as FaultRule[])
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e))
    }
    return jsonReply(200, { rules: (b.value.rules as unknown[]).length })
  }
  if (ctx.method === 'POST' && ctx.path === '/__emulator/tenant-db') {
    const b = parseBody(ctx)
    const v = b.ok && b.kind === 'json' ? b.value : undefined
    if (!v || typeof v.tenantId !== 'string' || typeof v.down !== 'boolean') return bad('expected a JSON body {tenantId: string, down: boolean}')
    try {
      hooks.setTenantDatabaseDown(v.tenantId, v.down)
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e))
    }
    return jsonReply(200, { tenantId: v.tenantId, down: v.down })
  }
  return undefined
}

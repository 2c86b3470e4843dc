// /__emulator/* test-control routes (only when controlRoutes: true): state, clock, faults.
import { rfc3339 } from './clock'
import type { FaultEngine, FaultRule } from './faults'
import { jsonReply, parseBody, type Ctx, type Reply } from './http'
import type { App } from './app'

export function controlRoute(app: App, faults: FaultEngine, extra: () => Record<string, unknown>, ctx: Ctx): Reply | undefined {
  const bad = (error: string): Reply => jsonReply(400, { error, request_id: ctx.requestId })
  if (ctx.method === 'GET' && ctx.path === '/__emulator/state') {
    const now = app.clock.now()
    return jsonReply(200, {
      profile: app.profile,
      now,
      now_iso: rfc3339(now),
      tenants: app.store.tenants.size,
      keys: app.store.keys.size,
      users: app.auth.users.size,
      active_fault_rules: faults.activeCount,
      ...extra()
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
      faults.set(b.value.rules as FaultRule[])
    } catch (e) {
      return bad(e instanceof Error ? e.message : String(e))
    }
    return jsonReply(200, { rules: (b.value.rules as unknown[]).length })
  }
  return undefined
}

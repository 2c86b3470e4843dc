// Fluxbase admin-API emulator: a standalone node:http server that behaves observably like the
// real server (reference: fluxbase-service-keys-api.md §1-§8 "current", Appendix A "legacy"),
// bugs included; a fixed server is the named option `serverFixed`, never the default.
// It never imports the app (src/): it stands alone, like the real server.
//
// Modules: setup.ts (clock, users, seed), pipeline.ts (limiter -> idempotency -> compress ->
// routes), app.ts (tenant, tenant-db, auth, role checks), request-handler.ts (one request from
// socket to answer, faults), writer.ts (bytes on the wire), server.ts (listen/close), running.ts
// (the RunningEmulator handle).
import type { Ctx } from './http'
import { createRequestHandler, RequestCounters } from './request-handler'
import { buildRouter, routeKeyOf } from './routes'
import { createPipeline } from './pipeline'
import { GlobalRateLimiter } from './rate-limit'
import { IdempotencyMiddleware } from './idempotency'
import { controlRoute } from './control'
import { runningEmulator } from './running'
import { Lifecycle, listen } from './server'
import { createState } from './setup'
import { DEFAULT_UTC_OFFSET_MINUTES, type EmulatorOptions, type EmulatorProfile, type RunningEmulator } from './types'

export type { FaultKind, FaultRule } from './faults'
export type { RateLimitOptions } from './rate-limit'
export type { TenantStatus } from './store'
export { DEMO_INSTANCE_ADMIN, DEMO_TENANT_ADMIN } from './setup'

export type { EmulatorOptions, EmulatorProfile, EmulatorStats, EmulatorTenant, RunningEmulator } from './types'
export { DEFAULT_UTC_OFFSET_MINUTES } from './types'

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const profile: EmulatorProfile = options.profile ?? 'current'
  const offset = options.utcOffsetMinutes ?? DEFAULT_UTC_OFFSET_MINUTES
  if (!Number.isInteger(offset) || Math.abs(offset) >= 24 * 60) throw new Error('utcOffsetMinutes must be a whole number of minutes between -1439 and 1439')
  const state = createState({
    profile,
    now: options.now ?? Date.now(),
    seed: options.seed,
    jwtSecret: options.jwtSecret,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 86_400,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 604_800,
    utcOffsetMinutes: offset,
    serverFixed: options.serverFixed ?? false,
    faults: options.faults ?? []
  })
  const { app, faults } = state
  const router = buildRouter(app)
  const lifecycle = new Lifecycle()
  const limiter = options.rateLimit ? new GlobalRateLimiter(options.rateLimit, app.clock, profile) : undefined
  const idempotency = new IdempotencyMiddleware(app.clock, app.serverFixed)
  const counters = new RequestCounters()
  const handle = runningEmulator(state, counters, limiter)
  const writer = { faults, now: () => state.app.clock.now(), sleep: (ms: number) => lifecycle.sleep(ms), isClosed: () => lifecycle.isClosed() }
  const pipeline = createPipeline({
    app, router, idempotency, limiter, sleep: writer.sleep, isClosed: writer.isClosed, ...(options.log ? { log: options.log } : {})
  })
  const control = options.controlRoutes
    ? (ctx: Ctx) => controlRoute(app, {
      faults,
      state: () => ({ idempotency_entries: idempotency.size, ...handle.statsFields(), tenant_db_down: [...state.downTenants] }),
      setTenantDatabaseDown: handle.setTenantDatabaseDown
    }, ctx)
    : undefined
  const handler = createRequestHandler({
    pipeline, faults, control, counters, writer,
    baseLatencyMs: Math.max(0, options.latencyMs ?? 0),
    routeKey: (m, p) => routeKeyOf(router, m, p),
    ...(options.log ? { log: options.log } : {})
  })
  const server = await listen(handler, lifecycle, options.port ?? 0, options.host ?? '127.0.0.1', options.log)
  return handle.finish(server)
}

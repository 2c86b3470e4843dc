// Fluxbase admin-API emulator: a standalone node:http server that behaves observably like the
// real server (reference: fluxbase-service-keys-api.md §1-§8 "current", Appendix A "legacy").
// It never imports the app (src/): it stands alone, like the real server.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App } from './app'
import { Auth, type PlatformUser } from './auth'
import { createClock } from './clock'
import { controlRoute } from './control'
import { FaultEngine, type FaultRule } from './faults'
import { fiberError, header, jsonReply, panicReply, Router, type Ctx, type Reply } from './http'
import { IdempotencyCache, IDEMPOTENCY_MAX_KEY } from './idempotency'
import { createPrng } from './prng'
import { registerAuthRoutes } from './routes-auth'
import { registerHealthRoutes, registerTenantRoutes } from './routes-tenants'
import { seedStore, slugify } from './seed'
import { registerCurrentServiceKeys } from './service-keys-current'
import { registerLegacyServiceKeys } from './service-keys-legacy'
import { Store, type TenantRecord } from './store'
import { registerWhoami } from './whoami'

export type { FaultKind, FaultRule } from './faults'

export type EmulatorProfile = 'current' | 'legacy'

export interface EmulatorOptions {
  port?: number
  host?: string
  profile?: EmulatorProfile
  quirks?: { updateMissingColumn?: boolean }
  seed?: { tenants: number; keysPerTenant: number; seed: number }
  accessTokenTtlSeconds?: number
  refreshTokenTtlSeconds?: number
  controlRoutes?: boolean
  faults?: FaultRule[]
  latencyMs?: number
  jwtSecret?: string
  now?: number
  log?: (line: string) => void
}

export interface EmulatorTenant { id: string; slug: string; name: string; isDefault: boolean }

export interface RunningEmulator {
  url: string
  credentials: {
    instanceAdmin: { email: string; password: string }
    tenantAdmin: { email: string; password: string; tenantIds: string[] }
  }
  tenants: EmulatorTenant[]
  clock: { now(): number; set(ms: number): void; advance(ms: number): void }
  setFaults(rules: FaultRule[]): void
  addTenant(t: { slug: string; name: string; isDefault?: boolean }): EmulatorTenant
  requestCounts(): Record<string, number>
  close(): Promise<void>
}

export const DEMO_INSTANCE_ADMIN = { email: 'admin@fluxbase.local', password: 'fluxbase-demo-admin' } as const
export const DEMO_TENANT_ADMIN = { email: 'tenant-admin@fluxbase.local', password: 'fluxbase-demo-tenant' } as const

const DEFAULT_DEMO = { names: ['Default', 'Acme', 'Globex'], keysPerTenant: 6, seed: 20261128 }
/** Fiber's default body limit (4 MB) -> 413. */
const BODY_LIMIT = 4 * 1024 * 1024

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const profile: EmulatorProfile = options.profile ?? 'current'
  const clock = createClock(options.now ?? Date.now())
  const startNow = clock.now()
  const seedValue = options.seed?.seed ?? DEFAULT_DEMO.seed
  const auth = new Auth(
    options.jwtSecret ?? `emulator-secret-${randomUUID()}`,
    clock,
    options.accessTokenTtlSeconds ?? 86_400,
    options.refreshTokenTtlSeconds ?? 604_800
  )
  const store = new Store()
  const app: App = { store, auth, clock, profile, quirks: { updateMissingColumn: options.quirks?.updateMissingColumn ?? false } }

  // Users first (deterministic ids), so seeded revoked keys can name a real revoker.
  const userPrng = createPrng(seedValue ^ 0x5eed5eed)
  const mkUser = (email: string, password: string, role: PlatformUser['role'], fullName: string): PlatformUser => ({
    id: userPrng.uuid(), email, password, role, fullName, tenantIds: [], isActive: true,
    createdAt: startNow - 400 * 86_400_000, updatedAt: startNow - 400 * 86_400_000,
    lastLoginAt: null, failedAttempts: 0, lockedUntil: null, sessionId: null
  })
  const instanceAdmin = mkUser(DEMO_INSTANCE_ADMIN.email, DEMO_INSTANCE_ADMIN.password, 'instance_admin', 'Demo Instance Admin')
  const tenantAdmin = mkUser(DEMO_TENANT_ADMIN.email, DEMO_TENANT_ADMIN.password, 'tenant_admin', 'Demo Tenant Admin')
  auth.addUser(instanceAdmin)
  auth.addUser(tenantAdmin)

  const seeded = seedStore(store, {
    tenants: options.seed?.tenants ?? 0,
    keysPerTenant: options.seed?.keysPerTenant ?? DEFAULT_DEMO.keysPerTenant,
    seed: seedValue,
    now: startNow,
    format: profile,
    ...(options.seed ? {} : { names: DEFAULT_DEMO.names }),
    revokerId: instanceAdmin.id
  })
  tenantAdmin.tenantIds = seeded.tenants.filter((t) => !t.isDefault).slice(0, 2).map((t) => t.id)

  const faults = new FaultEngine(createPrng(seedValue ^ 0x9e3779b9))
  faults.set(options.faults ?? [])
  const idem = new IdempotencyCache(clock)
  const counts = new Map<string, number>()
  const log = options.log
  const baseLatency = Math.max(0, options.latencyMs ?? 0)

  const router = new Router()
  registerHealthRoutes(router, app)
  registerAuthRoutes(router, app)
  if (profile === 'current') {
    registerTenantRoutes(router, app)
    registerCurrentServiceKeys(router, app)
  } else {
    registerLegacyServiceKeys(router, app)
  }
  registerWhoami(router, app)

  let closed = false
  const timers = new Set<NodeJS.Timeout>()
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  /** Routing, the idempotency middleware, and panic recovery. */
  const dispatch = (ctx: Ctx): Reply => {
    const m = router.match(ctx.method, ctx.path)
    if (m.kind === 'notFound') return fiberError(ctx, 404, `Cannot ${ctx.method} ${ctx.path}`)
    if (m.kind === 'methodNotAllowed') {
      const r = fiberError(ctx, 405, 'Method Not Allowed')
      r.headers.allow = m.allow.join(', ')
      return r
    }
    ctx.params = m.params
    const idemKey = header(ctx, 'idempotency-key')
    let cacheKey: string | undefined
    if (idemKey && IdempotencyCache.applies(ctx.method, ctx.path)) {
      if (idemKey.length > IDEMPOTENCY_MAX_KEY) return fiberError(ctx, 400, 'Idempotency-Key must be at most 256 characters')
      const credential = `${header(ctx, 'authorization') ?? ''}\u0000${header(ctx, 'cookie') ?? ''}`
      cacheKey = IdempotencyCache.cacheKey(idemKey, ctx.method, ctx.path, credential)
      const hit = idem.get(cacheKey)
      if (hit) return { ...hit, headers: { ...hit.headers, 'idempotent-replayed': 'true' } }
    }
    let reply: Reply
    try {
      reply = m.handler(ctx)
    } catch (e) {
      log?.(`handler error on ${ctx.method} ${ctx.path}: ${e instanceof Error ? e.message : String(e)}`)
      reply = panicReply()
    }
    if (cacheKey) idem.put(cacheKey, reply)
    return reply
  }

  const routeKey = (method: string, path: string): string => {
    const m = router.match(method, path)
    return m.kind === 'found' || m.kind === 'methodNotAllowed' ? m.key : `${method} (unmatched)`
  }

  const write = async (res: ServerResponse, ctx: Ctx, reply: Reply, fault: FaultRule | undefined): Promise<void> => {
    const headers: Record<string, string> = { 'x-request-id': ctx.requestId, ...reply.headers }
    const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8')
    if (fault?.kind === 'truncated' && body) {
      // Valid status line and headers, no Content-Length, half the body, then a clean end.
      res.writeHead(reply.status, headers)
      res.end(body.subarray(0, Math.floor(body.length / 2)))
      return
    }
    if (body) headers['content-length'] = String(body.length)
    res.writeHead(reply.status, headers)
    if (fault?.kind === 'slowBody' && body && body.length > 0) {
      const total = faults.latency(fault, 1000)
      const chunks = Math.min(10, body.length)
      const size = Math.ceil(body.length / chunks)
      for (let off = 0; off < body.length; off += size) {
        if (closed || res.destroyed) return
        res.write(body.subarray(off, off + size))
        await sleep(Math.round(total / chunks))
      }
      res.end()
      return
    }
    res.end(body)
  }

  const faultReply = (ctx: Ctx, rule: FaultRule): Reply | undefined => {
    switch (rule.kind) {
      case 'status429': {
        const secs = rule.retryAfterSeconds ?? 1
        const r = jsonReply(429, {
          code: 'RATE_LIMIT_EXCEEDED',
          error: 'Rate limit exceeded',
          message: `Too many requests. Please try again in ${secs} seconds.`,
          retry_after: secs
        })
        r.headers['retry-after'] = String(secs)
        return r
      }
      case 'status500':
        return fiberError(ctx, 500, 'Internal Server Error')
      case 'status503':
        return fiberError(ctx, 503, 'Service Unavailable')
      case 'malformed':
        return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"id":"8f14e45f-ceea-4e7a",,"name": [tru' }
      default:
        return undefined
    }
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://emulator.invalid')
    const path = url.pathname
    const incomingId = req.headers['x-request-id']
    const requestId = typeof incomingId === 'string' && incomingId !== '' ? incomingId : randomUUID()
    const body = await readBody(req)
    if (closed) return
    const ctx: Ctx = { method, path, query: url.searchParams, headers: req.headers, rawBody: body ?? Buffer.alloc(0), requestId, params: {} }
    const done = (status: number | string, note = ''): void =>
      log?.(`${method} ${path} ${status} ${Math.round(performance.now() - started)}ms${note}`)

    if (path === '/__emulator' || path.startsWith('/__emulator/')) {
      const r = options.controlRoutes ? controlRoute(app, faults, () => ({ idempotency_entries: idem.size }), ctx) : undefined
      const reply = r ?? fiberError(ctx, 404, `Cannot ${method} ${path}`)
      await write(res, ctx, reply, undefined)
      done(reply.status)
      return
    }

    const key = routeKey(method, path)
    counts.set(key, (counts.get(key) ?? 0) + 1)
    if (body === undefined) {
      const reply = fiberError(ctx, 413, 'Request Entity Too Large')
      await write(res, ctx, reply, undefined)
      done(reply.status)
      return
    }
    const decision = faults.decide(method, path)
    const delay = baseLatency + decision.delayMs
    if (delay > 0) await sleep(delay)
    if (closed) return
    const fault = decision.outcome
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      done('reset', ' [fault reset]')
      return
    }
    const reply = (fault && faultReply(ctx, fault)) ?? dispatch(ctx)
    await write(res, ctx, reply, fault)
    done(reply.status, fault ? ` [fault ${fault.kind}]` : '')
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log?.(`emulator error: ${e instanceof Error ? e.message : String(e)}`)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(panicReplyBody()))
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const addr = server.address() as AddressInfo
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address

  const toPublic = (t: TenantRecord): EmulatorTenant => ({ id: t.id, slug: t.slug, name: t.name, isDefault: t.isDefault })

  return {
    url: `http://${host}:${addr.port}`,
    credentials: {
      instanceAdmin: { ...DEMO_INSTANCE_ADMIN },
      tenantAdmin: { ...DEMO_TENANT_ADMIN, tenantIds: [...tenantAdmin.tenantIds] }
    },
    get tenants() {
      return store.tenantList().map(toPublic)
    },
    clock: {
      now: () => clock.now(),
      set: (ms: number) => clock.set(ms),
      advance: (ms: number) => clock.advance(ms)
    },
    setFaults(rules: FaultRule[]) {
      faults.set(rules)
    },
    addTenant(t) {
      if (t.isDefault && store.defaultTenant()) throw new Error('a default tenant already exists')
      const now = clock.now()
      const slug = t.slug || slugify(t.name)
      return toPublic(store.addTenant({
        id: randomUUID(), slug, name: t.name, isDefault: t.isDefault ?? false,
        dbName: t.isDefault ? null : `tenant_${slug.replace(/-/g, '_')}`,
        status: 'active', metadata: {}, createdAt: now, updatedAt: now
      }))
    },
    requestCounts() {
      return Object.fromEntries(counts)
    },
    close() {
      closed = true
      for (const t of timers) clearTimeout(t)
      timers.clear()
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

function panicReplyBody(): unknown {
  return { error: 'Internal Server Error', code: 'INTERNAL_ERROR' }
}

/** The whole request body, or undefined when it exceeds the body limit. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > BODY_LIMIT) tooBig = true
      else chunks.push(c)
    })
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks)))
    req.on('error', () => resolve(undefined))
    req.on('aborted', () => resolve(undefined))
  })
}

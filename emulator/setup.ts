// The emulator's state before it serves anything: the clock, the demo users, the seeded data, the
// fault engine and the tenants whose database is marked down.
import { randomUUID } from 'node:crypto'
import type { App } from './app'
import { Auth, type PlatformUser } from './auth'
import { createClock } from './clock'
import { FaultEngine } from './faults'
import { createPrng, type Prng } from './prng'
import type { Profile } from './serialize'
import { seedStore } from './seed'
import { Store } from './store'
import { createTimeFormat } from './time-format'

export const DEMO_INSTANCE_ADMIN = { email: 'admin@fluxbase.local', password: 'fluxbase-demo-admin' } as const
export const DEMO_TENANT_ADMIN = { email: 'tenant-admin@fluxbase.local', password: 'fluxbase-demo-tenant' } as const

const DEFAULT_DEMO = { names: ['Default', 'Acme', 'Globex'], keysPerTenant: 6, seed: 20261128 }

export interface SetupOptions {
  profile: Profile
  now: number
  seed: { tenants: number; keysPerTenant: number; seed: number } | undefined
  jwtSecret: string | undefined
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
  utcOffsetMinutes: number
  serverFixed: boolean
  faults: Parameters<FaultEngine['set']>[0]
}

export interface EmulatorState {
  app: App
  faults: FaultEngine
  tenantAdmin: PlatformUser
  /** Tenant ids whose own database cannot be opened (setTenantDatabaseDown). */
  downTenants: Set<string>
}

export function createState(o: SetupOptions): EmulatorState {
  const clock = createClock(o.now)
  const seedValue = o.seed?.seed ?? DEFAULT_DEMO.seed
  const auth = new Auth(o.jwtSecret ?? `emulator-secret-${randomUUID()}`, clock, o.accessTokenTtlSeconds, o.refreshTokenTtlSeconds)
  const store = new Store()
  const faults = new FaultEngine(createPrng(seedValue ^ 0x9e3779b9))
  faults.set(o.faults)
  const downTenants = new Set<string>()
  const app: App = {
    store, auth, clock, profile: o.profile,
    time: createTimeFormat(o.utcOffsetMinutes),
    serverFixed: o.serverFixed,
    tenantDatabaseDown: (ctx, t) => downTenants.has(t.id) || faults.tenantDbDown(ctx.method, ctx.path, t.id)
  }
  const startNow = clock.now()
  // Users first (deterministic ids), so seeded revoked keys can name a real revoker.
  const { instanceAdmin, tenantAdmin } = addDemoUsers(auth, createPrng(seedValue ^ 0x5eed5eed), startNow)
  const seeded = seedStore(store, {
    tenants: o.seed?.tenants ?? 0,
    keysPerTenant: o.seed?.keysPerTenant ?? DEFAULT_DEMO.keysPerTenant,
    seed: seedValue,
    now: startNow,
    format: o.profile,
    ...(o.seed ? {} : { names: DEFAULT_DEMO.names }),
    revokerId: instanceAdmin.id
  })
  tenantAdmin.tenantIds = seeded.tenants.filter((t) => !t.isDefault && t.status === 'active').slice(0, 2).map((t) => t.id)
  return { app, faults, tenantAdmin, downTenants }
}

function addDemoUsers(auth: Auth, prng: Prng, now: number): { instanceAdmin: PlatformUser; tenantAdmin: PlatformUser } {
  const mk = (email: string, password: string, role: PlatformUser['role'], fullName: string): PlatformUser => ({
    id: prng.uuid(), email, password, role, fullName, tenantIds: [], isActive: true,
    createdAt: now - 400 * 86_400_000, updatedAt: now - 400 * 86_400_000,
    lastLoginAt: null, failedAttempts: 0, lockedUntil: null, sessionId: null
  })
  const instanceAdmin = mk(DEMO_INSTANCE_ADMIN.email, DEMO_INSTANCE_ADMIN.password, 'instance_admin', 'Demo Instance Admin')
  const tenantAdmin = mk(DEMO_TENANT_ADMIN.email, DEMO_TENANT_ADMIN.password, 'tenant_admin', 'Demo Tenant Admin')
  auth.addUser(instanceAdmin)
  auth.addUser(tenantAdmin)
  return { instanceAdmin, tenantAdmin }
}

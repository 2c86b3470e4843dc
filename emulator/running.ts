// The RunningEmulator handle a test, benchmark or the CLI holds.
import { randomUUID } from 'node:crypto'
import type { EmulatorStats, EmulatorTenant, RunningEmulator } from './types'
import type { GlobalRateLimiter } from './rate-limit'
import type { RequestCounters } from './request-handler'
import { slugify } from './seed'
import type { Listening } from './server'
import { DEMO_INSTANCE_ADMIN, DEMO_TENANT_ADMIN, type EmulatorState } from './setup'
import type { TenantRecord } from './store'

export interface RunningEmulatorBuilder {
  setTenantDatabaseDown(tenantId: string, down: boolean): void
  /** Counters for GET /__emulator/state. */
  statsFields(): Record<string, number>
  finish(server: Listening): RunningEmulator
}

const toPublic = (t: TenantRecord): EmulatorTenant => ({ id: t.id, slug: t.slug, name: t.name, isDefault: t.isDefault, status: t.status })

export function runningEmulator(state: EmulatorState, counters: RequestCounters, limiter: GlobalRateLimiter | undefined): RunningEmulatorBuilder {
  const { app, faults, tenantAdmin, downTenants } = state
  const { store, clock } = app
  const stats = (): EmulatorStats => ({ requests: counters.total, rateLimited: limiter?.rateLimited ?? 0 })

  const setTenantDatabaseDown = (tenantId: string, down: boolean): void => {
    const t = store.tenants.get(tenantId.toLowerCase())
    if (!t) throw new Error(`no tenant with id ${tenantId}`)
    if (t.dbName === null) throw new Error(`tenant ${tenantId} uses the main database (it has no database of its own to take down)`)
    if (down) downTenants.add(t.id)
    else downTenants.delete(t.id)
  }

  const addTenant: RunningEmulator['addTenant'] = (t) => {
    if (t.isDefault && store.defaultTenant()) throw new Error('a default tenant already exists')
    const now = clock.now()
    const slug = t.slug || slugify(t.name)
    return toPublic(store.addTenant({
      id: randomUUID(), slug, name: t.name, isDefault: t.isDefault ?? false,
      dbName: t.isDefault ? null : `tenant_${slug.replace(/-/g, '_')}`,
      status: t.status ?? 'active', metadata: {}, createdAt: now, updatedAt: now
    }))
  }

  return {
    setTenantDatabaseDown,
    statsFields: () => ({ requests: counters.total, rate_limited: limiter?.rateLimited ?? 0 }),
    finish: (server) => ({
      url: server.url,
      credentials: {
        instanceAdmin: { ...DEMO_INSTANCE_ADMIN },
        tenantAdmin: { ...DEMO_TENANT_ADMIN, tenantIds: [...tenantAdmin.tenantIds] }
      },
      get tenants() {
        return store.activeTenants().map(toPublic)
      },
      get allTenants() {
        return store.tenantList().map(toPublic)
      },
      clock: {
        now: () => clock.now(),
        set: (ms: number) => clock.set(ms),
        advance: (ms: number) => clock.advance(ms)
      },
      setFaults: (rules) => faults.set(rules),
      setTenantDatabaseDown,
      addTenant,
      requestCounts: () => Object.fromEntries(counters.byRoute),
      stats,
      close: () => server.close()
    })
  }
}

// Multi-tenant sync through the real core against the emulator with injected faults.
import { afterEach, describe, expect, it } from 'vitest'
import type { TenantOverview } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const KEYS_PER_TENANT = 5
const LIST_PATH = '^/api/v1/admin/service-keys$'

describe('sync of 200 tenants', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('ends with every reachable tenant fresh, the rest stale with reasons, and no cached rows lost', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 200, keysPerTenant: KEYS_PER_TENANT, seed: 7 } } })
    await fx.onboard()
    const first = await fx.call('tenants.list', {})
    expect(first).toHaveLength(fx.emulator.tenants.length)
    expect(first.every((t) => t.sync.kind === 'fresh')).toBe(true)
    const countsBefore = new Map(first.map((t) => [t.id, t.total]))
    const totalBefore = (await fx.call('inventory.query', { limit: 1 })).total
    // The server lists active tenants only (reference §1.5): the seed's others are not synced.
    expect(fx.emulator.tenants.length).toBeLessThan(fx.emulator.allTenants.length)
    expect(totalBefore).toBeGreaterThanOrEqual(fx.emulator.tenants.length * KEYS_PER_TENANT)

    // Transient faults the client must ride out (retries with backoff on these reads) ...
    // ... and a burst of hard failures early on that exhausts the retries of a few tenants.
    fx.emulator.setFaults([
      { method: 'GET', path: LIST_PATH, kind: 'status500', count: 32 },
      { method: 'GET', path: LIST_PATH, kind: 'status429', rate: 0.1, retryAfterSeconds: 0 },
      { method: 'GET', path: LIST_PATH, kind: 'reset', rate: 0.05 },
      { method: 'GET', path: LIST_PATH, kind: 'malformed', rate: 0.05 },
      { method: 'GET', path: LIST_PATH, kind: 'status503', rate: 0.05 },
      { method: 'GET', path: LIST_PATH, kind: 'latency', rate: 0.3, latencyMs: 20, jitterMs: 10 }
    ])
    // 8 in flight: the 32 hard failures then exhaust the 4 attempts of up to 8 tenants. At a
    // higher concurrency they spread thinner, and a run can end with no tenant failing.
    await fx.call('settings.set', { syncConcurrency: 8 })
    const progress: number[] = []
    const off = fx.host.onEvent((event, payload) => {
      if (event === 'sync.progress') progress.push((payload as { done: number }).done)
    })
    const summary = await fx.call('sync.run', {})
    off()
    expect(summary.tenants).toBe(fx.emulator.tenants.length)
    expect(summary.ok + summary.failed).toBe(summary.tenants)
    // The 32 hard failures exhaust the retries of the first tenants in flight (4 attempts each).
    expect(summary.failed).toBeGreaterThanOrEqual(1)
    expect(summary.failed).toBeLessThanOrEqual(8)
    console.log(`sync under faults: ${summary.ok} fresh, ${summary.failed} stale, ${summary.durationMs} ms`)
    expect(progress.at(-1)).toBe(summary.tenants)

    const after: TenantOverview[] = await fx.call('tenants.list', {})
    const stale = after.filter((t) => t.sync.kind === 'stale')
    expect(stale.length).toBe(summary.failed)
    for (const tenant of after) {
      if (tenant.sync.kind === 'stale') {
        expect(tenant.sync.reason.length).toBeGreaterThan(10)
        expect(tenant.sync.lastGoodAt).not.toBeNull()
      } else {
        expect(tenant.sync.kind).toBe('fresh')
      }
      // Nothing changed on the server, so every tenant keeps exactly its rows.
      expect(tenant.total).toBe(countsBefore.get(tenant.id))
    }
    expect((await fx.call('inventory.query', { limit: 1 })).total).toBe(totalBefore)
  }, 120_000)

  it('keeps the whole inventory browsable offline and reports it', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 5, keysPerTenant: 4, seed: 3 } } })
    await fx.onboard()
    const before = await fx.call('inventory.query', {})
    const asOf = (await fx.call('app.status', {})).lastSyncAt
    expect(asOf).not.toBeNull()
    await fx.emulator.close()
    const summary = await fx.call('sync.run', {})
    expect(summary.ok).toBe(0)
    const status = await fx.call('app.status', {})
    expect(status.offline).toBe(true)
    expect(status.offlineReason).toMatch(/^Could not reach .* You are looking at the cached inventory\.$/)
    expect(status.unreachable).toHaveLength(1)
    // "As of" is the last successful sync, not the failed attempt.
    expect(status.lastSyncAt).toBe(asOf)
    const after = await fx.call('inventory.query', {})
    expect(after.total).toBe(before.total)
    const tenants = await fx.call('tenants.list', {})
    expect(tenants.every((t) => t.sync.kind === 'stale')).toBe(true)
  }, 60_000)

  it('is cancellable: pending tenants are skipped and keep their state', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 40, keysPerTenant: 2, seed: 5 }, latencyMs: 100 } })
    const { instanceAdmin } = fx.emulator.credentials
    await fx.call('instances.add', { baseUrl: fx.emulator.url, auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password } })
    await fx.call('settings.set', { syncConcurrency: 2 })
    const running = fx.call('sync.run', {})
    await new Promise((r) => setTimeout(r, 350))
    await fx.call('sync.cancel', {})
    const summary = await running
    expect(summary.cancelled).toBe(true)
    expect(summary.ok).toBeLessThan(summary.tenants)
    const tenants = await fx.call('tenants.list', {})
    expect(tenants.filter((t) => t.sync.kind === 'never').length).toBeGreaterThan(0)
  }, 60_000)
})

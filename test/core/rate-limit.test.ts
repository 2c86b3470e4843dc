// Sync and actions through the real core against a server with its global rate limiter on
// (reference §1.4), with small windows so the test is short.
import { afterEach, describe, expect, it } from 'vitest'
import type { AppStatus } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const LIST_PATH = '^/api/v1/admin/service-keys$'

describe('a rate-limited server', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('syncs every tenant within its budget, says it is waiting, and an action asked meanwhile goes first', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 40, keysPerTenant: 3, seed: 4 }, rateLimit: { max: 15, windowMs: 2000 } } })
    const statuses: AppStatus[] = []
    fx.host.onEvent((event, payload) => { if (event === 'app.status') statuses.push(payload as AppStatus) })
    const { instanceId } = await fx.onboard()
    const tenants = await fx.call('tenants.list', {})
    expect(tenants.every((t) => t.sync.kind === 'fresh')).toBe(true)
    const total = (await fx.call('inventory.query', { limit: 1 })).total
    expect(total).toBe(tenants.reduce((n, t) => n + t.total, 0))
    // The wait was shown (the UI says "rate limited ..., next batch in N s"), and cleared after.
    expect(statuses.some((s) => s.rateLimited.some((w) => w.instanceId === instanceId))).toBe(true)
    expect((await fx.call('app.status', {})).rateLimited).toEqual([])
    expect(fx.emulator.stats().rateLimited).toBeLessThanOrEqual(2)

    // An operator's action during a sync shares the one budget and does not wait behind it.
    const tenantId = tenants.find((t) => !t.isDefault)!.id
    const syncing = fx.call('sync.run', {})
    await new Promise((r) => setTimeout(r, 100))
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'during-a-limited-sync', keyType: 'service', scopes: ['*'] } })
    const createdAt = Date.now()
    await syncing
    const syncEnded = Date.now()
    expect(created.key.name).toBe('during-a-limited-sync')
    expect(syncEnded - createdAt).toBeGreaterThan(500)
    expect(fx.emulator.stats().rateLimited).toBeLessThanOrEqual(3)
  }, 120_000)

  it('a storm of 429s never loses or doubles a row: the re-sync ends with exactly the server keys', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 20, keysPerTenant: 4, seed: 8 } } })
    await fx.onboard()
    const before = await fx.call('inventory.query', { limit: 1000 })
    fx.emulator.setFaults([{ method: 'GET', path: LIST_PATH, kind: 'status429', rate: 0.6, retryAfterSeconds: 0 }])
    await fx.call('sync.run', {})
    fx.emulator.setFaults([])
    await fx.call('sync.run', {})
    const after = await fx.call('inventory.query', { limit: 1000 })
    expect(after.total).toBe(before.total)
    expect(new Set(after.rows.map((r) => r.id)).size).toBe(after.rows.length)
    expect(after.rows.map((r) => r.id).sort()).toEqual(before.rows.map((r) => r.id).sort())
  }, 60_000)
})

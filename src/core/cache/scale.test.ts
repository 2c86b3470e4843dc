// 2,000 tenants x 100 keys: every query type the UI issues returns what the plain-JS model
// says. No timing assertions (machines are noisy); timings are printed for the record.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCache, type Cache, type InventoryQuery, type TenantReplacement } from './index'
import { DAY, instance, modelQuery, NOW, randomKey, rng, tempDir, uuidOf, type ModelKey } from '../../../test/support/cache-fixtures'
import { removeTempDir } from '../../../test/support/temp'

const TENANTS = 2000
const PER_TENANT = 100
const BATCH = 50
let c: Cache
let dir = ''
const model: ModelKey[] = []
const timings: string[] = []

beforeAll(async () => {
  dir = tempDir()
  c = openCache(path.join(dir, 'scale.sqlite'))
  c.upsertInstance(instance('inst-a', 'Alpha'))
  const r = rng(2026)
  const tenants = Array.from({ length: TENANTS }, (_, t) => ({ id: uuidOf(t, 0xabc), slug: `t${t}`, name: `Tenant ${t}`, isDefault: t === 0 }))
  c.upsertTenants('inst-a', tenants)
  const started = performance.now()
  // Written as a first sync writes them: a bulk load (rows first, indexes once at the end) in
  // group commits of several tenants (see sync/group-commit.ts, cache/bulk-load.ts).
  expect(c.beginBulkLoad()).toBe(true)
  let batch: TenantReplacement[] = []
  for (const [t, tenant] of tenants.entries()) {
    const keys = Array.from({ length: PER_TENANT }, (_, k) => randomKey(r, uuidOf(t + 10_000, k), t * PER_TENANT + k))
    batch.push({ instanceId: 'inst-a', tenantId: tenant.id, keys, syncedAt: 'S' })
    if (batch.length === BATCH) {
      expect(c.replaceManyTenantKeys(batch).every((o) => o.ok)).toBe(true)
      batch = []
    }
    for (const k of keys) {
      model.push({ ...k, instanceId: 'inst-a', tenantId: tenant.id, tenantName: tenant.name, tenantSlug: tenant.slug, instanceLabel: 'Alpha', syncedAt: 'S', localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null })
    }
  }
  c.replaceManyTenantKeys(batch)
  const rowsDone = performance.now()
  expect(await c.finishBulkLoad()).toBe(true)
  timings.push(`  of which building indexes and full-text entries at the end: ${(performance.now() - rowsDone).toFixed(0)} ms`)
  timings.push(`first fill of ${model.length} keys: ${(performance.now() - started).toFixed(0)} ms`)
}, 240_000)

afterAll(async () => {
  await c.close()
  removeTempDir(dir) // ~200 MB: not left for the end of the run
  console.log(`cache at ${TENANTS * PER_TENANT} keys:\n  ${timings.join('\n  ')}`)
})

const QUERIES: Array<[string, InventoryQuery]> = [
  ['one page of 100', {}],
  ['text search', { text: 'billing' }],
  ['rare text', { text: 'team 42' }],
  ['status filter (grace)', { statuses: ['grace'] }],
  ['status filter (active)', { statuses: ['active'] }],
  ['expiring within 7 days', { expiringWithinMs: 7 * DAY }],
  ['sort by grace end', { sort: { column: 'graceEndsAt', direction: 'asc' } }],
  ['unused for 90 days', { unusedForDays: 90 }],
  ['tenant filter', { tenantIds: [uuidOf(1234, 0xabc)] }],
  ['sort by tenant', { sort: { column: 'tenant', direction: 'desc' } }],
  ['sort by status', { sort: { column: 'status', direction: 'asc' }, offset: 150_000 }],
  ['deep page', { offset: 100_000 }]
]

describe('200,000 keys', () => {
  it.each(QUERIES)('%s', (name, q) => {
    const got = c.queryInventory(q, NOW)
    const want = modelQuery(model, q, NOW)
    expect(got.total).toBe(want.total)
    expect(got.rows.map((r) => r.id)).toEqual(want.ids)
    expect(want.total).toBeGreaterThan(0)
    const samples: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      c.queryInventory(q, NOW)
      samples.push(performance.now() - t0)
    }
    samples.sort((a, b) => a - b)
    timings.push(`${name.padEnd(24)} total ${String(got.total).padStart(6)}  median ${samples[2]?.toFixed(1)} ms`)
  })

  it('re-sync of every tenant with changed last_used_at', () => {
    const byTenant = new Map<string, ModelKey[]>()
    for (const k of model) byTenant.set(k.tenantId, [...(byTenant.get(k.tenantId) ?? []), k])
    const stamp = new Date(NOW - 3_600_000).toISOString()
    const started = performance.now()
    let updated = 0
    const items = [...byTenant].map(([tenantId, keys]) => ({ instanceId: 'inst-a', tenantId, keys: keys.map((k) => ({ ...k, lastUsedAt: stamp })), syncedAt: 'S2' }))
    for (let i = 0; i < items.length; i += BATCH) {
      for (const outcome of c.replaceManyTenantKeys(items.slice(i, i + BATCH))) if (outcome.ok) updated += outcome.result.updated
    }
    timings.push(`full re-sync, every last_used_at changed: ${(performance.now() - started).toFixed(0)} ms`)
    expect(updated).toBe(model.length)
    expect(c.queryInventory({ unusedForDays: 1 }, NOW).total).toBe(0)
  }, 120_000)
})

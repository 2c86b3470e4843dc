import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KEY_STATUSES, type KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import Database from 'better-sqlite3'
import { openCache, type Cache, type InventoryQuery, type SortColumn } from './index'
import { COUNT_CAP, createInventoryQueries } from './inventory-query'
import { DAY, instance, modelFilter, modelQuery, NOW, randomKey, rng, tempDir, uuidOf, type ModelKey, replaceTenantKeys } from '../../../test/support/cache-fixtures'

let c: Cache
let cacheFile = ''
const model: ModelKey[] = []
const tenantIds: string[] = []

beforeAll(() => {
  cacheFile = path.join(tempDir(), 'inv.sqlite')
  c = openCache(cacheFile)
  const r = rng(7)
  c.upsertInstance(instance('inst-a', 'Alpha'))
  c.upsertInstance(instance('inst-b', 'Beta'))
  for (let t = 0; t < 20; t++) {
    const instanceId = t % 3 === 0 ? 'inst-b' : 'inst-a'
    const id = uuidOf(500 + t, 1)
    // Some tenants share a name: the tenant sort must still be total.
    const tenantName = t % 7 === 0 ? 'Shared name' : `${t % 2 ? 'acme' : 'Acme'} tenant ${t}`
    tenantIds.push(id)
    c.upsertTenants(instanceId, [{ id, slug: `t${t}`, name: tenantName, isDefault: false }])
    const keys = Array.from({ length: 100 }, (_, k) => randomKey(r, uuidOf(600 + t, k), t * 100 + k))
    replaceTenantKeys(c, instanceId, id, keys, 'S')
    for (const k of keys) {
      const local = {
        localGraceEndsAt: k.deprecatedAt && r() < 0.5 ? new Date(NOW + Math.round((r() * 2 - 1) * 10 * DAY)).toISOString() : null,
        revocationReason: null,
        hasStoredValue: r() < 0.2,
        orphan: r() < 0.03,
        localReplacedBy: null
      }
      if (local.localGraceEndsAt || local.hasStoredValue || local.orphan) c.patchLocal({ instanceId, tenantId: id, keyId: k.id }, local)
      model.push({ ...k, ...local, instanceId, tenantId: id, syncedAt: 'S', tenantName, tenantSlug: `t${t}`, instanceLabel: instanceId === 'inst-a' ? 'Alpha' : 'Beta' })
    }
  }
})
afterAll(() => c.close())

/** Every matching row, through pages of 1000. */
function all(q: InventoryQuery, now: number) {
  const rows = []
  let total = -1
  for (let offset = 0; ; offset += 1000) {
    const page = c.queryInventory({ ...q, offset, limit: 1000 }, now)
    total = page.total
    rows.push(...page.rows)
    if (page.rows.length < 1000) break
  }
  return { rows, total }
}

const nowValues = (): number[] => {
  // Around NOW, and exactly on dates the fixtures contain (boundaries of <= and >).
  const exact = model.map((k) => k.expiresAt).filter((x): x is string => !!x && !Number.isNaN(Date.parse(x)))
  return [NOW, NOW - 30 * DAY, NOW - DAY, NOW + 1, NOW + DAY, NOW + 45 * DAY, Date.parse(exact[3] ?? ''), Date.parse(exact[17] ?? '')]
}

describe('status filter is keyStatus', () => {
  it('for every status and several nows, on 2,000 random keys', () => {
    for (const now of nowValues()) {
      const byStatus = new Map<KeyStatus, string[]>(KEY_STATUSES.map((s) => [s, []]))
      for (const k of model) byStatus.get(keyStatus(k, now))?.push(k.id)
      let seen = 0
      for (const s of KEY_STATUSES) {
        const got = all({ statuses: [s] }, now)
        expect(got.total).toBe(byStatus.get(s)?.length)
        expect(got.rows.map((r) => r.id).sort()).toEqual([...(byStatus.get(s) ?? [])].sort())
        for (const row of got.rows) expect(row.status).toBe(keyStatus(row, now))
        seen += got.total
      }
      expect(seen).toBe(model.length)
      // Per-tenant counts agree too.
      for (const t of c.statusCounts(now)) {
        for (const s of KEY_STATUSES) {
          expect(t.counts[s]).toBe(model.filter((k) => k.tenantId === t.tenantId && keyStatus(k, now) === s).length)
        }
      }
    }
  })

  it('combined statuses are the union', () => {
    const q: InventoryQuery = { statuses: ['grace', 'expired', 'revoked'] }
    expect(all(q, NOW).rows.map((r) => r.id).sort()).toEqual(modelFilter(model, q, NOW).map((k) => k.id).sort())
  })
})

const SORTS: SortColumn[] = ['name', 'tenant', 'keyType', 'keyPrefix', 'status', 'createdAt', 'lastUsedAt', 'expiresAt', 'graceEndsAt']
const FILTERS: Array<[string, InventoryQuery]> = [
  ['none', {}],
  ['instance', { instanceId: 'inst-b' }],
  ['tenants', { tenantIds: [uuidOf(501, 1), uuidOf(504, 1)] }],
  ['key types', { keyTypes: ['anon', 'publishable'] }],
  ['statuses', { statuses: ['active', 'grace_ended'] }],
  ['text 3+ chars, mixed case', { text: 'OrDeRs' }],
  ['text in description', { text: 'team 4' }],
  ['text non-ascii', { text: 'über' }],
  ['text 2 chars', { text: 'RS' }],
  ['text with LIKE wildcards', { text: '%_' }],
  ['text with quotes', { text: '"x' }],
  ['text in scopes', { text: 'storage:read' }],
  ['text in a tenant name', { text: 'tenant 1' }],
  ['text in a tenant slug, short', { text: 't7' }],
  ['text in an instance label', { text: 'alpha' }],
  ['instance label + key text', { text: 'eta' }],
  ['expiring within 7 days', { expiringWithinMs: 7 * DAY }],
  ['grace ending within 7 days', { graceEndingWithinMs: 7 * DAY }],
  ['unused for 90 days', { unusedForDays: 90 }],
  ['orphans', { orphansOnly: true }],
  ['combined', { instanceId: 'inst-a', statuses: ['active', 'grace', 'expired'], text: 'ing', unusedForDays: 30 }],
  ['tenant + text', { tenantIds: [uuidOf(502, 1)], text: 'key' }],
  ['tenants + non-ascii text (scanned)', { tenantIds: [500, 501, 502, 503, 504, 505].map((t) => uuidOf(t, 1)), text: 'ÜBER' }],
  ['tenants of another instance', { instanceId: 'inst-a', tenantIds: [uuidOf(500, 1), uuidOf(501, 1)] }]
]

describe('filters and sorts agree with a plain-JS model', () => {
  it.each(FILTERS)('filter: %s, every sort, both directions', (_name, filter) => {
    const total = modelFilter(model, filter, NOW).length
    for (const column of SORTS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const [offset, limit] of [[0, 100], [37, 25]] as const) {
          const q: InventoryQuery = { ...filter, sort: { column, direction }, offset, limit }
          const got = c.queryInventory(q, NOW)
          const want = modelQuery(model, q, NOW)
          expect(got.total, `${column} ${direction} total`).toBe(total)
          expect(got.rows.map((r) => r.id), `${column} ${direction} @${offset}`).toEqual(want.ids)
        }
      }
    }
  })

  it.each(FILTERS)('filter: %s, capped count: same rows, total up to COUNT_CAP, exact count on request', (_name, filter) => {
    const total = modelFilter(model, filter, NOW).length
    expect(c.countInventory({ ...filter, offset: 500, limit: 3, sort: { column: 'status', direction: 'desc' } }, NOW)).toBe(total)
    for (const column of ['name', 'tenant', 'lastUsedAt'] as const) {
      for (const [offset, limit] of [[0, 200], [1100, 200]] as const) {
        const q: InventoryQuery = { ...filter, sort: { column, direction: 'asc' }, offset, limit }
        const got = c.queryInventory({ ...q, count: 'capped' }, NOW)
        expect(got.rows.map((r) => r.id), `${column} @${offset}`).toEqual(modelQuery(model, q, NOW).ids)
        expect({ total: got.total, exact: got.totalExact }).toEqual(total > COUNT_CAP ? { total: COUNT_CAP, exact: false } : { total, exact: true })
      }
    }
  })

  it('answers text searches without the full-text table (a file that lacks it), by scanning', () => {
    const file = path.join(tempDir(), 'no-fts.sqlite')
    const source = new Database(cacheFile, { readonly: true })
    source.prepare('VACUUM INTO ?').run(file)
    source.close()
    const db = new Database(file)
    db.exec('DROP TRIGGER keys_fts_insert; DROP TRIGGER keys_fts_delete; DROP TRIGGER keys_fts_update; DROP TABLE keys_fts')
    const bare = createInventoryQueries(db)
    for (const [name, filter] of FILTERS.filter(([n]) => n.startsWith('text'))) {
      const q: InventoryQuery = { ...filter, limit: 50 }
      expect(bare.queryInventory(q, NOW).rows.map((r) => r.id), name).toEqual(modelQuery(model, q, NOW).ids)
      expect(bare.countInventory(q, NOW), name).toBe(modelFilter(model, q, NOW).length)
    }
    db.close()
  })

  it('has non-trivial results for the fixtures (the model is not vacuous)', () => {
    for (const [name, f] of FILTERS) {
      const n = modelFilter(model, f, NOW).length
      if (name !== 'text with quotes' && name !== 'text with LIKE wildcards') expect(n, name).toBeGreaterThan(0)
    }
  })
})

describe('paging', () => {
  it('walks every row exactly once, for a sort with many ties, in both directions', () => {
    for (const direction of ['asc', 'desc'] as const) {
      const seen: string[] = []
      for (let offset = 0; offset < 2100; offset += 70) {
        const p = c.queryInventory({ sort: { column: 'keyType', direction }, offset, limit: 70 }, NOW)
        expect(p.total).toBe(2000)
        seen.push(...p.rows.map((r) => r.id))
      }
      expect(seen).toHaveLength(2000)
      expect(new Set(seen).size).toBe(2000)
    }
  })

  it('defaults to name asc, 100 rows; caps the limit at 1000; an offset past the end is empty', () => {
    const p = c.queryInventory({}, NOW)
    expect(p.rows).toHaveLength(100)
    expect(p.rows.map((r) => r.id)).toEqual(modelQuery(model, { sort: { column: 'name', direction: 'asc' } }, NOW).ids)
    expect(c.queryInventory({ limit: 5000 }, NOW).rows).toHaveLength(1000)
    expect(c.queryInventory({ offset: 5000 }, NOW)).toEqual({ rows: [], total: 2000, totalExact: true })
  })

  it('rows carry tenant and instance labels and the local facts', () => {
    const [row] = c.queryInventory({ orphansOnly: true, limit: 1 }, NOW).rows
    const m = model.find((k) => k.id === row?.id)
    expect(row).toMatchObject({ tenantName: m?.tenantName, orphan: true, instanceLabel: m?.instanceId === 'inst-a' ? 'Alpha' : 'Beta' })
    expect(row?.tenantSlug).toMatch(/^t\d+$/)
  })
})

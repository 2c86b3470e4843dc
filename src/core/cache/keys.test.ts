import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyRef } from '../../shared/domain'
import { openCache, type Cache, type ServerKey } from './index'
import { DAY, instance, NOW, serverKey, tempDir, uuidOf, replaceTenantKeys } from '../../../test/support/cache-fixtures'

const T1 = uuidOf(10, 1)
const T2 = uuidOf(10, 2)
let c: Cache
let file: string
beforeEach(() => {
  file = path.join(tempDir(), 'c.sqlite')
  c = openCache(file)
  c.upsertInstance(instance('i1'))
  c.upsertTenants('i1', [
    { id: T1, slug: 'one', name: 'One', isDefault: true },
    { id: T2, slug: 'two', name: 'Two', isDefault: false }
  ])
})
afterEach(() => c.close())

const ref = (keyId: string, tenantId = T1): KeyRef => ({ instanceId: 'i1', tenantId, keyId })
const K = (n: number, extra: Partial<ServerKey> = {}) => serverKey({ id: uuidOf(20, n), name: `name${n}zz`, keyPrefix: `fbk_pfx${n}zz`, ...extra })

describe('keys', () => {
  it('stores every server field and round-trips them', () => {
    const k = K(1, {
      description: 'd', keyType: 'anon', scopes: ['tables:read'], allowedNamespaces: ['a', 'b'], enabled: false,
      rateLimitPerMinute: 60, rateLimitPerHour: 600, createdBy: uuidOf(1, 9), lastUsedAt: '2026-05-01T00:00:00.000Z',
      expiresAt: '2026-07-01T00:00:00.000Z', revokedAt: null, deprecatedAt: '2026-05-02T00:00:00.000Z',
      gracePeriodEndsAt: '2026-05-09T00:00:00.000Z', replacedBy: uuidOf(20, 2)
    })
    c.upsertKey('i1', T1, k, 'S1')
    expect(c.getKey(ref(k.id))).toEqual({
      ...k, instanceId: 'i1', tenantId: T1, localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null, syncedAt: 'S1'
    })
    expect(c.getKey(ref(k.id, T2))).toBeNull()
  })

  it('has no column that could hold a key value, token or password', () => {
    const raw = new Database(file, { readonly: true })
    const tables = raw.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()
    for (const t of tables) {
      const cols = raw.prepare<[], string>(`SELECT name FROM pragma_table_info('${t}')`).pluck().all()
      for (const col of cols) expect(col).not.toMatch(/^(key|value_secret|token|password|secret|key_hash|api_key)$/)
    }
    raw.close()
  })

  it('replaceTenantKeys: adds, updates, removes, keeps local facts of survivors, leaves other tenants alone', () => {
    replaceTenantKeys(c, 'i1', T1, [K(1), K(2), K(3)], 'S1')
    replaceTenantKeys(c, 'i1', T2, [K(9)], 'S1')
    c.patchLocal(ref(uuidOf(20, 1)), { hasStoredValue: true, localGraceEndsAt: '2026-06-08T00:00:00.000Z', revocationReason: 'r' })
    c.patchLocal(ref(uuidOf(20, 2)), { orphan: true })
    const res = replaceTenantKeys(c, 'i1', T1, [K(1, { name: 'renamed' }), K(3), K(4)], 'S2')
    expect(res).toEqual({ added: [uuidOf(20, 4)], removed: [uuidOf(20, 2)], updated: 1 })
    const k1 = c.getKey(ref(uuidOf(20, 1)))
    expect(k1).toMatchObject({ name: 'renamed', hasStoredValue: true, localGraceEndsAt: '2026-06-08T00:00:00.000Z', revocationReason: 'r', syncedAt: 'S2' })
    expect(c.getKey(ref(uuidOf(20, 3)))?.syncedAt).toBe('S2')
    expect(c.getKey(ref(uuidOf(20, 2)))).toBeNull()
    expect(c.getKey(ref(uuidOf(20, 9), T2))?.syncedAt).toBe('S1')
    // Renamed keys are found by the new name only (the search index follows).
    expect(c.queryInventory({ text: 'renamed' }, NOW).total).toBe(1)
    expect(c.queryInventory({ text: 'name1zz' }, NOW).total).toBe(0)
    expect(replaceTenantKeys(c, 'i1', T1, [K(1, { name: 'renamed' }), K(3), K(4)], 'S3')).toEqual({ added: [], removed: [], updated: 0 })
  })

  it('a failing replace keeps the previous rows', () => {
    replaceTenantKeys(c, 'i1', T1, [K(1), K(2)], 'S1')
    const bad = { ...K(5), name: null } as unknown as ServerKey
    expect(() => replaceTenantKeys(c, 'i1', T1, [K(3), K(4), bad], 'S2')).toThrow()
    const q = c.queryInventory({ tenantIds: [T1] }, NOW)
    expect(q.rows.map((r) => r.id).sort()).toEqual([uuidOf(20, 1), uuidOf(20, 2)].sort())
    expect(q.rows.every((r) => r.syncedAt === 'S1')).toBe(true)
    expect(c.queryInventory({ text: 'name3zz' }, NOW).total).toBe(0)
    expect(c.queryInventory({ text: 'name1zz' }, NOW).total).toBe(1)
  })

  it('needs the tenant to exist (keys hang off their tenant)', () => {
    expect(() => replaceTenantKeys(c, 'i1', uuidOf(99, 9), [K(1)], 'S')).toThrow(/FOREIGN KEY/)
  })

  it('upsertKey merges local facts; patchLocal recomputes the effective grace end', () => {
    const deprecated = K(1, { deprecatedAt: '2026-05-30T00:00:00.000Z' })
    c.upsertKey('i1', T1, deprecated, 'S1', { hasStoredValue: true })
    expect(c.queryInventory({ statuses: ['grace_ended'] }, NOW).total).toBe(1)
    c.patchLocal(ref(deprecated.id), { localGraceEndsAt: new Date(NOW + DAY).toISOString() })
    expect(c.queryInventory({ statuses: ['grace'] }, NOW).rows.map((r) => r.id)).toEqual([deprecated.id])
    expect(c.queryInventory({ graceEndingWithinMs: 2 * DAY }, NOW).total).toBe(1)
    // The server's grace end wins over the local one.
    c.upsertKey('i1', T1, { ...deprecated, gracePeriodEndsAt: new Date(NOW - DAY).toISOString() }, 'S2')
    expect(c.getKey(ref(deprecated.id))).toMatchObject({ hasStoredValue: true, localGraceEndsAt: new Date(NOW + DAY).toISOString(), syncedAt: 'S2' })
    expect(c.queryInventory({ statuses: ['grace_ended'] }, NOW).total).toBe(1)
    c.upsertKey('i1', T1, deprecated, 'S3', { localGraceEndsAt: null, orphan: true })
    expect(c.getKey(ref(deprecated.id))).toMatchObject({ localGraceEndsAt: null, orphan: true, hasStoredValue: true })
    expect(() => c.patchLocal(ref(uuidOf(77, 7)), { orphan: true })).toThrow(/not in the cache/)
  })

  it('removeKey', () => {
    replaceTenantKeys(c, 'i1', T1, [K(1), K(2)], 'S1')
    replaceTenantKeys(c, 'i1', T2, [K(3)], 'S1')
    c.removeKey(ref(uuidOf(20, 1)))
    c.removeKey(ref(uuidOf(20, 1))) // idempotent
    expect(c.getKey(ref(uuidOf(20, 1)))).toBeNull()
    expect(c.queryInventory({}, NOW).total).toBe(2)
  })

  it('scheduledKeys: not revoked, with an expiry or a server or local grace end', () => {
    const iso = (d: number) => new Date(NOW + d * DAY).toISOString()
    replaceTenantKeys(c, 'i1', T1, [
      K(1), // nothing scheduled
      K(2, { expiresAt: iso(3) }),
      K(3, { deprecatedAt: iso(-1), gracePeriodEndsAt: iso(2) }),
      K(4, { deprecatedAt: iso(-1) }), // local grace below
      K(5, { expiresAt: iso(3), revokedAt: iso(-1) }), // revoked: not watched
      K(6, { expiresAt: iso(-3), enabled: false })
    ], 'S')
    c.patchLocal(ref(uuidOf(20, 4)), { localGraceEndsAt: iso(1) })
    expect([...c.scheduledKeys()].map((k) => k.id).sort()).toEqual([2, 3, 4, 6].map((n) => uuidOf(20, n)).sort())
    // Up to a horizon: the expiry in 3 days and the server grace end in 2 days lie beyond it.
    const until = { expiresMs: NOW + 2 * DAY, graceEndMs: NOW + DAY + 1 }
    expect([...c.scheduledKeys(until)].map((k) => k.id).sort()).toEqual([4, 6].map((n) => uuidOf(20, n)).sort())
    expect([...c.scheduledKeys({ expiresMs: NOW + 3 * DAY, graceEndMs: NOW })].map((k) => k.id).sort()).toEqual([2, 6].map((n) => uuidOf(20, n)).sort())
  })
})

describe('last-used index after a re-sync', () => {
  const lastUsedOrder = (cache: Cache) =>
    cache.queryInventory({ sort: { column: 'lastUsedAt', direction: 'desc' }, limit: 10 }, NOW).rows.map((r) => r.name)
  const used = (n: number, at: string) => K(n, { lastUsedAt: at })

  it('is brought up to date before a query by last use, also after a restart in between', async () => {
    replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-01T00:00:00Z'), used(2, '2026-02-01T00:00:00Z'), used(3, '2026-01-01T00:00:00Z')], 'S1')
    expect(lastUsedOrder(c)).toEqual(['name1zz', 'name2zz', 'name3zz'])
    // Key 3 is used again: the re-sync writes it, the index lags until it is refreshed.
    replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-01T00:00:00Z'), used(2, '2026-02-01T00:00:00Z'), used(3, '2026-04-01T00:00:00Z')], 'S2')
    const raw = new Database(file, { readonly: true })
    expect(raw.prepare("SELECT last_used_ms, used_ms FROM keys WHERE name = 'name3zz'").get()).toEqual({
      last_used_ms: Date.parse('2026-01-01T00:00:00Z'), used_ms: Date.parse('2026-04-01T00:00:00Z')
    })
    raw.close()
    // A restart before any refresh: the marker committed with the rows brings it back.
    await c.close()
    c = openCache(file)
    expect(lastUsedOrder(c)).toEqual(['name3zz', 'name1zz', 'name2zz'])
    expect(c.queryInventory({ unusedForDays: 1, limit: 10 }, Date.parse('2026-03-15T00:00:00Z')).rows.map((r) => r.name)).toEqual(['name1zz', 'name2zz'])
    expect(c.refreshLastUsedIndex()).toBe(0)
  })

  it('refreshLastUsedIndex moves exactly the re-synced rows, once', () => {
    replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-01T00:00:00Z'), used(2, '2026-02-01T00:00:00Z')], 'S1')
    expect(c.refreshLastUsedIndex()).toBe(0)
    replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-02T00:00:00Z'), used(2, '2026-02-01T00:00:00Z')], 'S2')
    replaceTenantKeys(c, 'i1', T2, [used(5, '2026-03-03T00:00:00Z')], 'S2')
    expect(c.refreshLastUsedIndex()).toBe(1)
    expect(c.refreshLastUsedIndex()).toBe(0)
    // A single key written after an action is indexed at once.
    c.upsertKey('i1', T1, used(2, '2026-05-01T00:00:00Z'), 'S3')
    expect(c.refreshLastUsedIndex()).toBe(0)
    expect(lastUsedOrder(c)[0]).toBe('name2zz')
  })

  describe('on the writer thread (the end of a sync)', () => {
    const lagging = (): number => {
      const raw = new Database(file, { readonly: true })
      try {
        return raw.prepare<[], number>('SELECT count(*) FROM keys WHERE last_used_ms IS NOT used_ms').pluck().get() ?? -1
      } finally {
        raw.close()
      }
    }
    const markerOnFile = (raw: Database.Database): boolean => raw.prepare("SELECT 1 FROM settings WHERE name = 'cache.lastUsedIndexStale'").get() !== undefined
    beforeEach(() => {
      replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-01T00:00:00Z'), used(2, '2026-02-01T00:00:00Z')], 'S1')
      replaceTenantKeys(c, 'i1', T2, [used(5, '2026-01-01T00:00:00Z')], 'S1')
      replaceTenantKeys(c, 'i1', T1, [used(1, '2026-03-02T00:00:00Z'), used(2, '2026-02-02T00:00:00Z')], 'S2')
    })

    it('moves the re-synced rows, once, and clears the marker', async () => {
      expect(lagging()).toBe(2)
      expect(await c.refreshLastUsedIndexOffThread()).toBe(2)
      expect(lagging()).toBe(0)
      expect(c.refreshLastUsedIndex()).toBe(0)
      expect(await c.refreshLastUsedIndexOffThread()).toBe(0)
      expect(lastUsedOrder(c)).toEqual(['name1zz', 'name2zz', 'name5zz'])
    })

    it('a last use written after its transaction keeps the index marked behind', async () => {
      const refreshing = c.refreshLastUsedIndexOffThread()
      // Held on this thread until the worker has committed (the marker is gone from the file),
      // so its answer cannot have been read yet; then a re-sync of T2 moves a last use.
      const raw = new Database(file, { readonly: true })
      const deadline = Date.now() + 30_000
      while (markerOnFile(raw) && Date.now() < deadline) { /* the worker's commit */ }
      expect(markerOnFile(raw)).toBe(false)
      raw.close()
      replaceTenantKeys(c, 'i1', T2, [used(5, '2026-06-01T00:00:00Z')], 'S3')
      expect(await refreshing).toBe(2)
      // Not forgotten: the next refresh moves it, and a query by last use sees it first.
      expect(c.refreshLastUsedIndex()).toBe(1)
      expect(lastUsedOrder(c)).toEqual(['name5zz', 'name1zz', 'name2zz'])
    })

    it('a query by last use while it runs waits for it and answers exactly; closing waits for it too', async () => {
      const refreshing = c.refreshLastUsedIndexOffThread()
      expect(lastUsedOrder(c)).toEqual(['name1zz', 'name2zz', 'name5zz'])
      const closed = c.close()
      expect(await refreshing).toBeGreaterThanOrEqual(0)
      await closed
      expect(lagging()).toBe(0)
    })
  })
})

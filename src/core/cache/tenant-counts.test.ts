// Status counts per tenant, kept on write: always equal to counting the keys at that moment,
// whether they come from the stored row or are counted live (ran out, never written, asked
// for an earlier time, written by another connection).
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { KEY_STATUSES, type KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { openCache, type Cache, type ServerKey } from './index'
import { instance, replaceTenantKeys, serverKey, tempDir, uuidOf } from '../../../test/support/cache-fixtures'

const T1 = uuidOf(70, 1)
const T2 = uuidOf(70, 2)
const HOUR = 3_600_000
let file = ''
let c: Cache
const opened: Cache[] = []
beforeEach(() => {
  file = path.join(tempDir(), 'counts.sqlite')
  c = openCache(file)
  opened.push(c)
  c.upsertInstance(instance('i1'))
  c.upsertTenants('i1', [
    { id: T1, slug: 'one', name: 'One', isDefault: true },
    { id: T2, slug: 'two', name: 'Two', isDefault: false }
  ])
})
afterEach(async () => {
  await Promise.all(opened.splice(0).map((x) => x.close()))
})

const iso = (ms: number) => new Date(ms).toISOString()
const key = (n: number, o: Partial<ServerKey> = {}): ServerKey => serverKey({ id: uuidOf(71, n), name: `k${n}`, ...o })
/** What counting the keys one by one says at `now`. */
function expected(cache: Cache, tenantId: string, now: number): Record<KeyStatus, number> {
  const out = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>
  for (const r of cache.queryInventory({ tenantIds: [tenantId], limit: 500 }, now).rows) out[keyStatus(r, now)]++
  return out
}
const countsOf = (cache: Cache, tenantId: string, now: number) => cache.statusCounts(now).find((t) => t.tenantId === tenantId)?.counts

describe('tenant status counts', () => {
  it('follow every kind of write, and time passing an expiry or a grace end', () => {
    const now = Date.now()
    replaceTenantKeys(c, 'i1', T1, [
      key(1),
      key(2, { expiresAt: iso(now + 2 * HOUR) }),
      key(3, { deprecatedAt: iso(now - HOUR), gracePeriodEndsAt: iso(now + 3 * HOUR) }),
      key(4, { enabled: false }),
      key(5, { revokedAt: iso(now - HOUR), enabled: false })
    ], 'S1')
    expect(countsOf(c, T1, now)).toEqual({ active: 2, grace: 1, grace_ended: 0, disabled: 1, expired: 0, revoked: 1 })
    expect(countsOf(c, T2, now)).toEqual({ active: 0, grace: 0, grace_ended: 0, disabled: 0, expired: 0, revoked: 0 })
    // Time alone: the expiry, then the grace end pass.
    for (const later of [now + 2 * HOUR + 1, now + 3 * HOUR + 1, now + 100 * HOUR]) expect(countsOf(c, T1, later)).toEqual(expected(c, T1, later))
    expect(countsOf(c, T1, now + 3 * HOUR + 1)).toMatchObject({ active: 1, expired: 1, grace: 0, grace_ended: 1 })
    // Asked for a time before the counts were taken (a test clock, a clock set back).
    expect(countsOf(c, T1, now - 10 * HOUR)).toEqual(expected(c, T1, now - 10 * HOUR))
    // One key written after an action, a local grace end, a key removed.
    c.upsertKey('i1', T1, key(6, { enabled: false }), 'S2')
    expect(countsOf(c, T1, now)).toEqual(expected(c, T1, now))
    c.patchLocal({ instanceId: 'i1', tenantId: T1, keyId: uuidOf(71, 3) }, { localGraceEndsAt: iso(now - 1000) })
    expect(countsOf(c, T1, now)).toEqual(expected(c, T1, now))
    c.removeKey({ instanceId: 'i1', tenantId: T1, keyId: uuidOf(71, 1) })
    expect(countsOf(c, T1, now)).toEqual(expected(c, T1, now))
    expect(countsOf(c, T1, now)?.active).toBe(1)
  })

  it('another connection\'s writes (the CLI on the same file) are counted, and a removed instance takes its counts along', () => {
    const now = Date.now()
    replaceTenantKeys(c, 'i1', T2, [key(1), key(2)], 'S1')
    expect(countsOf(c, T2, now)?.active).toBe(2)
    const other = openCache(file)
    opened.push(other)
    replaceTenantKeys(other, 'i1', T2, [key(1), key(2), key(3, { enabled: false })], 'S2')
    expect(countsOf(c, T2, now)).toEqual({ ...expected(c, T2, now) })
    expect(countsOf(c, T2, now)).toMatchObject({ active: 2, disabled: 1 })
    c.removeInstance('i1')
    expect(c.statusCounts(now)).toEqual([])
  })

  it('a tenant re-synced with no news keeps its stored counts; one whose counts ran out is counted again', () => {
    const now = Date.now()
    replaceTenantKeys(c, 'i1', T1, [key(1, { expiresAt: iso(now + 500) })], 'S1')
    replaceTenantKeys(c, 'i1', T1, [key(1, { expiresAt: iso(now + 500) })], 'S2')
    expect(countsOf(c, T1, now)?.active).toBe(1)
    expect(countsOf(c, T1, now + 1000)).toMatchObject({ active: 0, expired: 1 })
  })
  it('a first fill counts every tenant once at its end; a re-sync that only moves last uses leaves the counts alone', async () => {
    const now = Date.now()
    const stored = () => {
      const raw = new Database(file, { readonly: true })
      try {
        return raw.prepare('SELECT tenant_id, active, disabled, computed_ms FROM tenant_counts ORDER BY tenant_id').all() as Array<{ tenant_id: string; active: number; disabled: number; computed_ms: number }>
      } finally {
        raw.close()
      }
    }
    expect(c.beginBulkLoad()).toBe(true)
    replaceTenantKeys(c, 'i1', T1, [key(1), key(2, { enabled: false })], 'S1')
    replaceTenantKeys(c, 'i1', T2, [key(3)], 'S1')
    expect(stored()).toEqual([])
    expect(await c.finishBulkLoad()).toBe(true)
    const afterFill = stored()
    expect(afterFill.map((r) => [r.tenant_id, r.active, r.disabled])).toEqual([[T1, 1, 1], [T2, 1, 0]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))))
    expect(countsOf(c, T1, now + 1)).toEqual(expected(c, T1, now + 1))
    // Only the last use moved: nothing recounted (the stored row keeps its time).
    replaceTenantKeys(c, 'i1', T1, [key(1, { lastUsedAt: iso(now) }), key(2, { enabled: false })], 'S2')
    expect(stored().find((r) => r.tenant_id === T1)?.computed_ms).toBe(afterFill.find((r) => r.tenant_id === T1)?.computed_ms)
    // A status moved: counted again.
    replaceTenantKeys(c, 'i1', T1, [key(1, { lastUsedAt: iso(now) }), key(2)], 'S3')
    expect(countsOf(c, T1, Date.now())).toMatchObject({ active: 2, disabled: 0 })
  })
})

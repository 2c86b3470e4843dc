// Several tenants replaced in one transaction: each all-or-nothing on its own.
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCache, type Cache, type ServerKey } from '../cache'
import { instance, serverKey, tempDir, uuidOf, replaceTenantKeys } from '../../../test/support/cache-fixtures'
import { GroupCommitWriter } from './group-commit'

const T1 = uuidOf(30, 1)
const T2 = uuidOf(30, 2)
const UNKNOWN_TENANT = uuidOf(30, 9)
let c: Cache
beforeEach(() => {
  c = openCache(path.join(tempDir(), 'c.sqlite'))
  c.upsertInstance(instance('i1'))
  c.upsertTenants('i1', [
    { id: T1, slug: 'one', name: 'One', isDefault: true },
    { id: T2, slug: 'two', name: 'Two', isDefault: false }
  ])
})
afterEach(() => c.close())

const K = (n: number): ServerKey => serverKey({ id: uuidOf(40, n), name: `gc-${n}`, keyPrefix: `sk_live_gc${n}xxxx` })
const names = (tenantId: string) => c.queryInventory({ tenantIds: [tenantId] }, Date.now()).rows.map((r) => r.name).sort()

describe('replaceManyTenantKeys', () => {
  it('writes every tenant of the batch, and a failing tenant fails alone', () => {
    replaceTenantKeys(c, 'i1', T2, [K(9)], 'S0')
    const outcomes = c.replaceManyTenantKeys([
      { instanceId: 'i1', tenantId: T1, keys: [K(1), K(2)], syncedAt: 'S1' },
      // No such tenant: the foreign key refuses its rows.
      { instanceId: 'i1', tenantId: UNKNOWN_TENANT, keys: [K(3)], syncedAt: 'S1' },
      { instanceId: 'i1', tenantId: T2, keys: [K(4)], syncedAt: 'S1' }
    ])
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true])
    expect(outcomes[0]).toMatchObject({ ok: true, result: { added: [K(1).id, K(2).id], removed: [] } })
    expect(outcomes[2]).toMatchObject({ ok: true, result: { added: [K(4).id], removed: [K(9).id] } })
    expect(names(T1)).toEqual(['gc-1', 'gc-2'])
    expect(names(T2)).toEqual(['gc-4'])
    expect(c.queryInventory({}, Date.now()).total).toBe(3)
  })

  it('group-commits concurrent writes and settles each caller with its own outcome', async () => {
    const writer = new GroupCommitWriter(c, 5)
    const results = await Promise.allSettled([
      writer.write({ instanceId: 'i1', tenantId: T1, keys: [K(1)], syncedAt: 'S1' }),
      writer.write({ instanceId: 'i1', tenantId: UNKNOWN_TENANT, keys: [K(2)], syncedAt: 'S1' }),
      writer.write({ instanceId: 'i1', tenantId: T2, keys: [K(3), K(4)], syncedAt: 'S1' })
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(names(T2)).toEqual(['gc-3', 'gc-4'])
  })
  it("commits a tenant's rows with what its withinCommit writes (sync state, orphan flags), or neither", () => {
    replaceTenantKeys(c, 'i1', T1, [K(9)], 'S0')
    const before = c.getTenant('i1', T1)?.sync
    // A failure after the rows and the state were written inside the savepoint: both roll back.
    const [failed] = c.replaceManyTenantKeys([{
      instanceId: 'i1', tenantId: T1, keys: [K(1)], syncedAt: 'S1',
      withinCommit: () => {
        c.setTenantSync('i1', T1, { kind: 'fresh', at: '2026-12-01T00:00:00.000Z' })
        throw new Error('crash between the state and the commit')
      }
    }])
    expect(failed?.ok).toBe(false)
    expect(names(T1)).toEqual(['gc-9'])
    expect(c.getTenant('i1', T1)?.sync).toEqual(before)
    // The same write without the failure: rows and state land together.
    const [done] = c.replaceManyTenantKeys([{
      instanceId: 'i1', tenantId: T1, keys: [K(1)], syncedAt: 'S1',
      withinCommit: () => c.setTenantSync('i1', T1, { kind: 'fresh', at: '2026-12-01T00:00:00.000Z' })
    }])
    expect(done?.ok).toBe(true)
    expect(names(T1)).toEqual(['gc-1'])
    expect(c.getTenant('i1', T1)?.sync).toEqual({ kind: 'fresh', at: '2026-12-01T00:00:00.000Z' })
  })
})

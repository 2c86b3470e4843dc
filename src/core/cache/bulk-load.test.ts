// First fill as a bulk load (bulk-load.ts): only into an empty cache; exact answers while the
// indexes are missing; the same schema afterwards; finished at the next open after a crash,
// and by whichever connection gets there first.
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openCache, type Cache, type InventoryQuery } from './index'
import { DAY, instance, modelQuery, NOW, randomKey, replaceTenantKeys, rng, tempDir, uuidOf, type ModelKey } from '../../../test/support/cache-fixtures'

const opened: Cache[] = []
const open = (file: string, log?: (m: string) => void): Cache => {
  const c = openCache(file, { log })
  opened.push(c)
  return c
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()))
})

const TENANTS = Array.from({ length: 6 }, (_, t) => ({ id: uuidOf(200 + t, 7), slug: `t${t}`, name: t % 2 ? `Acme ${t}` : `Globex ${t}`, isDefault: t === 0 }))

function setUp(c: Cache): void {
  c.upsertInstance(instance('i1', 'Alpha'))
  c.upsertTenants('i1', TENANTS)
}

/** Writes 6 tenants x 120 keys; returns the model of what was written. */
function fill(c: Cache, seed = 5): ModelKey[] {
  const r = rng(seed)
  const model: ModelKey[] = []
  for (const [t, tenant] of TENANTS.entries()) {
    const keys = Array.from({ length: 120 }, (_, k) => randomKey(r, uuidOf(300 + t, k), t * 1000 + k))
    replaceTenantKeys(c, 'i1', tenant.id, keys, 'S')
    for (const k of keys) {
      model.push({ ...k, instanceId: 'i1', tenantId: tenant.id, tenantName: tenant.name, tenantSlug: tenant.slug, instanceLabel: 'Alpha', syncedAt: 'S', localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null })
    }
  }
  return model
}

/** The schema objects on keys, by name, with their DDL. */
function keysSchema(file: string): Record<string, string> {
  const raw = new Database(file, { readonly: true })
  try {
    const rows = raw.prepare<[], { name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'keys' ORDER BY name").all()
    return Object.fromEntries(rows.map((r) => [r.name, r.sql ?? '']))
  } finally {
    raw.close()
  }
}

const QUERIES: InventoryQuery[] = [
  {},
  { text: 'billing' },
  { text: 'team 4' },
  { statuses: ['grace', 'expired'] },
  { sort: { column: 'graceEndsAt', direction: 'asc' } },
  { unusedForDays: 90, sort: { column: 'lastUsedAt', direction: 'desc' } },
  { expiringWithinMs: 7 * DAY, tenantIds: [TENANTS[1]?.id ?? ''] },
  { sort: { column: 'tenant', direction: 'asc' }, offset: 300 }
]

function expectAnswersRight(c: Cache, model: ModelKey[]): void {
  for (const q of QUERIES) {
    const got = c.queryInventory({ ...q, limit: 50 }, NOW)
    const want = modelQuery(model, { ...q, limit: 50 }, NOW)
    expect({ q, total: got.total, ids: got.rows.map((r) => r.id) }).toEqual({ q, total: want.total, ids: want.ids })
  }
}

describe('first fill as a bulk load', () => {
  it('starts only on an empty cache, answers exactly meanwhile, and ends with the same schema', async () => {
    const file = path.join(tempDir(), 'bulk.sqlite')
    const c = open(file)
    setUp(c)
    const before = keysSchema(file)
    expect(c.beginBulkLoad()).toBe(true)
    // Under way: a second begin is refused, and only the unique index is left on keys.
    expect(c.beginBulkLoad()).toBe(false)
    expect(Object.keys(keysSchema(file))).toEqual(['keys', 'keys_by_ref'])
    const model = fill(c)
    expectAnswersRight(c, model)
    expect(await c.finishBulkLoad()).toBe(true)
    expect(await c.finishBulkLoad()).toBe(false)
    expect(keysSchema(file)).toEqual(before)
    expectAnswersRight(c, model)
    // Rows exist now: no second bulk load.
    expect(c.beginBulkLoad()).toBe(false)
  })

  it('is finished at the next open when cut short, before anything reads the file', async () => {
    const file = path.join(tempDir(), 'crash.sqlite')
    const c = open(file)
    setUp(c)
    const before = keysSchema(file)
    expect(c.beginBulkLoad()).toBe(true)
    const model = fill(c)
    // The process dies: the connection goes without finishing.
    await c.close()
    expect(keysSchema(file)).not.toEqual(before)
    const logs: string[] = []
    const again = open(file, (m) => logs.push(m))
    expect(logs.some((m) => m.includes('finished an interrupted first fill'))).toBe(true)
    expect(keysSchema(file)).toEqual(before)
    expectAnswersRight(again, model)
  })

  it('may be finished by another connection on the same file (two processes)', async () => {
    const file = path.join(tempDir(), 'two.sqlite')
    const a = open(file)
    setUp(a)
    const before = keysSchema(file)
    expect(a.beginBulkLoad()).toBe(true)
    const model = fill(a)
    // Another process opening meanwhile finishes it (open.ts), and both answer from the indexes.
    const b = open(file)
    expect(keysSchema(file)).toEqual(before)
    expect(await a.finishBulkLoad()).toBe(false)
    expectAnswersRight(a, model)
    expectAnswersRight(b, model)
    // Writes after it are indexed as usual.
    replaceTenantKeys(b, 'i1', TENANTS[0]?.id ?? '', [], 'S2')
    const rest = model.filter((k) => k.tenantId !== TENANTS[0]?.id)
    expectAnswersRight(a, rest)
  })

  describe('built on a worker thread (writer-thread.ts)', () => {
    const BIG = Array.from({ length: 40 }, (_, t) => ({ id: uuidOf(600 + t, 9), slug: `b${t}`, name: `Big ${t}`, isDefault: t === 0 }))
    /** 40 tenants x 500 keys: enough rows that each index takes a while to build. */
    function fillBig(c: Cache): ModelKey[] {
      c.upsertInstance(instance('i1', 'Alpha'))
      c.upsertTenants('i1', BIG)
      const r = rng(11)
      const model: ModelKey[] = []
      expect(c.beginBulkLoad()).toBe(true)
      for (const [t, tenant] of BIG.entries()) {
        const keys = Array.from({ length: 500 }, (_, k) => randomKey(r, uuidOf(700 + t, k), t * 1000 + k))
        replaceTenantKeys(c, 'i1', tenant.id, keys, 'S')
        for (const k of keys) model.push({ ...k, instanceId: 'i1', tenantId: tenant.id, tenantName: tenant.name, tenantSlug: tenant.slug, instanceLabel: 'Alpha', syncedAt: 'S', localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null })
      }
      return model
    }
    /** A new file's schema as opened, then the same file reopened and filled with fillBig (its bulk load under way). */
    async function filledBig(name: string): Promise<{ file: string; before: Record<string, string>; c: Cache; model: ModelKey[] }> {
      const file = path.join(tempDir(), name)
      const before = keysSchema(open(file).file)
      await opened.splice(0)[0]?.close()
      const c = open(file)
      return { file, before, c, model: fillBig(c) }
    }
    const indexesBuilt = (file: string): number => Object.keys(keysSchema(file)).length - 2
    const markerLeft = (file: string): boolean => {
      const raw = new Database(file, { readonly: true })
      try {
        return raw.prepare('SELECT 1 FROM bulk_load WHERE id = 1').get() !== undefined
      } finally {
        raw.close()
      }
    }

    it('leaves this thread free: between the steps queries answer exactly, and the result is the usual schema', async () => {
      const { file, before, c, model } = await filledBig('worker.sqlite')
      let settled = false
      const finished = c.finishBulkLoad().finally(() => {
        settled = true
      })
      // While the worker is part-way (some indexes built, the marker still there), this
      // thread runs and reads: the finish has not answered yet (it cannot, mid-tick).
      let answeredMidway = 0
      while (!settled) {
        if (indexesBuilt(file) > 0 && markerLeft(file)) {
          expectAnswersRight(c, model)
          expect(settled).toBe(false)
          answeredMidway++
        }
        await new Promise((r) => setTimeout(r, 5))
      }
      expect(await finished).toBe(true)
      expect(answeredMidway).toBeGreaterThan(0)
      expect(markerLeft(file)).toBe(false)
      expect(keysSchema(file)).toEqual(before)
      expectAnswersRight(c, model)
      // A second call after the end has nothing to do.
      expect(await c.finishBulkLoad()).toBe(false)
    }, 60_000)

    it('a step that fails keeps the steps before it and the rest in the marker; the next finish goes on from there', async () => {
      const { file, before, c, model } = await filledBig('failing.sqlite')
      // A step that cannot work, third in the list (as if the file had been damaged).
      const raw = new Database(file)
      const list = JSON.parse(raw.prepare<[], string>('SELECT deferred FROM bulk_load WHERE id = 1').pluck().get() ?? '[]') as Array<{ type: string; name: string; sql: string }>
      const bogus = { type: 'index', name: 'bogus', sql: 'CREATE INDEX bogus ON no_such_table (x)' }
      raw.prepare('UPDATE bulk_load SET deferred = ? WHERE id = 1').run(JSON.stringify([...list.slice(0, 2), bogus, ...list.slice(2)]))
      await expect(c.finishBulkLoad()).rejects.toThrow(/no_such_table/)
      // Two indexes built, the marker holds the rest from the failed step on; answers stay exact.
      expect(indexesBuilt(file)).toBe(2)
      const left = JSON.parse(raw.prepare<[], string>('SELECT deferred FROM bulk_load WHERE id = 1').pluck().get() ?? '[]') as Array<{ name: string }>
      expect(left.map((d) => d.name)).toEqual(['bogus', ...list.slice(2).map((d) => d.name)])
      expectAnswersRight(c, model)
      raw.prepare('UPDATE bulk_load SET deferred = ? WHERE id = 1').run(JSON.stringify(list.slice(2)))
      raw.close()
      expect(await c.finishBulkLoad()).toBe(true)
      expect(markerLeft(file)).toBe(false)
      expect(keysSchema(file)).toEqual(before)
      expectAnswersRight(c, model)
    }, 60_000)

    it('stops after its current step when the cache closes; the next open builds the rest', async () => {
      const { file, before, c, model } = await filledBig('closing.sqlite')
      const finished = c.finishBulkLoad()
      // Closing while it runs waits for the worker to let go of the file.
      await c.close()
      // Told to stop before its first step ended, it did not get to the end: the marker stays.
      expect(await finished).toBe(false)
      expect(markerLeft(file)).toBe(true)
      const logs: string[] = []
      const again = open(file, (m) => logs.push(m))
      expect(logs.some((m) => m.includes('finished an interrupted first fill'))).toBe(true)
      expect(markerLeft(file)).toBe(false)
      expect(keysSchema(file)).toEqual(before)
      expectAnswersRight(again, model)
    }, 60_000)
  })
})

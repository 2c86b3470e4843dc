import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCache, type ActionRecord, type Cache } from './index'
import { instance, serverKey, tempDir, uuidOf, replaceTenantKeys } from '../../../test/support/cache-fixtures'

const TA = uuidOf(30, 1)
const TB = uuidOf(30, 2)
let c: Cache
beforeEach(() => {
  c = openCache(path.join(tempDir(), 'c.sqlite'))
  c.upsertInstance(instance('i1', 'One'))
  c.upsertInstance(instance('i2', 'Two'))
  c.upsertTenants('i1', [{ id: TA, slug: 'a', name: 'A', isDefault: true }, { id: TB, slug: 'b', name: 'b', isDefault: false }])
  c.upsertTenants('i2', [{ id: TA, slug: 'a2', name: 'A on two', isDefault: true }])
})
afterEach(() => c.close())

const action = (over: Partial<Omit<ActionRecord, 'id'>> = {}): Omit<ActionRecord, 'id'> => ({
  at: '2026-06-01T00:00:00.000Z', instanceId: 'i1', tenantId: TA, keyId: uuidOf(31, 1), action: 'revoke',
  detail: { name: 'k', reason: 'leaked' }, outcome: 'pending', error: null, ...over
})

describe('instances and tenants', () => {
  it('upserts and lists instances', () => {
    c.upsertInstance({ ...instance('i1', 'Renamed'), email: null, authKind: 'token' })
    expect(c.getInstance('i1')).toMatchObject({ label: 'Renamed', email: null, authKind: 'token' })
    expect(c.listInstances().map((i) => i.id)).toEqual(['i1', 'i2'])
    expect(c.getInstance('nope')).toBeNull()
  })

  it('upsertTenants keeps the operator choices and sync state of existing rows', () => {
    c.setTenantSelected('i1', TA, true)
    c.setAutoFinishRotation('i1', TA, true)
    c.setTenantSync('i1', TA, { kind: 'stale', lastGoodAt: null, failedAt: '2026-06-01T00:00:00Z', reason: 'offline' })
    c.upsertTenants('i1', [{ id: TA, slug: 'a-new', name: 'A new', isDefault: false }, { id: uuidOf(30, 3), slug: 'c', name: 'C', isDefault: false }])
    expect(c.getTenant('i1', TA)).toEqual({
      instanceId: 'i1', id: TA, slug: 'a-new', name: 'A new', isDefault: false, selected: true, autoFinishRotation: true,
      sync: { kind: 'stale', lastGoodAt: null, failedAt: '2026-06-01T00:00:00Z', reason: 'offline' }
    })
    expect(c.getTenant('i1', uuidOf(30, 3))).toMatchObject({ selected: false, autoFinishRotation: false, sync: { kind: 'never' } })
    expect(c.listTenants('i1').map((t) => t.name)).toEqual(['A new', 'b', 'C'])
    expect(c.listTenants()).toHaveLength(4)
    expect(() => c.setTenantSync('i1', TA, { kind: 'bogus' } as never)).toThrow()
  })

  it('removeInstance removes its tenants, keys, actions and notifications, and nothing of the other instance', () => {
    for (const inst of ['i1', 'i2']) {
      replaceTenantKeys(c, inst, TA, [serverKey({ id: uuidOf(31, 1) })], 'S')
      c.appendAction(action({ instanceId: inst }))
      c.markManyNotified([`grace_ending:${inst}:${TA}:${uuidOf(31, 1)}:2026-06-02T00:00:00.000Z:86400000`], 'T')
    }
    c.setSetting('ui.theme', 'dark')
    c.removeInstance('i1')
    expect(c.getInstance('i1')).toBeNull()
    expect(c.listTenants('i1')).toEqual([])
    expect(c.getKey({ instanceId: 'i1', tenantId: TA, keyId: uuidOf(31, 1) })).toBeNull()
    expect(c.listActions({ instanceId: 'i1' })).toEqual([])
    expect([...c.notifiedIds()].every((id) => id.includes(':i2:'))).toBe(true)
    expect(c.notifiedIds().size).toBe(1)
    expect(c.getKey({ instanceId: 'i2', tenantId: TA, keyId: uuidOf(31, 1) })).not.toBeNull()
    expect(c.listActions({ instanceId: 'i2' })).toHaveLength(1)
    expect(c.getSetting('ui.theme', 'light')).toBe('dark')
  })
})

describe('action log', () => {
  it('appends, completes once, and refuses a second completion', () => {
    const id = c.appendAction(action())
    expect(c.listActions({ pendingOnly: true }).map((a) => a.id)).toEqual([id])
    c.completeAction(id, 'ok', { keyId: uuidOf(31, 9), detail: { newKeyId: uuidOf(31, 9) } })
    const [done] = c.listActions({})
    expect(done).toMatchObject({ id, outcome: 'ok', keyId: uuidOf(31, 9), detail: { name: 'k', reason: 'leaked', newKeyId: uuidOf(31, 9) }, error: null })
    expect(() => c.completeAction(id, 'failed', { error: 'x' })).toThrow(/already completed/)
    expect(() => c.completeAction(9999, 'ok')).toThrow(/not in the log/)
    expect(c.listActions({})[0]?.outcome).toBe('ok')
    const f = c.appendAction(action({ action: 'rotate' }))
    c.completeAction(f, 'failed', { error: 'server said no' })
    expect(c.listActions({ action: 'rotate' })[0]).toMatchObject({ outcome: 'failed', error: 'server said no' })
  })

  it('filters and lists newest first', () => {
    const ids = [
      c.appendAction(action()),
      c.appendAction(action({ tenantId: TB, keyId: null, action: 'create' })),
      c.appendAction(action({ keyId: uuidOf(31, 2), action: 'disable' })),
      c.appendAction(action({ instanceId: 'i2' }))
    ]
    c.completeAction(ids[0] ?? 0, 'ok')
    expect(c.listActions({}).map((a) => a.id)).toEqual([...ids].reverse())
    expect(c.listActions({ ref: { instanceId: 'i1', tenantId: TA, keyId: uuidOf(31, 1) } }).map((a) => a.id)).toEqual([ids[0]])
    expect(c.listActions({ instanceId: 'i1', tenantId: TA }).map((a) => a.id)).toEqual([ids[2], ids[0]])
    expect(c.listActions({ tenantId: TB })[0]?.keyId).toBeNull()
    expect(c.listActions({ pendingOnly: true }).map((a) => a.id)).toEqual([ids[3], ids[2], ids[1]])
    expect(c.listActions({ action: 'disable' }).map((a) => a.id)).toEqual([ids[2]])
    expect(c.listActions({ limit: 2 })).toHaveLength(2)
  })
})

describe('notifications, sync runs, settings', () => {
  it('remembers notifications once', () => {
    expect(c.notifiedIds()).toEqual(new Set())
    c.markManyNotified(['w1'], 'T1')
    c.markManyNotified(['w1', 'w2'], 'T2')
    expect(c.notifiedIds()).toEqual(new Set(['w1', 'w2']))
    c.markManyNotified(['w2', 'w3', 'w4'], 'T4')
    c.markManyNotified([], 'T5')
    expect(c.notifiedIds()).toEqual(new Set(['w1', 'w2', 'w3', 'w4']))
  })

  it('records sync runs', () => {
    const a = c.startSyncRun('S1', 10)
    c.finishSyncRun(a, { finishedAt: 'F1', ok: 9, failed: 1, cancelled: false })
    const b = c.startSyncRun('S2', 5)
    expect(b).toBeGreaterThan(a)
    c.finishSyncRun(b, { finishedAt: 'F2', ok: 2, failed: 0, cancelled: true })
    expect(() => c.finishSyncRun(999, { finishedAt: 'F', ok: 0, failed: 0, cancelled: false })).toThrow()
  })

  it('stores settings as JSON', () => {
    expect(c.getSetting('clipboard.clearSeconds', 30)).toBe(30)
    c.setSetting('clipboard.clearSeconds', 45)
    c.setSetting('expiry', { leads: [1, 2], on: true })
    expect(c.getSetting('clipboard.clearSeconds', 30)).toBe(45)
    expect(c.getSetting('expiry', {})).toEqual({ leads: [1, 2], on: true })
    c.setSetting('expiry', null)
    expect(c.getSetting('expiry', { x: 1 })).toBeNull()
    c.setSetting('expiry', undefined)
    expect(c.getSetting('expiry', { x: 1 })).toEqual({ x: 1 })
  })
})

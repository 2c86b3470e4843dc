// The "Needs attention" inbox through the real host: computed from the cache and the app's state,
// each item with its next action, gone once it stops being true; nothing for a grace period or an
// expiry the operator has just set; one item per outage, never one per tenant of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyRow } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('attention', () => {
  let fx: CoreFixture
  let instanceId: string
  let tenantId: string

  beforeEach(async () => {
    // A fixed server with no seeded keys: every item below comes from what the test does.
    fx = await coreFixture({ emulator: { seed: { tenants: 3, keysPerTenant: 0, seed: 5 } } })
    ;({ instanceId } = await fx.onboard())
    const tenants = await fx.call('tenants.list', {})
    tenantId = tenants.find((t) => !t.isDefault)!.id
  })
  afterEach(async () => fx.close())

  const ref = (k: KeyRow) => ({ instanceId: k.instanceId, tenantId: k.tenantId, keyId: k.id })
  const kinds = async () => (await fx.call('attention.list', {})).items.map((i) => `${i.kind}:${i.keyName ?? i.instanceLabel}`)
  /** Items about keys (a day on, the tenants are also out of date: that is its own item). */
  const keyKinds = async () => (await kinds()).filter((k) => !k.startsWith('tenants_outdated:'))
  const advance = async (ms: number) => {
    fx.emulator.clock.advance(ms)
    await fx.host.checkSchedule()
  }

  it('starts empty on a fresh, fully synced inventory', async () => {
    const list = await fx.call('attention.list', {})
    expect(list.items).toEqual([])
    expect(await fx.call('attention.count', {})).toEqual({ badge: 0, critical: 0, warning: 0, info: 0 })
  })

  it('follows a rotation: nothing for the grace just set, then ending, then ended with Finish rotation, then gone', async () => {
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'payments-api', keyType: 'service', scopes: ['*'] } })
    const rotated = await fx.call('keys.rotate', { ref: ref(created.key), graceHours: 1, newName: 'payments-api v2' })
    // A 1 h grace with leads of 24 h, 1 h and 10 min: the operator just chose it; nothing to say yet.
    expect(await kinds()).toEqual([])

    await advance(51 * MIN)
    const ending = (await fx.call('attention.list', {})).items
    const newName = rotated.issued.key.name
    expect(ending.map((i) => [i.kind, i.keyName, i.action, i.replacedByName])).toEqual([['grace_ending', 'payments-api', 'open_key', newName]])
    expect(ending[0]!.severity).toBe('warning')
    expect(ending[0]!.ref).toEqual(ref(created.key))
    expect(await fx.call('attention.count', {})).toMatchObject({ badge: 1, warning: 1 })

    await advance(10 * MIN)
    const ended = (await fx.call('attention.list', {})).items
    expect(ended.map((i) => [i.kind, i.keyName, i.action, i.severity, i.title])).toEqual([
      ['grace_ended', 'payments-api', 'finish_rotation', 'critical', 'Grace period ended']
    ])
    expect(ended[0]!.detail).toContain(`Replaced by ${newName}.`)
    expect(ended[0]!.lastUsedAt).toBeNull()

    await fx.call('keys.finishRotation', { ref: ref(rotated.oldKey), mode: 'disable' })
    expect(await kinds()).toEqual([])
  })

  it('lists an expiry once its first lead time within the key’s life has passed, and the expired key after', async () => {
    const expiresAt = new Date(fx.emulator.clock.now() + 3 * DAY).toISOString()
    await fx.call('keys.create', { instanceId, tenantId, input: { name: 'short-lived', keyType: 'service', scopes: ['*'], expiresAt } })
    // 7 d before is before the key existed; 1 d before has not come yet.
    expect(await kinds()).toEqual([])
    await advance(2 * DAY + HOUR)
    expect(await keyKinds()).toEqual(['expiring:short-lived'])
    await advance(DAY)
    const expired = (await fx.call('attention.list', {})).items.filter((i) => i.ref)
    expect(expired.map((i) => [i.kind, i.action])).toEqual([['expired', 'open_key']])
    // After 30 days it is one line per instance that lists the keys in the inventory.
    await advance(31 * DAY)
    const old = (await fx.call('attention.list', {})).items.filter((i) => i.kind === 'expired_old')
    expect(old.map((i) => [i.count, i.action, i.filter])).toEqual([[1, 'show_keys', { instanceId, statuses: ['expired'] }]])
    expect(old[0]!.severity).toBe('info')
  })

  it('flags unused active keys per instance with the filter that lists them, as set in its settings', async () => {
    await fx.call('keys.create', { instanceId, tenantId, input: { name: 'idle', keyType: 'service', scopes: ['*'] } })
    await fx.call('attention.setSettings', { unusedForDays: 30 })
    expect(await fx.call('attention.getSettings', {})).toEqual({ unusedForDays: 30 })
    await advance(31 * DAY)
    await fx.call('sync.run', {})
    const unused = (await fx.call('attention.list', {})).items.filter((i) => i.kind === 'unused')
    expect(unused.map((i) => [i.count, i.filter])).toEqual([[1, { instanceId, statuses: ['active'], unusedForDays: 30 }]])
    const listed = await fx.call('inventory.count', unused[0]!.filter!)
    expect(listed.total).toBe(1)
    // Info items are not alarms: the badge leaves them out (and attention.count does not work them out).
    const list = await fx.call('attention.list', {})
    expect(list.info).toBeGreaterThanOrEqual(1)
    expect(list.badge).toBe(list.critical + list.warning)
    expect(await fx.call('attention.count', {})).toEqual({ badge: list.badge, critical: list.critical, warning: list.warning, info: 0 })
    await fx.call('attention.setSettings', { unusedForDays: 0 })
    expect((await fx.call('attention.list', {})).items.filter((i) => i.kind === 'unused')).toEqual([])
    expect(fx.events.some((e) => e.event === 'inventory.changed' && (e.payload as { reason: string }).reason === 'attention_settings')).toBe(true)
  })

  it('a tenant whose sync fails is one item naming it, with Re-sync; fixed, it goes', async () => {
    const tenants = await fx.call('tenants.list', {})
    const broken = tenants.find((t) => t.id === tenantId)!
    fx.emulator.setTenantDatabaseDown(tenantId, true)
    await fx.call('sync.run', {})
    const failing = (await fx.call('attention.list', {})).items.filter((i) => i.kind === 'tenant_failing')
    expect(failing.map((i) => [i.title, i.action, i.tenantIds])).toEqual([[`${broken.name} could not be synced`, 'resync_tenants', [tenantId]]])
    expect(failing[0]!.asOf).not.toBeNull()
    fx.emulator.setTenantDatabaseDown(tenantId, false)
    await fx.call('sync.run', { instanceId, tenantIds: failing[0]!.tenantIds })
    expect((await fx.call('attention.list', {})).items).toEqual([])
  })

  it('an unreachable server is one item with Retry and its last good sync, not one per tenant', async () => {
    fx.emulator.setFaults([{ kind: 'reset' }])
    await fx.call('sync.run', {})
    const items = (await fx.call('attention.list', {})).items
    expect(items.map((i) => [i.kind, i.action])).toEqual([['instance_unreachable', 'retry_instance']])
    expect(items[0]!.title).toBe('Emulator cannot be reached')
    expect(items[0]!.count).toBe((await fx.call('tenants.list', {})).length)
    expect(items[0]!.asOf).not.toBeNull()
    fx.emulator.setFaults([])
    await fx.call('sync.run', {})
    expect(await kinds()).toEqual([])
  })
})

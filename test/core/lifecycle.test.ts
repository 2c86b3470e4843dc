// Every lifecycle action through the real core host: keytar on gnome-keyring, a SQLite file,
// and the emulator over HTTP, under both server generations.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { accounts } from '../../src/core/secrets'
import type { KeyRow } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const HOUR = 3_600_000

async function dataPlane(fx: CoreFixture, value: string): Promise<number> {
  const response = await fetch(`${fx.emulator.url}/api/v1/whoami`, { headers: { 'X-Service-Key': value } })
  await response.arrayBuffer()
  return response.status
}

describe.each(['current', 'legacy'] as const)('key lifecycle on the %s server', (profile) => {
  let fx: CoreFixture
  let instanceId: string
  let tenantId: string

  beforeEach(async () => {
    fx = await coreFixture({ emulator: { profile } })
    ;({ instanceId } = await fx.onboard())
    // The legacy server has no tenants: the app manages it as one implicit tenant.
    const tenants = await fx.call('tenants.list', {})
    const target = tenants.find((t) => !t.isDefault) ?? tenants[0]
    if (!target) throw new Error('no tenant to work in')
    tenantId = target.id
  })
  afterEach(async () => fx.close())

  const storedValue = async (key: KeyRow) => fx.secrets.get(accounts.keyValue(key.instanceId, key.tenantId, key.id))
  const refOf = (key: KeyRow) => ({ instanceId: key.instanceId, tenantId: key.tenantId, keyId: key.id })

  async function create(name: string) {
    const result = await fx.call('keys.create', {
      instanceId, tenantId,
      input: { name, keyType: 'service', scopes: ['tables:read', 'storage:read'], description: 'billing worker' }
    })
    if (!result.storedInKeychain) throw new Error('expected the value in the keychain')
    return result.key
  }

  it('creates a key whose value goes to the keychain, never to the caller', async () => {
    const result = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'lifecycle-created-key', keyType: 'service', scopes: ['tables:read'] } })
    expect(result.storedInKeychain).toBe(true)
    expect(JSON.stringify(result)).not.toMatch(/[sp]k_(live_)?[A-Za-z0-9_-]{43}/)
    expect(result.key).toMatchObject({ name: 'lifecycle-created-key', status: 'active', hasStoredValue: true, scopes: ['tables:read'] })
    const value = await storedValue(result.key)
    // Key formats differ by generation (reference §6.1 and Appendix A).
    expect(value).toMatch(profile === 'current' ? /^sk_live_[A-Za-z0-9_-]{43}=$/ : /^sk_[A-Za-z0-9_-]{43}$/)
    expect(value!.slice(0, 16)).toBe(result.key.keyPrefix)
    expect(await dataPlane(fx, value!)).toBe(200)
    const listed = await fx.call('inventory.query', { text: 'lifecycle-created-key' })
    expect(listed.rows.map((r) => r.id)).toEqual([result.key.id])
  })

  it('disables and enables a key, with the data plane following', async () => {
    const key = await create('api-gateway')
    const value = (await storedValue(key))!
    const disabled = await fx.call('keys.disable', refOf(key))
    expect(disabled.status).toBe('disabled')
    expect(await dataPlane(fx, value)).toBe(401)

    const enabled = await fx.call('keys.enable', refOf(key))
    expect(enabled.status).toBe('active')
    expect(await dataPlane(fx, value)).toBe(200)
  })

  it('knows whether the server can update a key; where it cannot, Edit replaces the key and the old one is rotated out', async () => {
    const [instance] = await fx.call('instances.list', {})
    if (profile === 'legacy') {
      // The older server's update works (Appendix A): it is used.
      expect(instance?.updateSupport).toBe('supported')
      const key = await create('legacy-gateway')
      expect(await fx.call('keys.update', { ref: refOf(key), input: { description: 'edge gateway', scopes: ['*'] } })).toMatchObject({ description: 'edge gateway', scopes: ['*'] })
      return
    }
    // Learned when the instance was added, by a probe that changes nothing.
    expect(instance?.updateSupport).toBe('unsupported')
    const key = await create('edge-gateway')
    const oldValue = (await storedValue(key))!
    const puts = () => fx.emulator.requestCounts()['PUT /api/v1/admin/service-keys/:id'] ?? 0
    const putsBefore = puts()
    const refused = await fx.fail('keys.update', { ref: refOf(key), input: { description: 'edge gateway' } })
    expect(refused.code).toBe('unsupported')
    expect(refused.message).toMatch(/cannot change a key in place.*Replace it with a new key/)
    // Known already: the app does not send an update it knows will fail.
    expect(puts()).toBe(putsBefore)

    const nameTaken = await fx.fail('keys.replace', { ref: refOf(key), input: { name: 'edge-gateway', namespaces: { kind: 'all' } }, graceHours: 48 })
    expect(nameTaken.code).toBe('invalid_input')
    // The server reads back no namespace list for "all" and for "default only" alike: the app
    // does not guess (it could widen the new key's reach), the operator chooses.
    const ambiguous = await fx.fail('keys.replace', { ref: refOf(key), input: { name: 'edge-gateway v2' }, graceHours: 48 })
    expect(ambiguous).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/every namespace or only the default one; choose/) })
    const { issued, oldKey, deprecateError } = await fx.call('keys.replace', {
      ref: refOf(key), input: { name: 'edge-gateway v2', description: 'edge gateway', scopes: ['*'], namespaces: { kind: 'default' } }, graceHours: 48
    })
    expect(deprecateError).toBeNull()
    expect((await fx.call('keys.get', refOf(issued.key))).replaces).toEqual({ keyId: key.id, name: 'edge-gateway' })
    if (!issued.storedInKeychain) throw new Error('expected the new value in the keychain')
    expect(issued.key).toMatchObject({ name: 'edge-gateway v2', description: 'edge gateway', scopes: ['*'], keyType: 'service', hasStoredValue: true })
    expect(JSON.stringify(issued)).not.toMatch(/[sp]k_live_[A-Za-z0-9_-]{43}/)
    // The pair is a rotation: the old key counts down its grace and names its successor.
    expect(oldKey).toMatchObject({ status: 'grace', localReplacedBy: issued.key.id })
    expect(Date.parse(oldKey.localGraceEndsAt ?? '')).toBeGreaterThan(fx.emulator.clock.now() + 47 * HOUR)
    const newValue = (await storedValue(issued.key))!
    const plane = await fetch(`${fx.emulator.url}/api/v1/whoami`, { headers: { 'X-Service-Key': newValue } })
    expect(((await plane.json()) as { allowed_namespaces: unknown }).allowed_namespaces).toEqual([])
    expect(await dataPlane(fx, oldValue)).toBe(200)
    expect(await dataPlane(fx, newValue)).toBe(200)
    const finished = await fx.call('keys.finishRotation', { ref: refOf(oldKey), mode: 'disable' })
    expect(finished.status).toBe('disabled')
    expect(await dataPlane(fx, oldValue)).toBe(401)
    expect(await dataPlane(fx, newValue)).toBe(200)
    const { entries } = await fx.call('keys.history', refOf(oldKey))
    expect(entries.some((e) => e.action === 'replace' && e.outcome === 'ok' && e.detail.includes('edge-gateway v2'))).toBe(true)
  })

  it('deprecates with a grace period that exists whatever the server does with it', async () => {
    const key = await create('reports')
    const before = fx.emulator.clock.now()
    const deprecated = await fx.call('keys.deprecate', { ref: refOf(key), graceHours: 48 })
    expect(deprecated.status).toBe('grace')
    expect(deprecated.deprecatedAt).not.toBeNull()
    const graceEnd = Date.parse(deprecated.gracePeriodEndsAt ?? deprecated.localGraceEndsAt ?? '')
    expect(Math.abs(graceEnd - (before + 48 * HOUR))).toBeLessThan(60_000)
    fx.emulator.clock.advance(49 * HOUR)
    const later = await fx.call('inventory.query', { text: 'reports' })
    expect(later.rows[0]?.status).toBe('grace_ended')
  })

  it('rotates keychain-first, deprecates the old key, and finishing the rotation stops the old key', async () => {
    const key = await create('ingest')
    const oldValue = (await storedValue(key))!
    const { issued, oldKey } = await fx.call('keys.rotate', { ref: refOf(key), graceHours: 24 })
    expect(issued.storedInKeychain).toBe(true)
    const newValue = (await storedValue(issued.key))!
    expect(newValue).not.toBe(oldValue)
    expect(oldKey.status).toBe('grace')
    expect(oldKey.localGraceEndsAt).not.toBeNull()
    // Both keys work during the grace period.
    expect(await dataPlane(fx, newValue)).toBe(200)
    expect(await dataPlane(fx, oldValue)).toBe(200)

    fx.emulator.clock.advance(25 * HOUR)
    // The server does not enforce grace ends: the old key still works.
    expect(await dataPlane(fx, oldValue)).toBe(200)
    const finished = await fx.call('keys.finishRotation', { ref: refOf(oldKey), mode: 'revoke' })
    expect(finished.status).toBe('revoked')
    expect(await dataPlane(fx, oldValue)).toBe(401)
    expect(await dataPlane(fx, newValue)).toBe(200)
  })

  it('revokes with a reason that is kept even when the server drops it', async () => {
    const key = await create('leaked-one')
    const value = (await storedValue(key))!
    const revoked = await fx.call('keys.revoke', { ref: refOf(key), reason: 'leaked in a CI log' })
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'leaked in a CI log' })
    expect(await dataPlane(fx, value)).toBe(401)
    const { entries: history } = await fx.call('keys.history', refOf(key))
    expect(history.some((h) => h.source === 'local' && h.action === 'revoke' && h.detail.includes('leaked in a CI log'))).toBe(true)
    expect(history.some((h) => h.source === 'server' && h.action === 'revoked')).toBe(true)
    const enable = await fx.fail('keys.enable', refOf(key))
    expect(enable.code).toBe('conflict')
  })

  it('deletes only with the exact name, and an enabled key only when forced', async () => {
    const key = await create('temp-key')
    expect((await fx.fail('keys.delete', { ref: refOf(key), confirmName: 'temp', force: false })).message).toContain('temp-key')
    expect((await fx.fail('keys.delete', { ref: refOf(key), confirmName: 'temp-key', force: false })).code).toBe('conflict')
    await fx.call('keys.delete', { ref: refOf(key), confirmName: 'temp-key', force: true })
    expect((await fx.call('inventory.query', { text: 'temp-key' })).total).toBe(0)
    expect(await storedValue(key)).toBeNull()
  })

  it('copies a stored value to the clipboard and clears it only if unchanged', async () => {
    await fx.call('settings.set', { clipboardClearSeconds: 5 })
    const key = await create('copy-me')
    const value = (await storedValue(key))!
    const copied = await fx.call('keys.copyValue', refOf(key))
    expect(copied.clearsAfterSeconds).toBe(5)
    expect(fx.clipboard.readText()).toBe(value)
    // The 5 s timer, waited for by its event (a loaded machine fires timers late).
    const clearings = () => fx.events.filter((e) => e.event === 'clipboard.cleared').map((e) => (e.payload as { cleared: boolean }).cleared)
    await vi.waitFor(() => expect(clearings()).toEqual([true]), { timeout: 15_000, interval: 100 })
    expect(fx.clipboard.readText()).toBe('')

    // Something else copied meanwhile: left alone.
    await fx.call('keys.copyValue', refOf(key))
    fx.clipboard.writeText('an unrelated note')
    await vi.waitFor(() => expect(clearings()).toEqual([true, false]), { timeout: 15_000, interval: 100 })
    expect(fx.clipboard.readText()).toBe('an unrelated note')

    const forgotten = await fx.call('keys.forgetValue', refOf(key))
    expect(forgotten.hasStoredValue).toBe(false)
    expect(await storedValue(key)).toBeNull()
    expect((await fx.fail('keys.copyValue', refOf(key))).code).toBe('not_found')
  }, 20_000)
})

describe('key update on a fixed server (a named emulator option, never the default)', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('learns that update works and uses it', async () => {
    fx = await coreFixture({ emulator: { serverFixed: true } })
    const { instanceId } = await fx.onboard()
    expect((await fx.call('instances.list', {}))[0]?.updateSupport).toBe('supported')
    const tenantId = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)?.id
    if (!tenantId) throw new Error('no tenant to work in')
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'fixed-gateway', keyType: 'service', scopes: ['tables:read'] } })
    const ref = { instanceId, tenantId, keyId: created.key.id }
    expect(await fx.call('keys.update', { ref, input: { description: 'edge gateway', scopes: ['*'] } })).toMatchObject({ description: 'edge gateway', scopes: ['*'] })
  })
})

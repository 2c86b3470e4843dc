// What must never be lost: an issued key when the keychain refuses it, a key whose response
// was cut off, warnings while the app was closed, and the cache itself.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createKeytarStore } from '../../src/core/secrets'
import { isKeyValueAccount, KeychainWriteFailureInjector } from '../../e2e/harness/fakes'
import { coreFixture, type CoreFixture } from '../support/core-fixture'
import { tempDir } from '../support/temp'

const HOUR = 3_600_000

describe('resilience', () => {
  let fx: CoreFixture
  afterEach(async () => fx?.close())

  it('returns the value once, flagged unsaved, when the keychain write fails', async () => {
    const real = createKeytarStore({ service: `Fluxbase Keys test ${randomUUID()}` })
    const injector = new KeychainWriteFailureInjector(real, isKeyValueAccount)
    injector.armed = true
    fx = await coreFixture({ secrets: injector })
    const { instanceId } = await fx.onboard()
    const tenantId = fx.emulator.tenants.find((t) => !t.isDefault)!.id
    const result = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'unsaved-key', keyType: 'service', scopes: ['*'] } })
    expect(result.storedInKeychain).toBe(false)
    if (result.storedInKeychain) return
    expect(result.unsavedValue).toMatch(/^sk_live_[A-Za-z0-9_-]{43}=$/)
    expect(result.warning).toMatch(/only time/i)
    expect(result.key.hasStoredValue).toBe(false)
    const whoami = await fetch(`${fx.emulator.url}/api/v1/whoami`, { headers: { 'X-Service-Key': result.unsavedValue } })
    expect(whoami.status).toBe(200)
  })

  it('flags a key whose create response was lost as an orphan on the next sync', async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    const tenantId = fx.emulator.tenants.find((t) => !t.isDefault)!.id
    // The server creates the key, then the connection dies before the answer arrives.
    fx.emulator.setFaults([{ method: 'POST', path: '^/api/v1/admin/service-keys$', kind: 'truncated', count: 1 }])
    const lost = await fx.fail('keys.create', { instanceId, tenantId, input: { name: 'lost-in-transit', keyType: 'service', scopes: ['*'] } })
    expect(lost.message.length).toBeGreaterThan(10)
    fx.emulator.setFaults([])
    await fx.call('sync.run', {})
    const { rows } = await fx.call('inventory.query', { orphansOnly: true })
    expect(rows.map((r) => r.name)).toEqual(['lost-in-transit'])
    expect(rows[0]!.hasStoredValue).toBe(false)
    const { entries: history } = await fx.call('keys.history', { instanceId, tenantId, keyId: rows[0]!.id })
    expect(history.some((h) => h.action === 'create' && h.outcome === 'failed' && /never arrived/.test(h.detail))).toBe(true)
  })

  it('warns before grace ends, once each, across clock jumps, and finishes rotation when opted in', async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    const tenantId = fx.emulator.tenants.find((t) => !t.isDefault)!.id
    await fx.call('tenants.setAutoFinishRotation', { instanceId, tenantId, on: true })
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'scheduled', keyType: 'service', scopes: ['*'] } })
    const ref = { instanceId, tenantId, keyId: created.key.id }
    await fx.call('keys.deprecate', { ref, graceHours: 30 })
    await fx.host.checkSchedule()
    const graceWarnings = () => fx.notifications.filter((n) => n.ref?.keyId === ref.keyId)
    expect(graceWarnings()).toHaveLength(0)

    fx.emulator.clock.advance(7 * HOUR) // 23 h left: the 24 h warning
    await fx.host.checkSchedule()
    expect(graceWarnings().map((n) => n.kind)).toEqual(['grace_ending'])
    await fx.host.checkSchedule()
    expect(graceWarnings()).toHaveLength(1)

    fx.emulator.clock.advance(22.5 * HOUR) // 30 min left: the 1 h warning
    await fx.host.checkSchedule()
    expect(graceWarnings()).toHaveLength(2)

    fx.emulator.clock.advance(2 * HOUR) // past the end: grace ended, rotation finished automatically
    await fx.host.checkSchedule()
    expect(graceWarnings().at(-1)?.kind).toBe('grace_ended')
    const { key } = await fx.call('keys.get', ref)
    expect(key.status).toBe('disabled')

    // A restart does not send any of them again.
    const sent = fx.notifications.length
    await fx.restart()
    await fx.host.checkSchedule()
    expect(fx.notifications.length).toBe(sent)
  })

  it('coalesces warnings missed while the app was closed into one summary', async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    const tenantId = fx.emulator.tenants.find((t) => !t.isDefault)!.id
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: `closed-${name}`, keyType: 'service', scopes: ['*'] } })
      await fx.call('keys.deprecate', { ref: { instanceId, tenantId, keyId: created.key.id }, graceHours: 2 })
    }
    await fx.host.checkSchedule()
    const before = fx.notifications.length
    fx.emulator.clock.advance(3 * HOUR)
    await fx.restart()
    await fx.host.checkSchedule()
    const fresh = fx.notifications.slice(before)
    expect(fresh.filter((n) => n.kind === 'summary')).toHaveLength(1)
    expect(fresh.filter((n) => n.kind !== 'summary')).toHaveLength(0)
  })

  it('moves a corrupt cache aside, rebuilds it from the servers, and restores the instance from the keychain', async () => {
    const dataDir = tempDir('fbk-corrupt-')
    fx = await coreFixture({ dataDir, emulator: { seed: { tenants: 3, keysPerTenant: 3, seed: 9 } } })
    await fx.onboard()
    const total = (await fx.call('inventory.query', {})).total
    await fx.host.close()
    const file = join(dataDir, 'inventory.sqlite')
    writeFileSync(file, Buffer.from('this is not a database '.repeat(200)))
    for (const side of ['-wal', '-shm']) if (existsSync(file + side)) writeFileSync(file + side, 'garbage')
    await fx.restart()
    const status = await fx.call('app.status', {})
    expect(status.cacheRecovery).toMatch(/moved|rebuilt/i)
    expect(readdirSync(dataDir).some((f) => f.startsWith('inventory.sqlite.corrupt-'))).toBe(true)
    // The instance comes back from the keychain, its tenants from the server.
    for (let i = 0; i < 50 && (await fx.call('tenants.list', {})).length === 0; i++) await new Promise((r) => setTimeout(r, 100))
    expect((await fx.call('instances.list', {}))).toHaveLength(1)
    await fx.call('sync.run', {})
    expect((await fx.call('inventory.query', {})).total).toBe(total)
    expect(readFileSync(join(dataDir, 'logs', 'fluxbase-keys.log'), 'utf8')).toMatch(/cache recovered/)
  })
})

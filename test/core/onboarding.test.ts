// Onboarding instances: connection tests, tenant discovery, clear errors, removal.
import { afterEach, describe, expect, it } from 'vitest'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

describe('onboarding', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('tests a connection, adds the instance with its tenants and keeps the credential only in the keychain', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 6, keysPerTenant: 3, seed: 11 } } })
    const { instanceAdmin } = fx.emulator.credentials
    const auth = { kind: 'password' as const, email: instanceAdmin.email, password: instanceAdmin.password }
    const tested = await fx.call('instances.test', { baseUrl: fx.emulator.url + '/', auth })
    expect(tested.role).toBe('instance_admin')
    expect(tested.tenants.map((t) => t.id).sort()).toEqual(fx.emulator.tenants.map((t) => t.id).sort())

    const chosen = tested.tenants.slice(0, 3).map((t) => t.id)
    const { instance, tenants } = await fx.call('instances.add', { baseUrl: fx.emulator.url, label: 'Staging', auth, tenantIds: chosen })
    expect(instance).toMatchObject({ label: 'Staging', baseUrl: fx.emulator.url, authKind: 'password', email: instanceAdmin.email })
    expect(tenants.filter((t) => t.selected).map((t) => t.id).sort()).toEqual([...chosen].sort())
    const summary = await fx.call('sync.run', {})
    expect(summary).toMatchObject({ tenants: 3, ok: 3, failed: 0 })

    const accounts = await fx.secrets.list()
    expect(accounts).toEqual([`instance:${instance.id}:admin`])
    expect(await fx.secrets.get(accounts[0]!)).toContain(instanceAdmin.password)

    const logouts = () => fx.emulator.requestCounts()['POST /api/v1/admin/logout'] ?? 0
    const removed = await fx.call('instances.remove', { instanceId: instance.id })
    // The session ends on the server before its credential leaves the keychain.
    expect(logouts()).toBe(1)
    expect(removed.removedSecrets).toBe(1)
    expect(await fx.secrets.list()).toEqual([])
    expect(await fx.call('instances.list', {})).toEqual([])
    expect((await fx.call('inventory.query', {})).total).toBe(0)
  })

  it('onboards several instances at once', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 3, keysPerTenant: 2, seed: 1 } } })
    const { startEmulator } = await import('../../emulator/index')
    const second = await startEmulator({ seed: { tenants: 2, keysPerTenant: 4, seed: 2 } })
    try {
      const a = fx.emulator.credentials.instanceAdmin
      const b = second.credentials.instanceAdmin
      await fx.call('instances.add', { baseUrl: fx.emulator.url, label: 'EU', auth: { kind: 'password', email: a.email, password: a.password } })
      await fx.call('instances.add', { baseUrl: second.url, label: 'US', auth: { kind: 'password', email: b.email, password: b.password } })
      await fx.call('sync.run', {})
      const rows = await fx.call('inventory.query', { limit: 1000 })
      expect(new Set(rows.rows.map((r) => r.instanceLabel))).toEqual(new Set(['EU', 'US']))
    } finally {
      await second.close()
    }
  })

  it('says clearly what is wrong: password, lockout, unreachable host, bad URL', async () => {
    fx = await coreFixture()
    const email = fx.emulator.credentials.instanceAdmin.email
    const wrong = await fx.fail('instances.test', { baseUrl: fx.emulator.url, auth: { kind: 'password', email, password: 'not-the-password' } })
    expect(wrong.code).toBe('auth')
    expect(wrong.message).toMatch(/password/i)
    expect(wrong.message).not.toContain('not-the-password')

    for (let i = 0; i < 5; i++) await fx.fail('instances.test', { baseUrl: fx.emulator.url, auth: { kind: 'password', email, password: `wrong-${i}` } })
    const locked = await fx.fail('instances.test', { baseUrl: fx.emulator.url, auth: { kind: 'password', email, password: 'wrong-again' } })
    expect(locked.message).toMatch(/lock/i)

    const unreachable = await fx.fail('instances.test', { baseUrl: 'http://127.0.0.1:9', auth: { kind: 'password', email, password: 'x' } })
    expect(unreachable.code).toBe('offline')
    expect(unreachable.message).toMatch(/reach|connect/i)
    // Testing an address that is not configured says nothing about the servers the app manages.
    expect((await fx.call('app.status', {})).offline).toBe(false)

    const badUrl = await fx.fail('instances.test', { baseUrl: 'ftp://example.com', auth: { kind: 'password', email, password: 'x' } })
    expect(badUrl.code).toBe('invalid_input')

    const notAUrl = await fx.fail('instances.add', { baseUrl: 'not a url', auth: { kind: 'password', email, password: 'x' } })
    expect(notAUrl.code).toBe('invalid_input')
    expect(await fx.secrets.list()).toEqual([])
  })

  it('lets a tenant admin in with the tenants assigned to them', async () => {
    fx = await coreFixture()
    const { tenantAdmin } = fx.emulator.credentials
    const tested = await fx.call('instances.test', { baseUrl: fx.emulator.url, auth: { kind: 'password', email: tenantAdmin.email, password: tenantAdmin.password } })
    expect(tested.tenants.map((t) => t.id).sort()).toEqual([...tenantAdmin.tenantIds].sort())
  })
})

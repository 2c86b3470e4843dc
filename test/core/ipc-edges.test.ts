// The edges of the IPC the audit found, through the real host: names that are not operations,
// control characters in a search, bulk inputs the contract now shapes, duplicate refs, and a
// keychain that fails after start-up.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { SecretStoreError, createKeytarStore, type SecretStore } from '../../src/core/secrets'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

/** TEST FAULT INJECTOR: the real keychain, until `locked` is set; then every call fails as a locked keychain does. */
class LockingKeychain implements SecretStore {
  locked = false
  constructor(private readonly inner: SecretStore) {}
  private check(): void {
    if (this.locked) throw new SecretStoreError('locked', 'The keychain is locked (or has no default keyring): unlock it in your keyring manager, or create a default "Login" keyring, then try again.', 'injected')
  }
  async get(a: string) { this.check(); return this.inner.get(a) }
  async set(a: string, v: string) { this.check(); return this.inner.set(a, v) }
  async delete(a: string) { this.check(); return this.inner.delete(a) }
  async list(p?: string) { this.check(); return this.inner.list(p) }
}

describe('IPC edges', () => {
  let fx: CoreFixture
  afterEach(async () => fx?.close())

  it('names that are not operations answer a sentence, never a TypeError', async () => {
    fx = await coreFixture()
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'keys', '']) {
      const r = await fx.host.dispatch(name as never, {})
      expect(r.ok, name).toBe(false)
      if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/does not know; reload it\.$/) })
    }
  })

  it('a NUL in search text is a space: no full-text error, and it does not match everything', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 3, keysPerTenant: 6, seed: 2 } } })
    await fx.onboard()
    const all = (await fx.call('inventory.query', { limit: 1 })).total
    const name = (await fx.call('inventory.query', { limit: 1 })).rows[0]!.name
    const withNul = await fx.call('inventory.query', { text: `${name.slice(0, 4)}\u0000${name.slice(4)}`, limit: 100 })
    const withSpace = await fx.call('inventory.query', { text: `${name.slice(0, 4)} ${name.slice(4)}`, limit: 100 })
    expect(withNul.total).toBe(withSpace.total)
    expect(withNul.total).toBeLessThan(all)
    expect((await fx.call('inventory.query', { text: '\u0000', limit: 1 })).total).toBeLessThanOrEqual(all)
  })

  it('bulk revoke needs its reason and deprecate its hours (the contract says so); a key listed twice is acted on once', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 2, keysPerTenant: 3, seed: 4 } } })
    await fx.onboard()
    const [a] = (await fx.call('inventory.query', { statuses: ['active'], limit: 1 })).rows
    const ref = { instanceId: a!.instanceId, tenantId: a!.tenantId, keyId: a!.id }
    expect((await fx.fail('bulk.run', { action: 'revoke', refs: [ref] } as never)).code).toBe('invalid_input')
    expect((await fx.fail('bulk.run', { action: 'deprecate', refs: [ref] } as never)).code).toBe('invalid_input')
    const disables = () => fx.emulator.requestCounts()['POST /api/v1/admin/service-keys/:id/disable'] ?? 0
    const before = disables()
    const { results } = await fx.call('bulk.run', { action: 'disable', refs: [ref, ref, { ...ref, keyId: ref.keyId.toUpperCase() }] })
    expect(results).toHaveLength(1)
    expect(disables() - before).toBe(1)
  })

  it('the keychain status follows failures after start-up, and recovery', async () => {
    const keychain = new LockingKeychain(createKeytarStore({ service: `Fluxbase Keys test ${randomUUID()}` }))
    fx = await coreFixture({ secrets: keychain })
    const { instanceId } = await fx.onboard()
    expect((await fx.call('app.status', {})).keychain.ok).toBe(true)
    keychain.locked = true
    const tenantId = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!.id
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'while-locked', keyType: 'service', scopes: ['*'] } })
    expect(created.storedInKeychain).toBe(false) // shown once, never lost
    expect((await fx.call('app.status', {})).keychain).toMatchObject({ ok: false, message: expect.stringMatching(/locked/) })
    keychain.locked = false
    await fx.call('instances.rediscover', { instanceId }) // reads the credential: works again
    await fx.call('instances.updateCredential', { instanceId, auth: { kind: 'password', ...fx.emulator.credentials.instanceAdmin } })
    expect((await fx.call('app.status', {})).keychain.ok).toBe(true)
  })
})

describe('the data directory', () => {
  it('is tightened at start: files left readable by others become owner-only', async () => {
    const { chmodSync, mkdirSync, statSync, writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tempDir } = await import('../support/temp')
    const dataDir = tempDir('fbk-modes-')
    chmodSync(dataDir, 0o755)
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 })
    writeFileSync(join(dataDir, 'logs', 'fluxbase-keys.log'), 'old log\n', { mode: 0o644 })
    writeFileSync(join(dataDir, 'safety-state.json'), '{}', { mode: 0o666 })
    const fx = await coreFixture({ dataDir })
    try {
      const mode = (p: string) => statSync(p).mode & 0o777
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, 'logs'))).toBe(0o700)
      expect(mode(join(dataDir, 'logs', 'fluxbase-keys.log'))).toBe(0o600)
      expect(mode(join(dataDir, 'safety-state.json'))).toBe(0o600)
      expect(mode(join(dataDir, 'inventory.sqlite'))).toBe(0o600)
    } finally {
      await fx.close()
    }
  })
})

// After a full run of every action, no issued key value, admin password or token may be
// found in the SQLite file and its WAL, the log, the exports, or anything sent to the UI.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accounts } from '../../src/core/secrets'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const FULL_KEY = /[sp]k_live_[A-Za-z0-9_-]{43}=/
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('leak scan', () => {
  let fx: CoreFixture
  const issuedValues: string[] = []
  const uiPayloads: string[] = []

  beforeAll(async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 3, keysPerTenant: 4, seed: 21 } } })
    fx.host.onEvent((event, payload) => uiPayloads.push(JSON.stringify({ event, payload })))
    const call: CoreFixture['call'] = async (name, input) => {
      const value = await fx.call(name, input)
      uiPayloads.push(JSON.stringify(value))
      return value
    }
    const { instanceId } = await fx.onboard()
    const tenantId = fx.emulator.tenants.find((t) => !t.isDefault)!.id
    const remember = async (instance: string, tenant: string, keyId: string) => {
      const value = await fx.secrets.get(accounts.keyValue(instance, tenant, keyId))
      if (value) issuedValues.push(value)
    }
    const a = await call('keys.create', { instanceId, tenantId, input: { name: 'leak-a', keyType: 'service', scopes: ['*'] } })
    const b = await call('keys.create', { instanceId, tenantId, input: { name: 'leak-b', keyType: 'anon', scopes: ['tables:read'] } })
    await remember(instanceId, tenantId, a.key.id)
    await remember(instanceId, tenantId, b.key.id)
    const refA = { instanceId, tenantId, keyId: a.key.id }
    const refB = { instanceId, tenantId, keyId: b.key.id }
    // The current server cannot update: the refusal's text is scanned too, then the replacement.
    uiPayloads.push(JSON.stringify(await fx.host.dispatch('keys.update', { ref: refA, input: { description: 'updated' } })))
    const replaced = await call('keys.replace', { ref: refB, input: { name: 'leak-b v2', description: 'updated', namespaces: { kind: 'all' } }, graceHours: 3 })
    await remember(instanceId, tenantId, replaced.issued.key.id)
    await call('keys.disable', refA)
    await call('keys.enable', refA)
    await call('keys.deprecate', { ref: refB, graceHours: 2 })
    const rotated = await call('keys.rotate', { ref: refA, graceHours: 1 })
    await remember(instanceId, tenantId, rotated.issued.key.id)
    await call('keys.copyValue', { instanceId, tenantId, keyId: rotated.issued.key.id })
    await call('keys.finishRotation', { ref: refA, mode: 'revoke' })
    await call('keys.revoke', { ref: refB, reason: 'leak scan' })
    await call('keys.get', refA)
    await call('keys.history', refA)
    await call('bulk.preview', { action: 'disable', refs: [refA, refB] })
    await call('bulk.run', { action: 'disable', refs: [refA, refB] })
    await call('sync.run', {})
    await call('export.save', { format: 'csv', query: {} })
    await call('export.save', { format: 'json', query: {} })
    await call('keys.forgetValue', { instanceId, tenantId, keyId: rotated.issued.key.id })
    await call('tenants.list', {})
    await call('inventory.query', { limit: 1000 })
  }, 60_000)
  afterAll(async () => fx.close())

  it('issued four values, and the keychain really held them', () => {
    expect(issuedValues).toHaveLength(4)
    for (const v of issuedValues) expect(v).toMatch(FULL_KEY)
  })

  it('finds no secret in the data directory: SQLite, WAL, logs, exports', () => {
    const files = filesUnder(fx.dataDir)
    expect(files.some((f) => f.endsWith('inventory.sqlite'))).toBe(true)
    expect(files.some((f) => f.endsWith('.csv'))).toBe(true)
    expect(files.some((f) => f.endsWith('.json'))).toBe(true)
    expect(files.some((f) => f.endsWith('.log'))).toBe(true)
    const password = fx.emulator.credentials.instanceAdmin.password
    for (const file of files) {
      const text = readFileSync(file).toString('latin1')
      for (const value of issuedValues) expect(text.includes(value), `${file} holds an issued key value`).toBe(false)
      expect(text.includes(password), `${file} holds the admin password`).toBe(false)
      expect(FULL_KEY.test(text), `${file} holds something shaped like a key value`).toBe(false)
      expect(JWT.test(text), `${file} holds a token`).toBe(false)
    }
  })

  it('sent no secret to the UI, in answers or events', () => {
    const all = uiPayloads.join('\n')
    expect(uiPayloads.length).toBeGreaterThan(20)
    for (const value of issuedValues) expect(all.includes(value)).toBe(false)
    expect(all.includes(fx.emulator.credentials.instanceAdmin.password)).toBe(false)
    expect(JWT.test(all)).toBe(false)
  })

  it('wrote nothing secret to the log lines it emitted', () => {
    const log = fx.logLines.join('\n')
    expect(fx.logLines.length).toBeGreaterThan(5)
    for (const value of issuedValues) expect(log.includes(value)).toBe(false)
    expect(JWT.test(log)).toBe(false)
  })
})

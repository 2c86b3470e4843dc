// Bulk actions across tenants (dry run, then per-key results) and inventory export.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyRow } from '../../src/shared/contract'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

describe('bulk actions and export', () => {
  let fx: CoreFixture
  let keys: KeyRow[]

  beforeEach(async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    const tenants = (await fx.call('tenants.list', {})).filter((t) => !t.isDefault)
    expect(tenants.length).toBeGreaterThanOrEqual(2)
    keys = []
    for (const [i, tenant] of tenants.slice(0, 2).entries()) {
      for (const n of [1, 2]) {
        const created = await fx.call('keys.create', { instanceId, tenantId: tenant.id, input: { name: `bulk-${i}-${n}`, keyType: 'service', scopes: ['*'] } })
        keys.push(created.key)
      }
    }
  })
  afterEach(async () => fx.close())

  const ref = (k: KeyRow) => ({ instanceId: k.instanceId, tenantId: k.tenantId, keyId: k.id })

  it('previews exactly what would change, then reports each key, one failure not stopping the rest', async () => {
    const [a, b, c, d] = keys as [KeyRow, KeyRow, KeyRow, KeyRow]
    await fx.call('keys.revoke', { ref: ref(b), reason: 'already gone' })
    const preview = await fx.call('bulk.preview', { action: 'disable', refs: [a, b, c, d].map(ref) })
    expect(preview.changes.map((c) => [c.name, c.from, c.to, c.skip])).toEqual([
      ['bulk-0-1', 'active', 'disabled', null],
      ['bulk-0-2', 'revoked', null, 'Already revoked'],
      ['bulk-1-1', 'active', 'disabled', null],
      ['bulk-1-2', 'active', 'disabled', null]
    ])
    // A dry run changes nothing.
    expect((await fx.call('keys.get', ref(a))).key.status).toBe('active')

    // The server fails the disable of key c only.
    fx.emulator.setFaults([{ method: 'POST', path: `/service-keys/${c.id}/disable$`, kind: 'status500' }])
    const run = await fx.call('bulk.run', { action: 'disable', refs: [a, b, c, d].map(ref) })
    const byName = Object.fromEntries(run.results.map((r) => [r.name, r]))
    expect(byName['bulk-0-1']).toMatchObject({ ok: true, skipped: false })
    expect(byName['bulk-0-2']).toMatchObject({ ok: true, skipped: true })
    expect(byName['bulk-1-1']).toMatchObject({ ok: false, skipped: false })
    expect(byName['bulk-1-1']!.error).toMatch(/server/i)
    expect(byName['bulk-1-2']).toMatchObject({ ok: true, skipped: false })
    expect((await fx.call('keys.get', ref(d))).key.status).toBe('disabled')
    expect((await fx.call('keys.get', ref(c))).key.status).toBe('active')
  })

  it('deprecates and revokes in bulk with the chosen grace and reason', async () => {
    const deprecate = await fx.call('bulk.run', { action: 'deprecate', refs: keys.slice(0, 2).map(ref), graceHours: 6 })
    expect(deprecate.results.every((r) => r.ok && !r.skipped)).toBe(true)
    const inGrace = await fx.call('inventory.query', { statuses: ['grace'], text: 'bulk-' })
    expect(inGrace.rows.map((r) => r.name).sort()).toEqual(['bulk-0-1', 'bulk-0-2'])
    const revoke = await fx.call('bulk.run', { action: 'revoke', refs: keys.map(ref), reason: 'tenant offboarded' })
    expect(revoke.results.every((r) => r.ok)).toBe(true)
    const { key } = await fx.call('keys.get', ref(keys[3]!))
    expect(key).toMatchObject({ status: 'revoked', revocationReason: 'tenant offboarded' })
  })

  it('exports the filtered inventory as CSV and JSON, metadata only', async () => {
    const csv = await fx.call('export.save', { format: 'csv', query: { text: 'bulk-1' } })
    expect(csv.rows).toBe(2)
    const text = readFileSync(csv.path!, 'utf8')
    const lines = text.trim().split(/\r?\n/)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toContain('name')
    expect(text).toContain('bulk-1-1')
    expect(text).not.toContain('bulk-0-1')

    const json = await fx.call('export.save', { format: 'json', query: {} })
    const parsed = JSON.parse(readFileSync(json.path!, 'utf8')) as { rows: Array<Record<string, unknown>> }
    expect(parsed.rows.length).toBe(json.rows)
    expect(parsed.rows.length).toBeGreaterThanOrEqual(4)
    for (const row of parsed.rows) {
      expect(Object.keys(row)).not.toContain('value')
      expect(Object.keys(row)).not.toContain('key')
    }
  })
})

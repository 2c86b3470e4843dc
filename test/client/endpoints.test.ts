// Every admin endpoint through FluxbaseClient against the emulator, under both server
// generations ('current' = nimbleflux, 'legacy' = Appendix A), over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../emulator/index'
import { SINGLE_TENANT_ID, type FluxbaseClient } from '../../src/core/fluxbase'
import { assertNoLeaks, emulator, failure, makeClient, remember, UUID_RE, whoami } from './helpers'

const HOUR = 3_600_000

describe.each(['current', 'legacy'] as const)('all endpoints on the %s server', (profile) => {
  let em: RunningEmulator
  let client: FluxbaseClient
  let tenantId: string

  beforeAll(async () => {
    em = await emulator({ profile })
    client = makeClient(em).client
    tenantId = await client.resolveTenantId(profile === 'current' ? 'acme' : 'default')
  })
  afterAll(async () => {
    assertNoLeaks()
    await em.close()
  })

  it('health needs no session', async () => {
    const h = await client.health()
    expect(h.status).toBe('ok')
    expect(typeof h.timestamp).toBe('string')
  })

  it('lists tenants and resolves slugs to UUIDs', async () => {
    const tenants = await client.listTenants()
    if (profile === 'current') {
      expect(tenants.map((t) => t.slug).sort()).toEqual(['acme', 'default', 'globex'])
      const acme = tenants.find((t) => t.slug === 'acme')
      expect(acme).toMatchObject({ name: 'Acme', isDefault: false, status: 'active' })
      expect(tenantId).toBe(acme?.id)
      expect(tenants.find((t) => t.isDefault)?.slug).toBe('default')
    } else {
      // No tenant routes on the legacy server: one implicit tenant.
      expect(tenants).toEqual([{ id: SINGLE_TENANT_ID, slug: 'default', name: 'Default', isDefault: true, status: 'active' }])
      expect(tenantId).toBe(SINGLE_TENANT_ID)
    }
    // A UUID passes through without a request, lower-cased.
    const upper = 'A1B2C3D4-0000-4000-8000-000000000001'
    expect(await client.resolveTenantId(upper)).toBe(upper.toLowerCase())
    const err = await failure(client.resolveTenantId('no-such-tenant'))
    expect(err.code).toBe('TENANT_NOT_FOUND')
    expect(err.message).toContain('no-such-tenant')
    expect(err.retryable).toBe(false)
  })

  it('lists and gets keys, normalised to camelCase with nulls', async () => {
    const keys = await client.listKeys(tenantId)
    expect(keys.length).toBeGreaterThan(0)
    for (const k of keys) {
      expect(k.id).toMatch(UUID_RE)
      expect(k.keyPrefix.length).toBe(16)
      expect(typeof k.enabled).toBe('boolean')
      expect(Array.isArray(k.scopes)).toBe(true)
      expect(k.keyType).toBeTruthy()
      for (const f of ['description', 'lastUsedAt', 'expiresAt', 'revokedAt', 'deprecatedAt', 'gracePeriodEndsAt', 'replacedBy', 'createdBy'] as const) {
        expect(k[f] === null || typeof k[f] === 'string').toBe(true)
      }
      expect(k).not.toHaveProperty('key_prefix')
    }
    const first = keys[0]!
    expect(await client.getKey(tenantId, first.id)).toEqual(first)
  })

  it('creates a key whose one-time value authenticates on the data plane', async () => {
    const issued = await client.createKey(tenantId, { name: `ci-${profile}-create`, description: 'made by a test', scopes: ['tables:read'], rateLimitPerMinute: 60 })
    remember(issued.value)
    expect(issued.key).toMatchObject({ name: `ci-${profile}-create`, description: 'made by a test', scopes: ['tables:read'], enabled: true, rateLimitPerMinute: 60, revokedAt: null })
    expect(issued.value.startsWith(issued.key.keyPrefix)).toBe(true)
    const w = await whoami(em, issued.value)
    expect(w.status).toBe(200)
    expect(w.body).toMatchObject({ key_id: issued.key.id })
    expect((await client.listKeys(tenantId)).some((k) => k.id === issued.key.id)).toBe(true)
  })

  it('updates a key where the server can (PUT, or PATCH after a 405, remembered); the current server cannot', async () => {
    const { key } = await client.createKey(tenantId, { name: `ci-${profile}-update` })
    if (profile === 'current') {
      // Reference §4.4: every update fails; the probe says so without changing anything.
      expect(await client.probeUpdateSupport()).toBe('unsupported')
      const err = await failure(client.updateKey(tenantId, key.id, { description: 'x' }))
      expect(err).toMatchObject({ kind: 'http', status: 500, knownDefect: 'update_fails', retryable: false })
      expect(err.message).toMatch(/cannot update service keys.*replace the key with a new one instead/)
      return
    }
    expect(await client.probeUpdateSupport()).toBe('supported')
    const updated = await client.updateKey(tenantId, key.id, { name: `ci-${profile}-renamed`, description: 'renamed', rateLimitPerHour: 500 })
    expect(updated).toMatchObject({ id: key.id, name: `ci-${profile}-renamed`, description: 'renamed', rateLimitPerHour: 500 })
    const again = await client.updateKey(tenantId, key.id, { enabled: false })
    expect(again.enabled).toBe(false)
    const counts = em.requestCounts()
    expect(counts['PUT /api/v1/admin/service-keys/:id']).toBe(1) // the probe's 405, tried once only
    expect(counts['PATCH /api/v1/admin/service-keys/:id']).toBe(3) // the probe and both updates
  })

  it('disables and enables a key', async () => {
    const issued = await client.createKey(tenantId, { name: `ci-${profile}-toggle` })
    remember(issued.value)
    await client.disableKey(tenantId, issued.key.id)
    expect((await client.getKey(tenantId, issued.key.id)).enabled).toBe(false)
    expect((await whoami(em, issued.value)).status).toBe(401)
    await client.enableKey(tenantId, issued.key.id)
    expect((await client.getKey(tenantId, issued.key.id)).enabled).toBe(true)
    expect((await whoami(em, issued.value)).status).toBe(200)
  })

  it('deprecates with the requested grace period (both generations receive it)', async () => {
    const { key } = await client.createKey(tenantId, { name: `ci-${profile}-deprecate` })
    const before = em.clock.now()
    const d = await client.deprecateKey(tenantId, key.id, { graceHours: 48, reason: 'moving on' })
    expect(d.deprecatedAt).not.toBeNull()
    expect(d.gracePeriodEndsAt).not.toBeNull()
    const graceMs = Date.parse(d.gracePeriodEndsAt!) - before
    expect(graceMs).toBeGreaterThan(48 * HOUR - 60_000)
    expect(graceMs).toBeLessThan(48 * HOUR + 60_000)
    const k = await client.getKey(tenantId, key.id)
    expect(k.deprecatedAt).not.toBeNull()
    expect(k.gracePeriodEndsAt).not.toBeNull()
  })

  it('rotates: the new value works, the old key is marked replaced, both shapes normalised', async () => {
    const old = await client.createKey(tenantId, { name: `ci-${profile}-rotate`, scopes: ['storage:read'] })
    remember(old.value)
    const r = await client.rotateKey(tenantId, old.key.id, { graceHours: 12 })
    remember(r.issued.value)
    expect(r.issued.key.id).not.toBe(old.key.id)
    expect(r.issued.key.scopes).toEqual(['storage:read'])
    expect(r.issued.key.name).toBe(`ci-${profile}-rotate (rotated)`)
    if (profile === 'current') {
      expect(r.oldKeyGracePeriodEndsAt).toBeNull() // the current server sets no grace end
    } else {
      const grace = Date.parse(r.oldKeyGracePeriodEndsAt!) - em.clock.now()
      expect(grace).toBeGreaterThan(11 * HOUR)
      expect(grace).toBeLessThan(13 * HOUR)
    }
    expect((await whoami(em, r.issued.value)).status).toBe(200)
    const oldNow = await client.getKey(tenantId, old.key.id)
    expect(oldNow.replacedBy).toBe(r.issued.key.id)
    expect(oldNow.deprecatedAt).not.toBeNull()
    // Deprecated keys keep working (reference §6.3, item 6).
    expect((await whoami(em, old.value)).status).toBe(200)
  })

  it('revokes with a reason that both generations record; the key stops working', async () => {
    const issued = await client.createKey(tenantId, { name: `ci-${profile}-revoke` })
    remember(issued.value)
    expect(await client.revocationHistory(tenantId, issued.key.id)).toEqual([])
    await client.revokeKey(tenantId, issued.key.id, { reason: 'leaked in a log' })
    expect((await whoami(em, issued.value)).status).toBe(401)
    const k = await client.getKey(tenantId, issued.key.id)
    expect(k.revokedAt).not.toBeNull()
    expect(k.enabled).toBe(false)
    const history = await client.revocationHistory(tenantId, issued.key.id)
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ keyId: issued.key.id, reason: 'leaked in a log' })
    expect(history[0]!.revokedAt).not.toBeNull()
    expect(history[0]!.revokedBy).toMatch(UUID_RE)
    expect(history[0]!.type).toBe(profile === 'legacy' ? 'emergency' : null)
    // Enabling does not undo a revocation.
    await client.enableKey(tenantId, issued.key.id)
    expect((await whoami(em, issued.value)).status).toBe(401)
  })

  it('deletes a key; a later get is a clear 404', async () => {
    const issued = await client.createKey(tenantId, { name: `ci-${profile}-delete` })
    remember(issued.value)
    await client.deleteKey(tenantId, issued.key.id)
    const err = await failure(client.getKey(tenantId, issued.key.id))
    expect(err).toMatchObject({ kind: 'http', status: 404, endpoint: 'GET /api/v1/admin/service-keys/:id' })
    expect(err.message).toMatch(/service key was not found/)
    expect((await whoami(em, issued.value)).status).toBe(401)
  })

  it('sends an Idempotency-Key with every mutation (replays are visible as one server effect)', async () => {
    // Two logical creates with the same name: two different idempotency keys, so the second
    // reaches the handler and fails on the duplicate name (500, not retried).
    await client.createKey(tenantId, { name: `ci-${profile}-idem` })
    const err = await failure(client.createKey(tenantId, { name: `ci-${profile}-idem` }))
    expect(err.status).toBe(500)
    expect(err.retryable).toBe(false)
    expect(err.message).toContain('Failed to create service key')
  })
})

describe('update on a fixed current server (the emulator option --server-fixed)', () => {
  let em: RunningEmulator
  beforeAll(async () => { em = await emulator({ serverFixed: true }) })
  afterAll(async () => em.close())

  it('probes as supported and updates with PUT', async () => {
    const client = makeClient(em).client
    const tenantId = em.tenants.find((t) => !t.isDefault)?.id ?? ''
    expect(await client.probeUpdateSupport()).toBe('supported')
    const { key } = await client.createKey(tenantId, { name: 'fixed-update' })
    const updated = await client.updateKey(tenantId, key.id, { name: 'fixed-renamed', rateLimitPerHour: 500 })
    expect(updated).toMatchObject({ id: key.id, name: 'fixed-renamed', rateLimitPerHour: 500 })
    expect(em.requestCounts()['PATCH /api/v1/admin/service-keys/:id'] ?? 0).toBe(0)
  })
})

describe('timestamps as the real server writes them (microseconds, its own zone offset)', () => {
  let em: RunningEmulator
  beforeAll(async () => { em = await emulator({ utcOffsetMinutes: 150 }) })
  afterAll(async () => em.close())

  it('are read as the instants they name, whatever the offset and precision', async () => {
    const client = makeClient(em).client
    const tenantId = em.tenants.find((t) => !t.isDefault)?.id ?? ''
    const expiresAt = '2027-03-01T12:30:00.123456+02:30'
    const { key } = await client.createKey(tenantId, { name: 'offset-key', expiresAt })
    const listed = (await client.listKeys(tenantId)).find((k) => k.id === key.id)
    // Read back from the "database": the server's offset (+02:30 here) and up to 6 fraction digits.
    expect(listed?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+02:30$/)
    expect(Date.parse(listed?.expiresAt ?? '')).toBe(Date.parse('2027-03-01T10:00:00.123Z'))
    expect(Math.abs(Date.parse(listed?.createdAt ?? '') - em.clock.now())).toBeLessThan(60_000)
  })
})

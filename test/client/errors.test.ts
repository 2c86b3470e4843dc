// Documented error statuses (400/401/403/404/409/429/500) mapped to FluxbaseError, over real HTTP.
// 405 (both update methods refused) and schema mismatches need a stub server: see stub.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../emulator/index'
import { FluxbaseClient } from '../../src/core/fluxbase'
import { assertNoLeaks, emulator, failure, makeClient, remember, tenantOf } from './helpers'

const CREATE = 'POST /api/v1/admin/service-keys'

describe('HTTP errors on the current server', () => {
  let em: RunningEmulator
  let client: FluxbaseClient
  let acme: string
  beforeAll(async () => {
    em = await emulator()
    client = makeClient(em).client
    acme = tenantOf(em, 'acme')
  })
  afterEach(() => em.setFaults([]))
  afterAll(async () => {
    assertNoLeaks()
    await em.close()
  })

  it('400: validation errors carry the server text, code and request id; not retried', async () => {
    const before = em.requestCounts()[CREATE] ?? 0
    const err = await failure(client.createKey(acme, { name: '' }))
    expect(err).toMatchObject({ kind: 'http', status: 400, code: 'MISSING_REQUIRED_FIELD', retryable: false, endpoint: CREATE })
    expect(err.requestId).toBeTruthy()
    expect(err.message).toContain('Name is required')
    expect(err.message).toContain(`request id ${err.requestId}`)
    expect(em.requestCounts()[CREATE]).toBe(before + 1)

    const { key } = await client.createKey(acme, { name: 'err-400-update' })
    const e2 = await failure(client.updateKey(acme, key.id, {}))
    expect(e2).toMatchObject({ status: 400, code: 'INVALID_INPUT' })
    expect(e2.message).toContain('No fields to update')
  })

  it('400 from bad arguments never reaches the server', async () => {
    const e1 = await failure(client.listKeys('acme'))
    expect(e1.code).toBe('INVALID_TENANT_ID')
    expect(e1.message).toMatch(/UUID/)
    const e2 = await failure(client.getKey(acme, 'not-a-uuid'))
    expect(e2.code).toBe('INVALID_KEY_ID')
    const e3 = await failure(client.deprecateKey(acme, '5c3c4a8e-1111-4222-8333-444455556666', { graceHours: -1 }))
    expect(e3.code).toBe('INVALID_GRACE_PERIOD')
  })

  it('401: a rejected token that cannot be renewed -> auth, "sign in again"', async () => {
    const c = new FluxbaseClient({ baseUrl: em.url, credential: { kind: 'token', accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW5vdC12YWxpZA' }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } })
    const err = await failure(c.listKeys(acme))
    expect(err).toMatchObject({ kind: 'auth', status: 401, retryable: false })
    expect(err.message).toMatch(/sign in again/)
  })

  it('404: unknown key, and an unknown tenant UUID', async () => {
    const e1 = await failure(client.getKey(acme, '5c3c4a8e-1111-4222-8333-444455556666'))
    expect(e1).toMatchObject({ kind: 'http', status: 404, code: 'NOT_FOUND', retryable: false })
    expect(e1.message).toMatch(/service key was not found/)
    const e2 = await failure(client.listKeys('5c3c4a8e-1111-4222-8333-444455556666'))
    expect(e2.status).toBe(404)
    expect(e2.message).toMatch(/tenant does not exist/)
  })

  it('429 with Retry-After: retried until the budget is spent, then reported with retryAfterMs', async () => {
    em.setFaults([{ path: '^/api/v1/admin/service-keys$', method: 'GET', kind: 'status429', retryAfterSeconds: 0, count: 10 }])
    const before = em.requestCounts()['GET /api/v1/admin/service-keys'] ?? 0
    const err = await failure(client.listKeys(acme))
    expect(err).toMatchObject({ kind: 'http', status: 429, code: 'RATE_LIMIT_EXCEEDED', retryable: true, retryAfterMs: 0 })
    expect(err.message).toMatch(/rate-limiting/)
    expect(em.requestCounts()['GET /api/v1/admin/service-keys']).toBe(before + 4)
  })

  it('500: the update defect is a clear, non-retried error', async () => {
    // The default emulator is the server as shipped: its update always fails (reference §4.4).
    const quirky = await emulator()
    try {
      const c = makeClient(quirky).client
      const t = tenantOf(quirky, 'acme')
      const { key } = await c.createKey(t, { name: 'quirk' })
      const err = await failure(c.updateKey(t, key.id, { description: 'x' }))
      expect(err).toMatchObject({ kind: 'http', status: 500, code: 'INTERNAL_ERROR', retryable: false, endpoint: 'PUT /api/v1/admin/service-keys/:id' })
      expect(err.message).toMatch(/cannot update service keys/)
      expect(err.message).toMatch(/known defect/)
      expect(err.message).toContain(err.requestId!)
      expect(quirky.requestCounts()['PUT /api/v1/admin/service-keys/:id']).toBe(1)
      expect(quirky.requestCounts()['PATCH /api/v1/admin/service-keys/:id'] ?? 0).toBe(0)
    } finally {
      await quirky.close()
    }
  })

  it('500 on a mutation is never retried (duplicate rotate)', async () => {
    const issued = await client.createKey(acme, { name: 'err-rotate-twice' })
    remember(issued.value)
    remember((await client.rotateKey(acme, issued.key.id)).issued.value)
    const before = em.requestCounts()['POST /api/v1/admin/service-keys/:id/rotate'] ?? 0
    const err = await failure(client.rotateKey(acme, issued.key.id))
    expect(err).toMatchObject({ status: 500, retryable: false })
    expect(err.message).toContain('Failed to create rotated key')
    expect(em.requestCounts()['POST /api/v1/admin/service-keys/:id/rotate']).toBe(before + 1)
  })
})

describe('HTTP errors on the legacy server', () => {
  let em: RunningEmulator
  let client: FluxbaseClient
  let tenant: string
  beforeAll(async () => {
    em = await emulator({ profile: 'legacy' })
    client = makeClient(em).client
    tenant = await client.resolveTenantId('default')
  })
  afterAll(async () => {
    assertNoLeaks()
    await em.close()
  })

  it('409: revoking twice, deprecating twice', async () => {
    const issued = await client.createKey(tenant, { name: 'legacy-409' })
    remember(issued.value)
    await client.revokeKey(tenant, issued.key.id, { reason: 'first' })
    const e1 = await failure(client.revokeKey(tenant, issued.key.id, { reason: 'second' }))
    expect(e1).toMatchObject({ kind: 'http', status: 409, code: 'ALREADY_EXISTS', retryable: false })
    expect(e1.message).toMatch(/conflicts with the key's current state/)
    const { key } = await client.createKey(tenant, { name: 'legacy-409-dep' })
    await client.deprecateKey(tenant, key.id, { graceHours: 1 })
    const e2 = await failure(client.deprecateKey(tenant, key.id, { graceHours: 1 }))
    expect(e2).toMatchObject({ status: 409, code: 'CONFLICT' })
  })

  it('400 with a bare {error} body (no code, no request id in the body)', async () => {
    const err = await failure(client.createKey(tenant, { name: 'bad-scope', scopes: ['nope'] }))
    expect(err).toMatchObject({ kind: 'http', status: 400, code: null })
    expect(err.message).toContain('Invalid scopes')
    expect(err.requestId).toBeTruthy() // from the X-Request-ID header
  })

  it('403: a tenant admin may not manage keys on the legacy server', async () => {
    const ta = makeClient(em, { who: 'tenant' }).client
    const err = await failure(ta.listKeys(tenant))
    expect(err).toMatchObject({ kind: 'http', status: 403, code: 'INSUFFICIENT_PERMISSIONS', retryable: false })
    expect(err.message).toMatch(/lacks permission for listing the service keys/)
  })
})

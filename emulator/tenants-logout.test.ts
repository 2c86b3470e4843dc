// Tenant listing (active only), the tenant-database middleware (500 before auth), and logout.
import { describe, expect, it } from 'vitest'
import { arr, bearer, emulatorsPerTest, obj, SK, type Client } from './test-helpers'

const fresh = emulatorsPerTest()

const byStatus = (c: Client, status: string) => c.em.allTenants.filter((t) => t.status === status)

describe('tenant list and non-active tenants', () => {
  it('GET /tenants lists only active tenants; a larger seed has creating / error / deleting ones', async () => {
    const c = await fresh({ seed: { tenants: 12, keysPerTenant: 2, seed: 5 } })
    const token = await c.login()
    const listed = arr((await c.req('GET', '/api/v1/admin/tenants', { headers: bearer(token) })).json)
    expect(listed.every((t) => t.status === 'active')).toBe(true)
    expect(listed.map((t) => t.id)).toEqual(c.em.tenants.map((t) => t.id))
    expect(c.em.allTenants).toHaveLength(12)
    expect(listed.length).toBeLessThan(12)
    for (const s of ['creating', 'error', 'deleting']) expect(byStatus(c, s).length).toBeGreaterThan(0)
    expect(c.em.allTenants.find((t) => t.isDefault)?.status).toBe('active')
    // A small seed (or the demo data) has no hidden tenants.
    const small = await fresh({ seed: { tenants: 4, keysPerTenant: 1, seed: 5 } })
    expect(small.em.allTenants.every((t) => t.status === 'active')).toBe(true)
  })

  it('X-FB-Tenant of a hidden tenant: creating/error still serve keys, deleting is 500 before auth', async () => {
    const c = await fresh({ seed: { tenants: 12, keysPerTenant: 2, seed: 5 } })
    const token = await c.login()
    for (const t of [...byStatus(c, 'creating'), ...byStatus(c, 'error')]) {
      const r = await c.req('GET', SK, { headers: bearer(token, t.id) })
      expect(r.status).toBe(200)
      expect(arr(r.json)).toHaveLength(2)
    }
    const deleting = byStatus(c, 'deleting')[0]?.id ?? ''
    const noAuth = await c.req('GET', SK, { headers: { 'x-fb-tenant': deleting } })
    expect(noAuth.status).toBe(500)
    expect(noAuth.json).toEqual({ error: 'tenant database unavailable', code: 'INTERNAL_ERROR', request_id: noAuth.headers.get('x-request-id') })
  })
})

describe('tenant database unavailable', () => {
  it('setTenantDatabaseDown: 500 before auth for that tenant only; the default tenant has no own DB', async () => {
    const c = await fresh()
    const token = await c.login()
    const [def, acme, globex] = c.em.tenants
    c.em.setTenantDatabaseDown(acme?.id ?? '', true)
    for (const headers of [{ 'x-fb-tenant': acme?.id ?? '' }, bearer(token, acme?.id), bearer('garbage', acme?.id)]) {
      const r = await c.req('GET', SK, { headers })
      expect(r.status).toBe(500)
      expect(obj(r.json)).toMatchObject({ error: 'tenant database unavailable', code: 'INTERNAL_ERROR' })
    }
    expect((await c.req('POST', SK, { headers: bearer(token, acme?.id), json: { name: 'x' } })).status).toBe(500)
    expect((await c.req('GET', '/api/v1/admin/tenants', { headers: bearer(token, acme?.id) })).status).toBe(500)
    // A slug fails the tenant-db lookup (id = $1::uuid), so that check is skipped for it.
    expect((await c.req('GET', SK, { headers: bearer(token, 'acme') })).status).toBe(500)
    expect(obj((await c.req('GET', SK, { headers: bearer(token, 'acme') })).json).error).toBe('Failed to list service keys')
    expect((await c.req('GET', SK, { headers: bearer(token, globex?.id) })).status).toBe(200)
    expect((await c.req('GET', SK, { headers: bearer(token) })).status).toBe(200) // default tenant: main DB
    expect(() => c.em.setTenantDatabaseDown(def?.id ?? '', true)).toThrow(/main database/)
    expect(() => c.em.setTenantDatabaseDown(crypto.randomUUID(), true)).toThrow(/no tenant/)
    c.em.setTenantDatabaseDown(acme?.id ?? '', false)
    expect((await c.req('GET', SK, { headers: bearer(token, acme?.id) })).status).toBe(200)
  })

  it('as a fault rule (tenantDbDown, count) and through the control route', async () => {
    const c = await fresh({ controlRoutes: true })
    const token = await c.login()
    const acme = c.em.tenants[1]?.id ?? ''
    c.em.setFaults([{ kind: 'tenantDbDown', tenantId: acme, count: 1 }])
    expect((await c.req('GET', SK, { headers: bearer(token) })).status).toBe(200) // default tenant: rule not spent
    expect((await c.req('GET', SK, { headers: bearer(token, acme) })).status).toBe(500)
    expect((await c.req('GET', SK, { headers: bearer(token, acme) })).status).toBe(200)
    const down = await c.req('POST', '/__emulator/tenant-db', { json: { tenantId: acme, down: true } })
    expect(down.status).toBe(200)
    expect((await c.req('GET', SK, { headers: bearer(token, acme) })).status).toBe(500)
    expect(obj((await c.req('GET', '/__emulator/state')).json).tenant_db_down).toEqual([acme])
    expect((await c.req('POST', '/__emulator/tenant-db', { json: { tenantId: acme } })).status).toBe(400)
    await c.req('POST', '/__emulator/tenant-db', { json: { tenantId: acme, down: false } })
    expect((await c.req('GET', SK, { headers: bearer(token, acme) })).status).toBe(200)
  })

  it('the 500 is a returned error: not kept by idempotency, so the same key works once the DB is back', async () => {
    const c = await fresh()
    const token = await c.login()
    const acme = c.em.tenants[1]?.id ?? ''
    c.em.setTenantDatabaseDown(acme, true)
    const h = { ...bearer(token, acme), 'idempotency-key': 'db-1' }
    expect((await c.req('POST', SK, { headers: h, json: { name: 'db' } })).status).toBe(500)
    c.em.setTenantDatabaseDown(acme, false)
    expect((await c.req('POST', SK, { headers: h, json: { name: 'db' } })).status).toBe(201)
  })
})

describe('POST /api/v1/admin/logout', () => {
  const logout = (c: Client, headers: Record<string, string>) => c.req('POST', '/api/v1/admin/logout', { headers })

  it('blacklists the bearer token; only non-instance-admin tokens are then refused; the refresh token lives on', async () => {
    const c = await fresh()
    const dash = await c.req('POST', '/dashboard/auth/login', { json: c.em.credentials.tenantAdmin })
    const { access_token: access, refresh_token: refresh } = obj(dash.json) as { access_token: string; refresh_token: string }
    const out = await logout(c, { authorization: `Bearer ${access}`, 'x-fb-tenant': 'no-such-tenant' }) // no tenant middleware here
    expect(out.status).toBe(200)
    expect(out.json).toEqual({ message: 'Logged out successfully' })
    const after = await c.req('GET', SK, { headers: bearer(access) })
    expect(after.status).toBe(401)
    expect(obj(after.json)).toMatchObject({ error: 'Token has been revoked', code: 'REVOKED_TOKEN' })
    // The dashboard session is not ended: the refresh token still gives a working access token.
    const rr = await c.req('POST', '/api/v1/admin/refresh', { json: { refresh_token: refresh } })
    expect(rr.status).toBe(200)
    expect((await c.req('GET', SK, { headers: bearer(String(obj(rr.json).access_token)) })).status).toBe(200)

    // instance_admin tokens skip the revocation check: the token keeps working after logout.
    const admin = await c.login()
    expect((await logout(c, bearer(admin))).status).toBe(200)
    expect((await c.req('GET', SK, { headers: bearer(admin) })).status).toBe(200)
  })

  it('401s: no credentials, a bad token, a cookie without an Authorization header, a header without "Bearer "', async () => {
    const c = await fresh()
    const none = await logout(c, {})
    expect(none.status).toBe(401)
    expect(obj(none.json)).toMatchObject({ error: 'Missing authentication', code: 'MISSING_AUTHENTICATION' })
    expect(obj((await logout(c, { authorization: 'Bearer nope' })).json)).toMatchObject({ code: 'INVALID_TOKEN' })
    const token = await c.login()
    const cookie = await logout(c, { cookie: `fluxbase_access_token=${token}` })
    expect(cookie.status).toBe(401)
    expect(obj(cookie.json)).toMatchObject({ error: 'Missing authentication', code: 'MISSING_AUTHENTICATION' })
    const raw = await logout(c, { authorization: token })
    expect(raw.status).toBe(401)
    expect(obj(raw.json)).toMatchObject({ error: 'Invalid authorization header format', code: 'INVALID_FORMAT' })
  })
})

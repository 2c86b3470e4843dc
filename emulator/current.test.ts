// Contract tests for the current (nimbleflux) profile: §1-§6 of the reference.
import { describe, expect, it } from 'vitest'
import { arr, bearer, DB_TIME_RE, emulatorsPerTest, GO_NOW_RE, obj, SK, UUID_RE, type Client } from './test-helpers'

const fresh = emulatorsPerTest()

/** Creates a key in a tenant and returns the 201 body. */
async function create(c: Client, token: string, tenant: string, body: Record<string, unknown>) {
  const r = await c.req('POST', SK, { headers: bearer(token, tenant), json: body })
  expect(r.status).toBe(201)
  return obj(r.json)
}

describe('auth: login, refresh, token checks', () => {
  it('admin login returns user + tokens; refresh returns the same refresh token', async () => {
    const c = await fresh()
    const r = await c.req('POST', '/api/v1/admin/login', { json: c.em.credentials.instanceAdmin })
    expect(r.status).toBe(200)
    const b = obj(r.json)
    expect(Object.keys(b)).toEqual(['user', 'access_token', 'refresh_token', 'expires_in'])
    expect(b.expires_in).toBe(86400)
    const user = obj(b.user)
    expect(user).toMatchObject({ email: 'admin@fluxbase.local', role: 'instance_admin', is_active: true, is_locked: false, totp_enabled: false })
    expect('locked_until' in user).toBe(false)
    expect(String(user.id)).toMatch(UUID_RE)
    const claims = JSON.parse(Buffer.from(String(b.access_token).split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
    expect(claims).toMatchObject({ role: 'instance_admin', token_type: 'access', iss: 'fluxbase', aud: ['fluxbase'], is_instance_admin: true, sub: user.id, user_id: user.id })
    expect(Number(claims.exp) - Number(claims.iat)).toBe(86400)
    expect(r.headers.get('x-request-id')).toMatch(UUID_RE)

    const rr = await c.req('POST', '/api/v1/admin/refresh', { json: { refresh_token: b.refresh_token } })
    expect(rr.status).toBe(200)
    const rb = obj(rr.json)
    expect(rb.refresh_token).toBe(b.refresh_token)
    expect(typeof rb.access_token).toBe('string')
    expect(rb.expires_in).toBe(86400)
    const bad = await c.req('POST', '/api/v1/admin/refresh', { json: { refresh_token: 'nope' } })
    expect(bad.status).toBe(401)
    expect(obj(bad.json)).toMatchObject({ error: 'Invalid or expired refresh token', code: 'INVALID_TOKEN' })
  })

  it('wrong password 401, bad JSON 400, tenant admin 403 ADMIN_REQUIRED', async () => {
    const c = await fresh()
    const wrong = await c.req('POST', '/api/v1/admin/login', { json: { email: 'admin@fluxbase.local', password: 'x' } })
    expect(wrong.status).toBe(401)
    const wb = obj(wrong.json)
    expect(wb).toEqual({ error: 'Invalid email or password', code: 'INVALID_CREDENTIALS', request_id: wrong.headers.get('x-request-id') })
    const badJson = await c.req('POST', '/api/v1/admin/login', { body: '{nope', headers: { 'content-type': 'application/json' } })
    expect(badJson.status).toBe(400)
    expect(obj(badJson.json).code).toBe('INVALID_REQUEST_BODY')
    const ta = await c.req('POST', '/api/v1/admin/login', { json: c.em.credentials.tenantAdmin })
    expect(ta.status).toBe(403)
    expect(obj(ta.json)).toMatchObject({ error: 'Access denied. Admin role required.', code: 'ADMIN_REQUIRED' })
  })

  it('5 wrong passwords lock the account for 15 minutes (emulator clock)', async () => {
    const c = await fresh()
    const attempt = (password: string) => c.req('POST', '/api/v1/admin/login', { json: { email: 'admin@fluxbase.local', password } })
    for (let i = 0; i < 5; i++) expect((await attempt('wrong')).status).toBe(401)
    const locked = await attempt('fluxbase-demo-admin')
    expect(locked.status).toBe(403)
    expect(obj(locked.json).code).toBe('ACCOUNT_LOCKED')
    c.em.clock.advance(14 * 60_000)
    expect((await attempt('fluxbase-demo-admin')).status).toBe(403)
    c.em.clock.advance(61_000)
    expect((await attempt('fluxbase-demo-admin')).status).toBe(200)
  })

  it('dashboard login serves tenant admins, and 500s "Login failed" on a wrong password', async () => {
    const c = await fresh()
    const ok = await c.req('POST', '/dashboard/auth/login', { json: c.em.credentials.tenantAdmin })
    expect(ok.status).toBe(200)
    expect(Object.keys(obj(ok.json))).toEqual(['access_token', 'refresh_token', 'expires_in', 'user'])
    expect(obj(obj(ok.json).user).role).toBe('tenant_admin')
    const bad = await c.req('POST', '/dashboard/auth/login', { json: { email: c.em.credentials.tenantAdmin.email, password: 'x' } })
    expect(bad.status).toBe(500)
    expect(obj(bad.json)).toMatchObject({ error: 'Login failed' })
  })

  it('missing / invalid / expired tokens, and role checks', async () => {
    const c = await fresh({ accessTokenTtlSeconds: 60 })
    const none = await c.req('GET', SK)
    expect(none.status).toBe(401)
    expect(obj(none.json)).toEqual({ error: 'Missing authentication', code: 'MISSING_AUTHENTICATION', request_id: none.headers.get('x-request-id') })
    const garbage = await c.req('GET', SK, { headers: { authorization: 'Bearer abc.def.ghi' } })
    expect(garbage.status).toBe(401)
    expect(obj(garbage.json).code).toBe('INVALID_TOKEN')
    // Service keys are not accepted on admin routes (§2.2).
    const sk = await c.req('GET', SK, { headers: { authorization: 'ServiceKey sk_live_whatever' } })
    expect(sk.status).toBe(401)
    expect(obj(sk.json).code).toBe('INVALID_TOKEN')
    const token = await c.login()
    expect((await c.req('GET', SK, { headers: bearer(token) })).status).toBe(200)
    c.em.clock.advance(61_000)
    const expired = await c.req('GET', SK, { headers: bearer(token) })
    expect(expired.status).toBe(401)
    expect(obj(expired.json)).toMatchObject({ error: 'Invalid or expired token', code: 'INVALID_TOKEN' })
    // The tenant admin may use service keys but not list all tenants.
    const ta = await c.login('tenant')
    expect((await c.req('GET', SK, { headers: bearer(ta) })).status).toBe(200)
    const tl = await c.req('GET', '/api/v1/admin/tenants', { headers: bearer(ta) })
    expect(tl.status).toBe(403)
    expect(obj(tl.json)).toMatchObject({ error: 'Insufficient permissions', code: 'INSUFFICIENT_PERMISSIONS' })
  })

  it('echoes an incoming X-Request-ID and sets one on every response, even 404s', async () => {
    const c = await fresh()
    const mine = await c.req('GET', '/nope', { headers: { 'x-request-id': 'req-123' } })
    expect(mine.status).toBe(404)
    expect(mine.headers.get('x-request-id')).toBe('req-123')
    // The server's catch-all route (registered after all others) answers unknown paths.
    expect(obj(mine.json)).toEqual({ error: 'Not Found', path: '/nope' })
  })
})

describe('tenants, health and X-FB-Tenant', () => {
  it('lists tenants (created_at ASC) and my tenants with my_role', async () => {
    const c = await fresh()
    const token = await c.login()
    const r = await c.req('GET', '/api/v1/admin/tenants', { headers: bearer(token) })
    expect(r.status).toBe(200)
    const list = arr(r.json)
    expect(list.map((t) => t.slug)).toEqual(['default', 'acme', 'globex'])
    expect(list[0]).toMatchObject({ name: 'Default', is_default: true, status: 'active' })
    expect('db_name' in (list[0] ?? {})).toBe(false)
    expect(list[1]).toMatchObject({ db_name: 'tenant_acme', is_default: false })
    expect(String(list[1]?.updated_at)).toMatch(DB_TIME_RE)
    // instance admin has no assignments -> []
    expect(arr((await c.req('GET', '/api/v1/admin/tenants/mine', { headers: bearer(token) })).json)).toEqual([])
    const ta = await c.login('tenant')
    const mine = arr((await c.req('GET', '/api/v1/admin/tenants/mine', { headers: bearer(ta) })).json)
    expect(mine.map((t) => t.id)).toEqual(c.em.credentials.tenantAdmin.tenantIds)
    expect(mine.every((t) => t.my_role === 'tenant_admin')).toBe(true)
  })

  it('health: plain, with services for admins, 401 for bad credentials', async () => {
    const c = await fresh()
    const plain = obj((await c.req('GET', '/health')).json)
    expect(plain.status).toBe('ok')
    expect('services' in plain).toBe(false)
    const token = await c.login()
    const full = obj((await c.req('GET', '/', { headers: bearer(token) })).json)
    expect(full.services).toEqual({ database: true, realtime: true })
    expect((await c.req('GET', '/health', { headers: { authorization: 'Bearer bad' } })).status).toBe(401)
  })

  it('unknown tenant 404 (before auth), slug 500s, absent header = default tenant', async () => {
    const c = await fresh()
    const unknown = await c.req('GET', SK, { headers: { 'x-fb-tenant': 'no-such-tenant' } })
    expect(unknown.status).toBe(404)
    expect(unknown.json).toEqual({ error: 'tenant not found' })
    expect(unknown.headers.get('x-request-id')).toBeTruthy()
    const token = await c.login()
    const [def, acme] = c.em.tenants
    const slugList = await c.req('GET', SK, { headers: bearer(token, 'acme') })
    expect(slugList.status).toBe(500)
    expect(obj(slugList.json)).toMatchObject({ error: 'Failed to list service keys', code: 'INTERNAL_ERROR' })
    const slugCreate = await c.req('POST', SK, { headers: bearer(token, 'acme'), json: { name: 'x' } })
    expect(slugCreate.status).toBe(500)
    expect(slugCreate.json).toEqual({ error: 'Internal Server Error', code: 'INTERNAL_ERROR' })
    const key = arr((await c.req('GET', SK, { headers: bearer(token, acme?.id) })).json)[0]
    expect((await c.req('GET', `${SK}/${String(key?.id)}`, { headers: bearer(token, 'acme') })).status).toBe(500)
    const absent = arr((await c.req('GET', SK, { headers: bearer(token) })).json)
    const viaId = arr((await c.req('GET', SK, { headers: bearer(token, def?.id) })).json)
    expect(absent.map((k) => k.id)).toEqual(viaId.map((k) => k.id))
    expect(absent.length).toBeGreaterThan(0)
  })

  it('isolates tenants: A cannot list, get, disable or delete B\'s key', async () => {
    const c = await fresh()
    const token = await c.login()
    const [, a, b] = c.em.tenants
    const created = await create(c, token, b?.id ?? '', { name: 'b-only' })
    const id = String(created.id)
    const listA = arr((await c.req('GET', SK, { headers: bearer(token, a?.id) })).json)
    expect(listA.some((k) => k.id === id)).toBe(false)
    for (const [m, p] of [['GET', `${SK}/${id}`], ['DELETE', `${SK}/${id}`], ['POST', `${SK}/${id}/disable`]] as const) {
      const r = await c.req(m, p, { headers: bearer(token, a?.id) })
      expect(r.status).toBe(404)
      expect(obj(r.json)).toMatchObject({ error: 'Service key not found', code: 'NOT_FOUND' })
    }
    expect((await c.req('GET', `${SK}/${id}`, { headers: bearer(token, b?.id) })).status).toBe(200)
  })
})

describe('service keys (current profile)', () => {
  it('create: 201 ServiceKeyWithKey, optional fields omitted, key format', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const b = await create(c, token, t, { name: 'svc' })
    expect(Object.keys(b)).toEqual(['id', 'name', 'key_prefix', 'key_type', 'scopes', 'enabled', 'created_at', 'key'])
    expect(b).toMatchObject({ name: 'svc', key_type: 'service', scopes: ['*'], enabled: true })
    expect(String(b.key)).toMatch(/^sk_live_[A-Za-z0-9_-]{43}=$/)
    expect(String(b.key)).toHaveLength(52)
    expect(b.key_prefix).toBe(String(b.key).slice(0, 16))
    expect(String(b.created_at)).toMatch(GO_NOW_RE) // Go time.Now(): ns, server zone
    for (const f of ['description', 'created_by', 'last_used_at', 'expires_at', 'revoked_at', 'deprecated_at', 'grace_period_ends_at', 'replaced_by', 'allowed_namespaces']) {
      expect(f in b).toBe(false)
    }
    const anon = await create(c, token, t, { name: 'pub', key_type: 'anon', description: 'd', allowed_namespaces: [], rate_limit_per_minute: 5, expires_at: '2027-01-01T00:00:00Z' })
    expect(String(anon.key)).toMatch(/^pk_live_/)
    expect(anon).toMatchObject({ scopes: ['read'], description: 'd', rate_limit_per_minute: 5, expires_at: '2027-01-01T00:00:00Z' })
    expect('allowed_namespaces' in anon).toBe(false) // empty slice omitted
    const got = obj((await c.req('GET', `${SK}/${String(anon.id)}`, { headers: bearer(token, t) })).json)
    expect('key' in got).toBe(false)
    expect('key_hash' in got).toBe(false)
    expect(String(got.created_at)).toMatch(DB_TIME_RE)
    expect(got.expires_at).toBe('2027-01-01T01:00:00+01:00') // read back from the DB: server zone
  })

  it('create errors: name required, bad key_type, bad body, duplicate name 500', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = bearer(token, c.em.tenants[1]?.id)
    const noName = await c.req('POST', SK, { headers: h, json: { description: 'x' } })
    expect(obj(noName.json)).toMatchObject({ error: 'Name is required', code: 'MISSING_REQUIRED_FIELD' })
    const kt = await c.req('POST', SK, { headers: h, json: { name: 'a', key_type: 'root' } })
    expect(kt.status).toBe(400)
    expect(obj(kt.json)).toMatchObject({ error: "key_type must be 'anon' or 'service'", code: 'INVALID_INPUT' })
    for (const body of ['', '{bad', '[]']) {
      const r = await c.req('POST', SK, { headers: { ...h, 'content-type': 'application/json' }, body })
      expect(r.status).toBe(400)
      expect(obj(r.json)).toMatchObject({ error: 'Invalid request body', code: 'INVALID_REQUEST_BODY' })
    }
    expect((await c.req('POST', SK, { headers: { ...h, 'content-type': 'text/plain' }, body: 'name=x' })).status).toBe(400)
    expect((await c.req('POST', SK, { headers: h, json: { name: 'a', rate_limit_per_minute: 1.5 } })).status).toBe(400)
    expect((await c.req('POST', SK, { headers: h, json: { name: 'a', expires_at: 'tomorrow' } })).status).toBe(400)
    await create(c, token, c.em.tenants[1]?.id ?? '', { name: 'dup' })
    const dup = await c.req('POST', SK, { headers: h, json: { name: 'dup' } })
    expect(dup.status).toBe(500)
    expect(obj(dup.json)).toMatchObject({ error: 'Failed to create service key', code: 'INTERNAL_ERROR' })
    // Same name in another tenant is fine.
    expect((await c.req('POST', SK, { headers: bearer(token, c.em.tenants[2]?.id), json: { name: 'dup' } })).status).toBe(201)
  })

  it('non-UUID :id -> 400 INVALID_ID; PATCH -> the catch-all 404', async () => {
    const c = await fresh()
    const token = await c.login()
    const r = await c.req('GET', `${SK}/not-a-uuid`, { headers: bearer(token) })
    expect(r.status).toBe(400)
    expect(obj(r.json)).toMatchObject({ error: 'Invalid service key ID', code: 'INVALID_ID' })
    const id = crypto.randomUUID()
    const p = await c.req('PATCH', `${SK}/${id}`, { headers: bearer(token), json: { name: 'x' } })
    expect(p.status).toBe(404)
    expect(p.json).toEqual({ error: 'Not Found', path: `${SK}/${id}` })
    expect(c.em.requestCounts()['PATCH /api/v1/admin/service-keys/:id']).toBe(1)
  })

  it('update 500s as shipped, after the id, body and "no fields" checks', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const k = await create(c, token, t, { name: 'upd', description: 'before' })
    const put = (id: string, init: { json?: unknown; body?: string; headers?: Record<string, string> }) =>
      c.req('PUT', `${SK}/${id}`, { ...init, headers: { ...bearer(token, t), ...init.headers } })
    expect(obj((await put('nope', { json: { name: 'x' } })).json)).toMatchObject({ error: 'Invalid service key ID', code: 'INVALID_ID' })
    const badBody = await put(String(k.id), { body: '{bad', headers: { 'content-type': 'application/json' } })
    expect(badBody.status).toBe(400)
    expect(obj(badBody.json)).toMatchObject({ error: 'Invalid request body', code: 'INVALID_REQUEST_BODY' })
    const empty = await put(String(k.id), { json: {} })
    expect(empty.status).toBe(400)
    expect(obj(empty.json)).toMatchObject({ error: 'No fields to update', code: 'INVALID_INPUT' })
    const bug = await put(String(k.id), { json: { name: 'upd2' } })
    expect(bug.status).toBe(500)
    expect(obj(bug.json)).toEqual({ error: 'Failed to update service key', code: 'INTERNAL_ERROR', request_id: bug.headers.get('x-request-id') })
    // The statement fails before any row is looked at: an unknown id 500s too, and nothing changed.
    expect((await put(crypto.randomUUID(), { json: { name: 'z' } })).status).toBe(500)
    expect(obj((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).json)).toMatchObject({ name: 'upd', description: 'before' })
  })

  it('serverFixed: update works (COALESCE semantics, 404 for an unknown id)', async () => {
    const c = await fresh({ serverFixed: true })
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const k = await create(c, token, t, { name: 'upd', description: 'before' })
    const r = await c.req('PUT', `${SK}/${String(k.id)}`, { headers: bearer(token, t), json: { name: 'upd2', description: null, scopes: ['tables:read'], enabled: false } })
    expect(r.status).toBe(200)
    expect(obj(r.json)).toMatchObject({ name: 'upd2', description: 'before', scopes: ['tables:read'], enabled: false })
    expect(String(obj(r.json).created_at)).toMatch(DB_TIME_RE)
    const empty = await c.req('PUT', `${SK}/${String(k.id)}`, { headers: bearer(token, t), json: {} })
    expect(obj(empty.json)).toMatchObject({ error: 'No fields to update', code: 'INVALID_INPUT' })
    const missing = await c.req('PUT', `${SK}/${crypto.randomUUID()}`, { headers: bearer(token, t), json: { name: 'z' } })
    expect(missing.status).toBe(404)
  })

  it('disable/enable/delete: 204 with empty body', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const k = await create(c, token, t, { name: 'life' })
    const dis = await c.req('POST', `${SK}/${String(k.id)}/disable`, { headers: bearer(token, t), json: {} })
    expect(dis.status).toBe(204)
    expect(dis.text).toBe('')
    expect(obj((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).json).enabled).toBe(false)
    expect((await c.req('POST', `${SK}/${String(k.id)}/enable`, { headers: bearer(token, t) })).status).toBe(204)
    expect((await c.req('DELETE', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).status).toBe(204)
    expect((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).status).toBe(404)
  })

  it('revoke: reason via query; a JSON reason is ignored; revocations = one object with nulls', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const k1 = await create(c, token, t, { name: 'r1' })
    const before = obj((await c.req('GET', `${SK}/${String(k1.id)}/revocations`, { headers: bearer(token, t) })).json)
    expect(before).toEqual({ id: k1.id, name: 'r1', revoked_at: null, revoked_by: null, revocation_reason: null })
    const r = await c.req('POST', `${SK}/${String(k1.id)}/revoke?reason=compromised`, { headers: bearer(token, t) })
    expect(r.status).toBe(204)
    const after = obj((await c.req('GET', `${SK}/${String(k1.id)}/revocations`, { headers: bearer(token, t) })).json)
    expect(after).toMatchObject({ revocation_reason: 'compromised' })
    expect(String(after.revoked_at)).toMatch(DB_TIME_RE)
    expect(String(after.revoked_by)).toMatch(UUID_RE)
    const got = obj((await c.req('GET', `${SK}/${String(k1.id)}`, { headers: bearer(token, t) })).json)
    expect(got.enabled).toBe(false)
    expect(typeof got.revoked_at).toBe('string')

    const k2 = await create(c, token, t, { name: 'r2' })
    await c.req('POST', `${SK}/${String(k2.id)}/revoke`, { headers: bearer(token, t), json: { reason: 'lost' } })
    expect(obj((await c.req('GET', `${SK}/${String(k2.id)}/revocations`, { headers: bearer(token, t) })).json).revocation_reason).toBe('')
    const k3 = await create(c, token, t, { name: 'r3' })
    await c.req('POST', `${SK}/${String(k3.id)}/revoke`, { headers: { ...bearer(token, t), 'content-type': 'application/x-www-form-urlencoded' }, body: 'reason=leaked' })
    expect(obj((await c.req('GET', `${SK}/${String(k3.id)}/revocations`, { headers: bearer(token, t) })).json).revocation_reason).toBe('leaked')
  })

  it('deprecate: hours from a form body or query, JSON ignored (default 24), no bounds', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const hoursOf = (b: Record<string, unknown>) => (Date.parse(String(b.grace_period_ends_at)) - Date.parse(String(b.deprecated_at))) / 3_600_000
    const k = await create(c, token, t, { name: 'd1' })
    const form = await c.req('POST', `${SK}/${String(k.id)}/deprecate`, { headers: { ...bearer(token, t), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grace_period_hours=48' })
    expect(form.status).toBe(200)
    expect(Object.keys(obj(form.json))).toEqual(['deprecated_at', 'grace_period_ends_at'])
    expect(hoursOf(obj(form.json))).toBe(48)
    const json = await c.req('POST', `${SK}/${String(k.id)}/deprecate`, { headers: bearer(token, t), json: { grace_period_hours: '72' } })
    expect(hoursOf(obj(json.json))).toBe(24)
    const neg = await c.req('POST', `${SK}/${String(k.id)}/deprecate?grace_period_hours=-5`, { headers: bearer(token, t) })
    expect(hoursOf(obj(neg.json))).toBe(-5)
    const got = obj((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).json)
    expect(got.enabled).toBe(true)
    expect(typeof got.grace_period_ends_at).toBe('string')
  })

  it('rotate: 201 new key, old key deprecated + replaced_by, no grace end; twice -> 500', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const k = await create(c, token, t, { name: 'rot', description: 'keep', scopes: ['tables:read'], rate_limit_per_hour: 9 })
    const r = await c.req('POST', `${SK}/${String(k.id)}/rotate`, { headers: bearer(token, t), json: { grace_period_hours: 5 } })
    expect(r.status).toBe(201)
    const nk = obj(r.json)
    expect(nk).toMatchObject({ name: 'rot (rotated)', description: 'keep', scopes: ['tables:read'], rate_limit_per_hour: 9, enabled: true })
    expect(String(nk.key)).toMatch(/^sk_live_/)
    expect('deprecated_at' in nk).toBe(false)
    const old = obj((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).json)
    expect(old.replaced_by).toBe(nk.id)
    expect(typeof old.deprecated_at).toBe('string')
    expect('grace_period_ends_at' in old).toBe(false)
    expect(old.enabled).toBe(true)
    const again = await c.req('POST', `${SK}/${String(k.id)}/rotate`, { headers: bearer(token, t) })
    expect(again.status).toBe(500)
    expect(obj(again.json)).toMatchObject({ error: 'Failed to create rotated key', code: 'INTERNAL_ERROR' })
  })

  it('list is newest first and holds only the tenant\'s keys', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[2]?.id ?? ''
    await create(c, token, t, { name: 'n1' })
    c.em.clock.advance(1000)
    await create(c, token, t, { name: 'n2' })
    const list = arr((await c.req('GET', SK, { headers: bearer(token, t) })).json)
    expect(list[0]?.name).toBe('n2')
    expect(list[1]?.name).toBe('n1')
    const times = list.map((k) => Date.parse(String(k.created_at)))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
  })
})

describe('data plane: GET /api/v1/whoami', () => {
  it('accepts valid keys; rejects disabled, revoked and expired; accepts deprecated past grace', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const who = (key: string, viaAuth = false) =>
      c.req('GET', '/api/v1/whoami', { headers: viaAuth ? { authorization: `ServiceKey ${key}` } : { 'x-service-key': key } })
    const k = await create(c, token, t, { name: 'dp', scopes: ['tables:read'] })
    const ok = await who(String(k.key))
    expect(ok.status).toBe(200)
    expect(ok.json).toEqual({ key_id: k.id, key_type: 'service', role: 'service_role', scopes: ['tables:read'], allowed_namespaces: null, tenant_id: t })
    expect((await who(String(k.key), true)).status).toBe(200)
    const got = obj((await c.req('GET', `${SK}/${String(k.id)}`, { headers: bearer(token, t) })).json)
    expect(typeof got.last_used_at).toBe('string')
    const wrong = await who(`${String(k.key).slice(0, 20)}${'A'.repeat(31)}=`)
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({ error: 'Invalid service key' })

    await c.req('POST', `${SK}/${String(k.id)}/disable`, { headers: bearer(token, t) })
    expect((await who(String(k.key))).status).toBe(401)
    await c.req('POST', `${SK}/${String(k.id)}/enable`, { headers: bearer(token, t) })
    expect((await who(String(k.key))).status).toBe(200)

    const rv = await create(c, token, t, { name: 'rv' })
    await c.req('POST', `${SK}/${String(rv.id)}/revoke`, { headers: bearer(token, t) })
    await c.req('POST', `${SK}/${String(rv.id)}/enable`, { headers: bearer(token, t) }) // does not undo revoke
    expect((await who(String(rv.key))).status).toBe(401)

    const exp = await create(c, token, t, { name: 'exp', expires_at: new Date(c.em.clock.now() + 3_600_000).toISOString() })
    const dep = await create(c, token, t, { name: 'dep' })
    await c.req('POST', `${SK}/${String(dep.id)}/deprecate?grace_period_hours=1`, { headers: bearer(token, t) })
    expect((await who(String(exp.key))).status).toBe(200)
    c.em.clock.advance(2 * 3_600_000)
    expect((await who(String(exp.key))).status).toBe(401)
    expect((await who(String(dep.key))).status).toBe(200) // grace end not enforced (§6.3)
  })
})

describe('control routes', () => {
  it('are 404 unless enabled', async () => {
    const c = await fresh()
    expect((await c.req('GET', '/__emulator/state')).status).toBe(404)
    expect((await c.req('POST', '/__emulator/clock', { json: { advanceMs: 1 } })).status).toBe(404)
  })

  it('state, clock and faults when enabled', async () => {
    const c = await fresh({ controlRoutes: true })
    const s = obj((await c.req('GET', '/__emulator/state')).json)
    expect(s).toMatchObject({ profile: 'current', tenants: 3, keys: 18, users: 2 })
    const before = c.em.clock.now()
    const clk = obj((await c.req('POST', '/__emulator/clock', { json: { advanceMs: 3_600_000 } })).json)
    expect(Number(clk.now) - before).toBeGreaterThanOrEqual(3_600_000)
    const set = obj((await c.req('POST', '/__emulator/clock', { json: { setMs: 0 } })).json)
    expect(Number(set.now)).toBeLessThan(1000)
    expect((await c.req('POST', '/__emulator/faults', { json: { rules: [{ kind: 'status503', path: '^/health$', count: 1 }] } })).status).toBe(200)
    expect((await c.req('GET', '/health')).status).toBe(503)
    expect((await c.req('GET', '/health')).status).toBe(200)
    expect((await c.req('POST', '/__emulator/faults', { json: { rules: [{ kind: 'boom' }] } })).status).toBe(400)
  })
})

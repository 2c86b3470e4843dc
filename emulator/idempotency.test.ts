// The idempotency middleware as shipped (idempotency.go): before auth, keyed by the header value
// alone, 401/403 kept, replayed with Idempotency-Replayed; 422 / 409 / >= 500; serverFixed.
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { arr, bearer, emulatorsPerTest, obj, SK, type Client } from './test-helpers'

const fresh = emulatorsPerTest()

const tenant = (c: Client): string => c.em.tenants[1]?.id ?? ''
/** An HS256 JWT signed with the emulator's secret (the server accepts any role it names). */
const jwt = (secret: string, claims: Record<string, unknown>): string => {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`
}

const names = async (c: Client, token: string): Promise<unknown[]> =>
  arr((await c.req('GET', SK, { headers: bearer(token, tenant(c)) })).json).map((k) => k.name)

describe('idempotency (as shipped)', () => {
  it('replays the stored answer by key alone, with the replay header and the original request id', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, tenant(c)), 'idempotency-key': 'k-1' }
    const a = await c.req('POST', SK, { headers: h, json: { name: 'idem' } })
    expect(a.status).toBe(201)
    expect(a.headers.get('idempotency-replayed')).toBeNull()
    const b = await c.req('POST', SK, { headers: h, json: { name: 'idem' } })
    expect(b.status).toBe(201)
    expect(b.headers.get('idempotency-replayed')).toBe('true')
    expect(b.text).toBe(a.text)
    expect(b.headers.get('x-request-id')).toBe(a.headers.get('x-request-id'))
    // Another credential (the tenant admin), same key, same route: still the stored answer.
    const ta = await c.login('tenant')
    const other = await c.req('POST', SK, { headers: { ...bearer(ta, tenant(c)), 'idempotency-key': 'k-1' }, json: { name: 'idem' } })
    expect(other.headers.get('idempotency-replayed')).toBe('true')
    expect(other.text).toBe(a.text)
    expect((await names(c, token)).filter((n) => n === 'idem')).toHaveLength(1)
    // A new key really runs (a duplicate name: 500).
    const fresh2 = await c.req('POST', SK, { headers: { ...h, 'idempotency-key': 'k-2' }, json: { name: 'idem' } })
    expect(fresh2.status).toBe(500)
  })

  it('keeps a 401 and replays it to a fresh valid token with the same key: the change is never made', async () => {
    const c = await fresh()
    const body = { name: 'after-refresh' }
    const stale = await c.req('POST', SK, { headers: { authorization: 'Bearer stale.token.here', 'x-fb-tenant': tenant(c), 'idempotency-key': 'retry-1' }, json: body })
    expect(stale.status).toBe(401)
    expect(obj(stale.json)).toMatchObject({ error: 'Invalid or expired token', code: 'INVALID_TOKEN' })
    const token = await c.login()
    const retry = await c.req('POST', SK, { headers: { ...bearer(token, tenant(c)), 'idempotency-key': 'retry-1' }, json: body })
    expect(retry.status).toBe(401)
    expect(retry.headers.get('idempotency-replayed')).toBe('true')
    expect(retry.text).toBe(stale.text)
    expect(await names(c, token)).not.toContain('after-refresh')
    // Any answer below 500 is kept: a missing-authentication 401 on DELETE too.
    const id = crypto.randomUUID()
    const noAuth = await c.req('DELETE', `${SK}/${id}`, { headers: { 'idempotency-key': 'del-1' } })
    expect(noAuth.status).toBe(401)
    const again = await c.req('DELETE', `${SK}/${id}`, { headers: { ...bearer(token), 'idempotency-key': 'del-1' } })
    expect(again.status).toBe(401)
    expect(again.headers.get('idempotency-replayed')).toBe('true')
  })

  it('keeps a 403 too: a later request with an admin token and the same key gets the 403', async () => {
    const c = await fresh({ jwtSecret: 'idem-secret' })
    const now = Math.floor(c.em.clock.now() / 1000)
    const user = jwt('idem-secret', { role: 'authenticated', sub: crypto.randomUUID(), iat: now, exp: now + 3600, jti: 'j1' })
    const h = { 'x-fb-tenant': tenant(c), 'idempotency-key': 'k-403' }
    const denied = await c.req('POST', SK, { headers: { ...h, authorization: `Bearer ${user}` }, json: { name: 'nope' } })
    expect(denied.status).toBe(403)
    expect(obj(denied.json)).toMatchObject({ error: 'Insufficient permissions', code: 'INSUFFICIENT_PERMISSIONS' })
    const token = await c.login()
    const admin = await c.req('POST', SK, { headers: { ...h, authorization: `Bearer ${token}` }, json: { name: 'nope' } })
    expect(admin.status).toBe(403)
    expect(admin.headers.get('idempotency-replayed')).toBe('true')
    expect(await names(c, token)).not.toContain('nope')
  })

  it('same key, different body -> 422 IDEMPOTENCY_REQUEST_BODY_MISMATCH; other path -> 422 IDEMPOTENCY_KEY_MISMATCH', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, tenant(c)), 'idempotency-key': 'k-422' }
    expect((await c.req('POST', SK, { headers: h, json: { name: 'one' } })).status).toBe(201)
    const diff = await c.req('POST', SK, { headers: h, json: { name: 'two' } })
    expect(diff.status).toBe(422)
    expect(diff.json).toEqual({
      code: 'IDEMPOTENCY_REQUEST_BODY_MISMATCH',
      error: 'Idempotency Key Mismatch',
      message: 'This idempotency key was used with a different request body'
    })
    expect(diff.text.startsWith('{"code":')).toBe(true) // fiber.Map: keys sorted
    // An empty body is not compared: the stored 201 comes back.
    const noBody = await c.req('POST', SK, { headers: h })
    expect(noBody.status).toBe(201)
    expect(noBody.headers.get('idempotency-replayed')).toBe('true')
    const id = crypto.randomUUID()
    const path = await c.req('POST', `${SK}/${id}/disable`, { headers: h, json: { name: 'one' } })
    expect(path.status).toBe(422)
    expect(path.json).toEqual({
      code: 'IDEMPOTENCY_KEY_MISMATCH',
      details: { current_method: 'POST', current_path: `${SK}/${id}/disable`, original_method: 'POST', original_path: SK },
      error: 'Idempotency Key Mismatch',
      message: 'This idempotency key was used for a different request'
    })
    expect(await names(c, token)).not.toContain('two')
  })

  it('same key while the first request is being handled -> 409 IDEMPOTENCY_REQUEST_IN_PROGRESS (latencyMs)', async () => {
    // Both requests go out together; whichever the server sees first holds the record for the
    // whole latency, so exactly one runs and the other gets 409, in either order.
    const c = await fresh({ latencyMs: 1500 })
    const token = await c.login()
    const h = { ...bearer(token, tenant(c)), 'idempotency-key': 'k-409' }
    const [a, b] = await Promise.all([
      c.req('POST', SK, { headers: h, json: { name: 'slow' } }),
      c.req('POST', SK, { headers: h, json: { name: 'slow' } })
    ])
    expect([a.status, b.status].sort()).toEqual([201, 409])
    const conflict = a.status === 409 ? a : b
    expect(conflict.json).toEqual({
      code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      error: 'Request In Progress',
      hint: 'Please wait and retry in a few seconds',
      message: 'A request with this idempotency key is currently being processed'
    })
    const after = await c.req('POST', SK, { headers: h, json: { name: 'slow' } })
    expect(after.status).toBe(201)
    expect(after.headers.get('idempotency-replayed')).toBe('true')
    expect(c.em.requestCounts()['POST /api/v1/admin/service-keys']).toBe(3)
  })

  it('answers >= 500 are not kept: the same key can be retried and then runs', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, tenant(c)), 'idempotency-key': 'k-500' }
    const first = await c.req('POST', SK, { headers: h, json: { name: 'taken' } })
    expect(first.status).toBe(201)
    const dup = await c.req('POST', SK, { headers: { ...h, 'idempotency-key': 'k-dup' }, json: { name: 'taken' } })
    expect(dup.status).toBe(500) // duplicate name
    // Make room, retry with the same key and body: it runs now.
    await c.req('DELETE', `${SK}/${String(obj(first.json).id)}`, { headers: bearer(token, tenant(c)) })
    const retry = await c.req('POST', SK, { headers: { ...h, 'idempotency-key': 'k-dup' }, json: { name: 'taken' } })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotency-replayed')).toBeNull()
    // The shipped PUT always 500s: never stored, every retry runs again.
    const id = String(obj(retry.json).id)
    for (let i = 0; i < 2; i++) {
      const put = await c.req('PUT', `${SK}/${id}`, { headers: { ...bearer(token, tenant(c)), 'idempotency-key': 'k-put' }, json: { name: 'x' } })
      expect(put.status).toBe(500)
      expect(put.headers.get('idempotency-replayed')).toBeNull()
    }
    expect(c.em.requestCounts()['PUT /api/v1/admin/service-keys/:id']).toBe(2)
  })

  it('a key over 256 characters -> 400 on any request; GET and non-/api/ paths are otherwise untouched; 24 h TTL', async () => {
    const c = await fresh()
    const long = 'k'.repeat(257)
    for (const [m, p] of [['GET', '/health'], ['POST', SK], ['GET', SK]] as const) {
      const r = await c.req(m, p, { headers: { 'idempotency-key': long } })
      expect(r.status).toBe(400)
      expect(r.json).toEqual({ code: 'IDEMPOTENCY_KEY_TOO_LONG', error: 'Invalid Idempotency-Key', message: 'Idempotency key exceeds maximum length of 256 characters' })
    }
    const token = await c.login()
    const ok = await c.req('POST', SK, { headers: { ...bearer(token, tenant(c)), 'idempotency-key': 'k'.repeat(256) }, json: { name: 'max-key' } })
    expect(ok.status).toBe(201)
    const get1 = await c.req('GET', SK, { headers: { ...bearer(token, tenant(c)), 'idempotency-key': 'g' } })
    const get2 = await c.req('GET', SK, { headers: { ...bearer(token, tenant(c)), 'idempotency-key': 'g' } })
    expect(get2.headers.get('idempotency-replayed')).toBeNull()
    expect(get2.status).toBe(get1.status)
    // After 24 h the record is gone: the same key runs again (duplicate name -> 500).
    c.em.clock.advance(24 * 3_600_000 + 1000)
    const token2 = await c.login()
    const late = await c.req('POST', SK, { headers: { ...bearer(token2, tenant(c)), 'idempotency-key': 'k'.repeat(256) }, json: { name: 'max-key' } })
    expect(late.status).toBe(500)
  })

  it('a recovered panic leaves the record "processing": the key answers 409 until it expires', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, 'acme'), 'idempotency-key': 'k-panic' } // a slug: uuid.MustParse panics
    const first = await c.req('POST', SK, { headers: h, json: { name: 'x' } })
    expect(first.status).toBe(500)
    expect(first.json).toEqual({ error: 'Internal Server Error', code: 'INTERNAL_ERROR' })
    const again = await c.req('POST', SK, { headers: h, json: { name: 'x' } })
    expect(again.status).toBe(409)
    expect(obj(again.json).code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS')
  })
})

describe('idempotency (serverFixed)', () => {
  it('records are per credential and a 401 is not kept: the retry with a fresh token is made', async () => {
    const c = await fresh({ serverFixed: true })
    const body = { name: 'after-refresh' }
    const stale = await c.req('POST', SK, { headers: { authorization: 'Bearer stale.token.here', 'x-fb-tenant': tenant(c), 'idempotency-key': 'retry-1' }, json: body })
    expect(stale.status).toBe(401)
    const token = await c.login()
    const h = { ...bearer(token, tenant(c)), 'idempotency-key': 'retry-1' }
    const retry = await c.req('POST', SK, { headers: h, json: body })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotency-replayed')).toBeNull()
    const replay = await c.req('POST', SK, { headers: h, json: body })
    expect(replay.status).toBe(201)
    expect(replay.headers.get('idempotency-replayed')).toBe('true')
    // Another credential with the same key is a different record: it runs (duplicate name -> 500).
    const ta = await c.login('tenant')
    const other = await c.req('POST', SK, { headers: { ...bearer(ta, tenant(c)), 'idempotency-key': 'retry-1' }, json: body })
    expect(other.status).toBe(500)
    expect(await names(c, token)).toContain('after-refresh')
  })
})

// Legacy profile (Appendix A), fault injection, and deterministic seeding.
import { describe, expect, it } from 'vitest'
import { arr, bearer, emulatorsPerTest, obj, SK } from './test-helpers'
import { startEmulator } from './index'

const fresh = emulatorsPerTest()

describe('legacy profile', () => {
  it('create/update/disable/revoke/deprecate/rotate/revocations per Appendix A', async () => {
    const c = await fresh({ profile: 'legacy' })
    const token = await c.login()
    const h = bearer(token)
    // no tenant routes, no tenant handling
    expect((await c.req('GET', '/api/v1/admin/tenants', { headers: h })).status).toBe(404)
    expect((await c.req('GET', SK, { headers: { ...h, 'x-fb-tenant': 'whatever' } })).status).toBe(200)

    const badScope = await c.req('POST', SK, { headers: h, json: { name: 'x', scopes: ['nope'] } })
    expect(badScope.status).toBe(400)
    expect(String(obj(badScope.json).error)).toMatch(/^Invalid scopes: /)
    const cr = await c.req('POST', SK, { headers: h, json: { name: 'leg', key_type: 'anon' } })
    expect(cr.status).toBe(201)
    const k = obj(cr.json)
    expect(String(k.key)).toMatch(/^sk_[A-Za-z0-9_-]{43}$/)
    expect('key_type' in k).toBe(false)
    expect(k.scopes).toEqual(['*'])
    const id = String(k.id)

    expect((await c.req('PUT', `${SK}/${id}`, { headers: h, json: { name: 'y' } })).status).toBe(405)
    const up = await c.req('PATCH', `${SK}/${id}`, { headers: h, json: { description: 'now' } })
    expect(up.json).toEqual({ success: true, message: 'Service key updated successfully' })
    const dis = await c.req('POST', `${SK}/${id}/disable`, { headers: h })
    expect(dis.status).toBe(200)
    expect(dis.json).toEqual({ success: true, message: 'Service key disabled successfully' })
    expect((await c.req('GET', `${SK}/not-a-uuid`, { headers: h })).json).toEqual({ error: 'Invalid service key ID' })
    expect((await c.req('GET', `${SK}/${crypto.randomUUID()}`, { headers: h })).json).toEqual({ error: 'Service key not found' })

    const dep = await c.req('POST', `${SK}/${id}/deprecate`, { headers: h, json: { grace_period_hours: 5000 } })
    expect(dep.status).toBe(200)
    expect(obj(dep.json)).toMatchObject({ success: true, message: 'Service key deprecated for rotation', key_id: id, grace_period_hours: 720 })
    const dep2 = await c.req('POST', `${SK}/${id}/deprecate`, { headers: h, json: {} })
    expect(dep2.status).toBe(409)
    expect(obj(dep2.json)).toMatchObject({ code: 'CONFLICT' })

    const k2 = obj((await c.req('POST', SK, { headers: h, json: { name: 'leg2' } })).json)
    const rot = await c.req('POST', `${SK}/${String(k2.id)}/rotate`, { headers: h, json: { grace_period_hours: 0 } })
    expect(rot.status).toBe(201)
    const rb = obj(rot.json)
    expect(Object.keys(rb)).toEqual(['success', 'message', 'old_key_id', 'grace_period_ends', 'new_key'])
    expect(String(obj(rb.new_key).key)).toHaveLength(47)
    const old = obj((await c.req('GET', `${SK}/${String(k2.id)}`, { headers: h })).json)
    expect(old.replaced_by).toBe(obj(rb.new_key).id)
    expect((Date.parse(String(old.grace_period_ends_at)) - Date.parse(String(old.deprecated_at))) / 3_600_000).toBe(24)

    const noReason = await c.req('POST', `${SK}/${String(k2.id)}/revoke`, { headers: h, json: {} })
    expect(noReason.status).toBe(400)
    expect(obj(noReason.json)).toMatchObject({ error: 'reason is required', code: 'MISSING_REQUIRED_FIELD' })
    const rv = await c.req('POST', `${SK}/${String(k2.id)}/revoke`, { headers: h, json: { reason: 'leak' } })
    expect(rv.json).toEqual({ success: true, message: 'Service key revoked successfully', key_id: k2.id })
    const rv2 = await c.req('POST', `${SK}/${String(k2.id)}/revoke`, { headers: h, json: { reason: 'again' } })
    expect(rv2.status).toBe(409)
    expect(obj(rv2.json)).toMatchObject({ code: 'ALREADY_EXISTS' })
    const hist = arr((await c.req('GET', `${SK}/${String(k2.id)}/revocations`, { headers: h })).json)
    expect(hist.map((r) => r.revocation_type)).toEqual(['emergency', 'rotation']) // newest first
    expect(hist.find((r) => r.revocation_type === 'emergency')).toMatchObject({ key_id: k2.id, reason: 'leak' })
  })
})

describe('fault injection', () => {
  it('429 with Retry-After, 500, 503, count and method/path matching', async () => {
    const c = await fresh({ faults: [
      { kind: 'status429', path: '^/health$', count: 1, retryAfterSeconds: 7 },
      { kind: 'status500', method: 'POST', path: 'service-keys', count: 1 },
      { kind: 'status503', path: '^/$', count: 1 }
    ] })
    const r = await c.req('GET', '/health')
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('7')
    expect(r.json).toEqual({ code: 'RATE_LIMIT_EXCEEDED', error: 'Rate limit exceeded', message: 'Too many requests. Please try again in 7 seconds.', retry_after: 7 })
    expect((await c.req('GET', '/health')).status).toBe(200) // spent
    const token = await c.login()
    expect((await c.req('GET', SK, { headers: bearer(token) })).status).toBe(200) // GET not matched
    const f500 = await c.req('POST', SK, { headers: bearer(token), json: { name: 'x' } })
    expect(f500.status).toBe(500)
    expect(obj(f500.json).code).toBe('INTERNAL_ERROR')
    expect((await c.req('GET', '/')).status).toBe(503)
  })

  it('reset, truncated, malformed and slowBody are visible to fetch', async () => {
    const c = await fresh()
    const token = await c.login()
    c.em.setFaults([{ kind: 'reset', count: 1 }])
    await expect(fetch(`${c.em.url}/health`)).rejects.toThrow()
    c.em.setFaults([{ kind: 'truncated', count: 1 }])
    const tr = await fetch(`${c.em.url}${SK}`, { headers: bearer(token) })
    expect(tr.status).toBe(200)
    expect(tr.headers.get('content-length')).toBeNull()
    await expect(tr.json()).rejects.toThrow(SyntaxError)
    c.em.setFaults([{ kind: 'malformed', count: 1 }])
    const mf = await fetch(`${c.em.url}${SK}`, { headers: bearer(token) })
    expect(mf.status).toBe(200)
    await expect(mf.json()).rejects.toThrow(SyntaxError)
    c.em.setFaults([{ kind: 'slowBody', count: 1, latencyMs: 300 }])
    const t0 = performance.now()
    const sb = await fetch(`${c.em.url}${SK}`, { headers: bearer(token) })
    const headersAt = performance.now() - t0
    const body = await sb.json() as unknown[]
    const total = performance.now() - t0
    expect(body.length).toBe(6)
    // The body arrives over the rule's latency after the headers (lower bounds only: CPU load
    // can only make these larger).
    expect(total - headersAt).toBeGreaterThanOrEqual(200)
    expect(total).toBeGreaterThanOrEqual(250)
  })

  it('latency with jitter, base latency, and seeded rate rolls are reproducible', async () => {
    const c = await fresh({ latencyMs: 50, faults: [{ kind: 'latency', path: '^/health$', latencyMs: 150, jitterMs: 20 }] })
    const t0 = performance.now()
    await c.req('GET', '/health')
    expect(performance.now() - t0).toBeGreaterThanOrEqual(175)
    const pattern = async () => {
      const e = await startEmulator({ seed: { tenants: 1, keysPerTenant: 1, seed: 99 }, faults: [{ kind: 'status500', rate: 0.5 }] })
      const out: number[] = []
      for (let i = 0; i < 20; i++) out.push((await fetch(`${e.url}/health`)).status)
      await e.close()
      return out
    }
    const a = await pattern()
    expect(a).toEqual(await pattern())
    expect(a).toContain(500)
    expect(a).toContain(200)
  })
})

describe('seeding', () => {
  it('same seed -> same data; different seed -> different data; spread of states', async () => {
    const opts = { seed: { tenants: 6, keysPerTenant: 40, seed: 4242 }, now: Date.parse('2026-11-28T10:00:00Z') }
    const snapshot = async (seed: number) => {
      const c = await fresh({ ...opts, seed: { ...opts.seed, seed } })
      const token = await c.login()
      const lists = []
      for (const t of c.em.tenants) lists.push(arr((await c.req('GET', SK, { headers: bearer(token, t.id) })).json))
      return { tenants: c.em.tenants, lists }
    }
    const a = await snapshot(4242)
    const b = await snapshot(4242)
    expect(b).toEqual(a)
    const other = await snapshot(4243)
    expect(other.tenants.map((t) => t.id)).not.toEqual(a.tenants.map((t) => t.id))
    expect(a.tenants).toHaveLength(6)
    expect(a.tenants[0]).toMatchObject({ slug: 'default', isDefault: true })
    const all = a.lists.flat()
    expect(all).toHaveLength(240)
    const now = opts.now
    const count = (p: (k: Record<string, unknown>) => boolean) => all.filter(p).length
    expect(count((k) => 'revoked_at' in k)).toBeGreaterThan(0)
    expect(count((k) => k.enabled === false && !('revoked_at' in k))).toBeGreaterThan(0)
    expect(count((k) => 'deprecated_at' in k && Date.parse(String(k.grace_period_ends_at)) > now)).toBeGreaterThan(0)
    expect(count((k) => 'deprecated_at' in k && Date.parse(String(k.grace_period_ends_at)) < now)).toBeGreaterThan(0)
    expect(count((k) => 'replaced_by' in k && !('grace_period_ends_at' in k))).toBeGreaterThan(0)
    expect(count((k) => 'expires_at' in k && Date.parse(String(k.expires_at)) < now)).toBeGreaterThan(0)
    expect(count((k) => 'expires_at' in k && Date.parse(String(k.expires_at)) - now < 7 * 86_400_000 && Date.parse(String(k.expires_at)) > now)).toBeGreaterThan(0)
    expect(count((k) => !('last_used_at' in k))).toBeGreaterThan(0)
    expect(count((k) => k.key_type === 'anon')).toBeGreaterThan(0)
    expect(count((k) => 'description' in k)).toBeGreaterThan(0)
    expect(count((k) => 'rate_limit_per_minute' in k)).toBeGreaterThan(0)
    // names unique per tenant
    for (const l of a.lists) expect(new Set(l.map((k) => k.name)).size).toBe(l.length)
  })

  it('serves a large seeded instance (300 tenants x 50 keys) quickly', async () => {
    const t0 = performance.now()
    const c = await fresh({ seed: { tenants: 300, keysPerTenant: 50, seed: 1 } })
    const seededMs = performance.now() - t0
    const token = await c.login()
    const t1 = performance.now()
    for (const t of c.em.tenants.slice(0, 100)) {
      const r = await c.req('GET', SK, { headers: bearer(token, t.id) })
      expect(arr(r.json)).toHaveLength(50)
    }
    // Generous bounds: they catch a quadratic regression, not a busy machine.
    expect(seededMs).toBeLessThan(30_000)
    expect(performance.now() - t1).toBeLessThan(30_000)
  })
})

// Transport as the real server has it: compress middleware, Postgres/Go timestamps in the server's
// zone, the optional global rate limiter, and the CLI's flags.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { arr, bearer, DB_TIME_RE, emulatorsPerTest, GO_NOW_RE, obj, rawRequest, SK, type Client } from './test-helpers'

const fresh = emulatorsPerTest()
const run = promisify(execFile)

describe('compression (Fiber compress, LevelDefault)', () => {
  it('gzip / br / deflate when accepted and the JSON body is >= 200 bytes; Vary on everything it saw', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = bearer(token, c.em.tenants[1]?.id)
    const plain = await rawRequest(c.em.url, 'GET', SK, { headers: h })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toBe('Accept-Encoding')
    const list = JSON.parse(plain.body.toString('utf8')) as unknown[]
    expect(list.length).toBeGreaterThan(0)

    const gz = await rawRequest(c.em.url, 'GET', SK, { headers: { ...h, 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers.vary).toBe('Accept-Encoding')
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length)
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(list)

    // fasthttp's preference: br, then gzip, then deflate; a token with parameters does not count.
    const br = await rawRequest(c.em.url, 'GET', SK, { headers: { ...h, 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers['content-encoding']).toBe('br')
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(list)
    const deflate = await rawRequest(c.em.url, 'GET', SK, { headers: { ...h, 'accept-encoding': 'gzip;q=1, deflate' } })
    expect(deflate.headers['content-encoding']).toBe('deflate')
    expect(JSON.parse(inflateSync(deflate.body).toString('utf8'))).toEqual(list)

    // fetch (undici) asks for gzip by itself and decodes it.
    const viaFetch = await c.req('GET', SK, { headers: h })
    expect(viaFetch.headers.get('content-encoding')).toBe('gzip')
    expect(viaFetch.json).toEqual(list)
  })

  it('small bodies, 204s and error-handler answers are sent as they are', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, c.em.tenants[1]?.id), 'accept-encoding': 'gzip' }
    const small = await rawRequest(c.em.url, 'GET', '/health', { headers: { 'accept-encoding': 'gzip' } })
    expect(small.body.length).toBeLessThan(200)
    expect(small.headers['content-encoding']).toBeUndefined()
    expect(small.headers.vary).toBe('Accept-Encoding')
    const created = obj(JSON.parse((await rawRequest(c.em.url, 'POST', SK, { headers: { ...h, 'accept-encoding': '', 'content-type': 'application/json' }, body: '{"name":"z"}' })).body.toString()))
    const noContent = await rawRequest(c.em.url, 'POST', `${SK}/${String(created.id)}/disable`, { headers: h })
    expect(noContent.status).toBe(204)
    expect(noContent.headers.vary).toBe('Accept-Encoding')
    // ParseBody's returned error goes through the error handler, outside compress: no Vary.
    const bad = await rawRequest(c.em.url, 'POST', SK, { headers: { ...h, 'content-type': 'application/json' }, body: '{bad' })
    expect(bad.status).toBe(400)
    expect(bad.headers.vary).toBeUndefined()
    // The tenant middleware's 404 is written (not an error): it went through compress.
    const unknownTenant = await rawRequest(c.em.url, 'GET', SK, { headers: { 'x-fb-tenant': 'nope', 'accept-encoding': 'gzip' } })
    expect(unknownTenant.status).toBe(404)
    expect(unknownTenant.headers.vary).toBe('Accept-Encoding')
  })

  it('a replay sends the stored bytes: a gzip answer comes back gzip even to a client that did not ask', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token, c.em.tenants[1]?.id), 'content-type': 'application/json', 'idempotency-key': 'gz-1' }
    const body = JSON.stringify({ name: 'compressed', description: 'x'.repeat(300) })
    const first = await rawRequest(c.em.url, 'POST', SK, { headers: { ...h, 'accept-encoding': 'gzip' }, body })
    expect(first.status).toBe(201)
    expect(first.headers['content-encoding']).toBe('gzip')
    const replay = await rawRequest(c.em.url, 'POST', SK, { headers: h, body })
    expect(replay.headers['idempotency-replayed']).toBe('true')
    expect(replay.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(replay.body).toString()).toBe(gunzipSync(first.body).toString())
  })

  it('truncated and slowBody faults act on the compressed bytes', async () => {
    const c = await fresh()
    const token = await c.login()
    const h = { ...bearer(token), 'accept-encoding': 'gzip' }
    const full = await rawRequest(c.em.url, 'GET', SK, { headers: h })
    c.em.setFaults([{ kind: 'truncated', count: 1 }])
    const cut = await rawRequest(c.em.url, 'GET', SK, { headers: h })
    expect(cut.headers['content-encoding']).toBe('gzip')
    expect(cut.headers['content-length']).toBeUndefined()
    expect(cut.body.length).toBe(Math.floor(full.body.length / 2))
    expect(() => gunzipSync(cut.body)).toThrow()
    c.em.setFaults([{ kind: 'slowBody', count: 1, latencyMs: 100 }])
    const slow = await rawRequest(c.em.url, 'GET', SK, { headers: h })
    expect(gunzipSync(slow.body).toString()).toBe(gunzipSync(full.body).toString())
  })
})

describe('timestamps (Postgres µs + server zone; Go time.Now() ns)', () => {
  it('default +01:00: DB values with up to 6 digits, create/rotate created_at with up to 9, expires_at echoed', async () => {
    const c = await fresh()
    const token = await c.login()
    const t = c.em.tenants[1]?.id ?? ''
    const list = arr((await c.req('GET', SK, { headers: bearer(token, t) })).json)
    for (const k of list) {
      expect(String(k.created_at)).toMatch(DB_TIME_RE)
      if ('last_used_at' in k) expect(String(k.last_used_at)).toMatch(DB_TIME_RE)
    }
    // Microseconds are there (the emulator keeps ms; the extra digits are stable per value).
    expect(list.some((k) => /\.\d{6}\+01:00$/.test(String(k.created_at)))).toBe(true)
    const again = arr((await c.req('GET', SK, { headers: bearer(token, t) })).json)
    expect(again.map((k) => k.created_at)).toEqual(list.map((k) => k.created_at))
    const firstMs = Date.parse(String(list[0]?.created_at))
    expect(Number.isFinite(firstMs)).toBe(true)

    const created = obj((await c.req('POST', SK, { headers: bearer(token, t), json: { name: 'ts', expires_at: '2027-03-01T12:30:00.123456789-05:00' } })).json)
    expect(String(created.created_at)).toMatch(GO_NOW_RE)
    expect(created.expires_at).toBe('2027-03-01T12:30:00.123456789-05:00') // as sent, Go-formatted
    const got = obj((await c.req('GET', `${SK}/${String(created.id)}`, { headers: bearer(token, t) })).json)
    expect(got.expires_at).toBe('2027-03-01T18:30:00.123457+01:00') // µs-rounded, server zone
    const zeroFrac = obj((await c.req('POST', SK, { headers: bearer(token, t), json: { name: 'ts2', expires_at: '2027-03-01T12:30:00.000+00:00' } })).json)
    expect(zeroFrac.expires_at).toBe('2027-03-01T12:30:00Z') // Go trims zeros and writes a zero offset as Z

    const health = obj((await c.req('GET', '/health')).json)
    expect(String(health.timestamp)).toMatch(GO_NOW_RE)
    const tenants = arr((await c.req('GET', '/api/v1/admin/tenants', { headers: bearer(token) })).json)
    expect(String(tenants[0]?.created_at)).toMatch(DB_TIME_RE)
    const login = obj((await c.req('POST', '/api/v1/admin/login', { json: c.em.credentials.instanceAdmin })).json)
    expect(String(obj(login.user).created_at)).toMatch(DB_TIME_RE)
  })

  it('utcOffsetMinutes: 0 gives Z; another offset is used as given', async () => {
    const check = async (c: Client, suffix: RegExp) => {
      const token = await c.login()
      const k = arr((await c.req('GET', SK, { headers: bearer(token) })).json)[0]
      expect(String(k?.created_at)).toMatch(suffix)
      const created = obj((await c.req('POST', SK, { headers: bearer(token), json: { name: 'zone' } })).json)
      expect(String(created.created_at)).toMatch(suffix)
    }
    await check(await fresh({ utcOffsetMinutes: 0 }), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
    await check(await fresh({ utcOffsetMinutes: -330 }), /-05:30$/)
  })
})

describe('global rate limiter (rateLimit option)', () => {
  it('fixed window per client address, admins included; 429 with Retry-After = window; counted', async () => {
    const c = await fresh({ rateLimit: { max: 3, windowMs: 60_000 } })
    const token = await c.login() // POST /api/v1/admin/login is under /api/: it counts too
    const h = bearer(token)
    const r1 = await c.req('GET', SK, { headers: h })
    expect(r1.status).toBe(200)
    expect(r1.headers.get('x-ratelimit-limit')).toBe('3')
    expect(r1.headers.get('x-ratelimit-remaining')).toBe('1')
    expect(Number(r1.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(60)
    expect((await c.req('GET', SK, { headers: h })).status).toBe(200)
    const limited = await c.req('GET', SK, { headers: h })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('60')
    expect(limited.json).toEqual({ code: 'RATE_LIMIT_EXCEEDED', error: 'Rate limit exceeded', message: 'API rate limit exceeded. Maximum 3 requests per minute allowed.', retry_after: 60 })
    expect((await c.req('GET', '/health')).status).toBe(200) // not under /api/
    expect(c.em.stats()).toEqual({ requests: 5, rateLimited: 1 })
    // A new window opens once the window's end has passed (the server's clock, whole seconds).
    c.em.clock.advance(60_000)
    expect((await c.req('GET', SK, { headers: h })).status).toBe(200)
    expect(c.em.stats().rateLimited).toBe(1)
  })

  it('a client that keeps to the budget gets no 429: max per window, then the next window', async () => {
    const c = await fresh({ rateLimit: { max: 5, windowMs: 10_000 } })
    const token = await c.login()
    let limited = 0
    for (let w = 0; w < 3; w++) {
      for (let i = 0; i < (w === 0 ? 4 : 5); i++) if ((await c.req('GET', SK, { headers: bearer(token) })).status === 429) limited++
      c.em.clock.advance(10_000)
    }
    expect(limited).toBe(0)
    expect(c.em.stats().rateLimited).toBe(0)
  })

  it.skipIf(process.platform !== 'linux')('each client address has its own budget (127.0.0.2 on Linux loopback)', async () => {
    const c = await fresh({ rateLimit: { max: 1, windowMs: 60_000 } })
    const a = await rawRequest(c.em.url, 'GET', SK)
    expect(a.status).toBe(401) // counted, then refused by auth
    expect((await rawRequest(c.em.url, 'GET', SK)).status).toBe(429)
    const other = await rawRequest(c.em.url, 'GET', SK, { localAddress: '127.0.0.2' })
    expect(other.status).toBe(401)
    expect((await rawRequest(c.em.url, 'GET', SK, { localAddress: '127.0.0.2' })).status).toBe(429)
    expect(c.em.stats().rateLimited).toBe(2)
  })

  it('the limiter runs before idempotency: a 429 is not stored', async () => {
    const c = await fresh({ rateLimit: { max: 2, windowMs: 60_000 } })
    const token = await c.login()
    const h = { ...bearer(token, c.em.tenants[1]?.id), 'idempotency-key': 'rl-1' }
    expect((await c.req('GET', SK, { headers: bearer(token) })).status).toBe(200)
    expect((await c.req('POST', SK, { headers: h, json: { name: 'rl' } })).status).toBe(429)
    c.em.clock.advance(60_000)
    const later = await c.req('POST', SK, { headers: h, json: { name: 'rl' } })
    expect(later.status).toBe(201)
    expect(later.headers.get('idempotency-replayed')).toBeNull()
  })

  it('refuses a window that is not whole seconds', async () => {
    await expect(fresh({ rateLimit: { max: 1, windowMs: 1500 } })).rejects.toThrow(/whole number of seconds/)
  })
})

describe('cli', () => {
  const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], { cwd: process.cwd(), timeout: 20_000 })
  it('documents the new flags and rejects bad values with a one-line usage error', async () => {
    const bads = [['--rate-limit', '100/day'], ['--utc-offset', '+25:00'], ['--quirk-update-500'], ['--rate-limit']]
    const [help, ...failures] = await Promise.all([
      cli(['--help']),
      ...bads.map((bad) => cli(bad).then(() => undefined, (e: { code: number; stderr: string }) => e))
    ])
    for (const f of ['--server-fixed', '--utc-offset', '--rate-limit', '--control']) expect(help?.stdout).toContain(f)
    expect(help?.stdout).not.toContain('--quirk-update-500')
    for (const r of failures) {
      expect(r?.code).toBe(2)
      expect(r?.stderr.trim().split('\n')).toHaveLength(1)
      expect(r?.stderr).toMatch(/^error: /)
    }
  })
})

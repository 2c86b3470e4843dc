// Server answers the emulator does not produce (on purpose or not yet): schema mismatches,
// 405 on both update methods, the dashboard-login 500 bug, 2FA, a degraded health check.
// A tiny scripted node:http server stands in for Fluxbase.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FluxbaseClient } from '../../src/core/fluxbase'
import { assertNoLeaks, failure, remember } from './helpers'

type Route = (req: IncomingMessage, body: string) => { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }

const TENANT = '11111111-2222-4333-8444-555555555555'
const KEY = '66666666-7777-4888-9999-000000000000'
const PASSWORD = 'stub-password-very-secret'
const ACCESS = 'stub-access-token-abcdef123456'

let server: Server
let url = ''
let routes: Record<string, Route> = {}
const seen: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[] = []

function validKey(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: KEY, name: 'k', key_prefix: 'sk_live_abcdefgh', key_type: 'service', scopes: ['*'], enabled: true, created_at: '2026-11-28T10:00:00Z', ...extra }
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!
      seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      const route = routes[`${req.method} ${path}`]
      const out = route ? route(req, body) : { status: 404, body: { error: `Cannot ${req.method} ${path}` } }
      const text = out.raw ?? (out.body === undefined ? '' : JSON.stringify(out.body))
      res.writeHead(out.status, { 'content-type': 'application/json', 'x-request-id': 'req-stub-1', ...out.headers })
      res.end(text)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  remember(PASSWORD)
  remember(ACCESS)
})
afterEach(() => {
  routes = {}
  seen.length = 0
})
afterAll(async () => {
  assertNoLeaks()
  await new Promise<void>((r) => server.close(() => r()))
})

const tokenClient = (): FluxbaseClient =>
  new FluxbaseClient({ baseUrl: url, credential: { kind: 'token', accessToken: ACCESS }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } })
const passwordClient = (): FluxbaseClient =>
  new FluxbaseClient({ baseUrl: url, credential: { kind: 'password', email: 'ta@example.com', password: PASSWORD }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } })

describe('response validation', () => {
  it('says which request it was (never its path), keeps the missing field for the log; retries the read once more', async () => {
    routes['GET /api/v1/admin/service-keys'] = () => ({ status: 200, body: [validKey(), validKey(), validKey(), { ...validKey(), key_prefix: undefined }] })
    const err = await failure(tokenClient().listKeys(TENANT))
    expect(err.kind).toBe('invalid_response')
    expect(err.message).toBe(
      "The server's answer to listing the service keys was not understood; check that the address points at a supported Fluxbase server. (request id req-stub-1)"
    )
    expect(err.detail).toBe('[3].key_prefix is missing')
    expect(err.retryable).toBe(true)
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(2)
  })

  it('names a wrongly typed field; tolerates unknown fields and null optionals', async () => {
    routes['GET /api/v1/admin/service-keys/:id'.replace(':id', KEY)] = () => ({ status: 200, body: validKey({ enabled: 'yes' }) })
    const err = await failure(tokenClient().getKey(TENANT, KEY))
    expect(err.detail).toContain('enabled should be boolean, got string')
    expect(err.message).not.toMatch(/enabled|boolean|\/api\//)
    routes[`GET /api/v1/admin/service-keys/${KEY}`] = () => ({ status: 200, body: validKey({ surprise: { nested: true }, description: null, allowed_namespaces: null }) })
    const k = await tokenClient().getKey(TENANT, KEY)
    expect(k).toMatchObject({ description: null, allowedNamespaces: null, lastUsedAt: null })
    expect(k).not.toHaveProperty('surprise')
  })

  it('a create answer without the key value is invalid and is not retried', async () => {
    routes['POST /api/v1/admin/service-keys'] = () => ({ status: 201, body: validKey() })
    const err = await failure(tokenClient().createKey(TENANT, { name: 'x' }))
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false })
    expect(err.detail).toContain('key is missing')
    expect(seen).toHaveLength(1)
  })

  it('sends the tenant UUID and the bearer token; a request refused by the rate limiter is repeated as a new one', async () => {
    let n = 0
    routes['POST /api/v1/admin/service-keys'] = () => (++n === 1 ? { status: 429, body: { error: 'Rate limit exceeded' }, headers: { 'retry-after': '0' } } : { status: 201, body: { ...validKey(), key: 'sk_live_abcdefghSECRETSECRETSECRETSECRET' } })
    const issued = await tokenClient().createKey(TENANT, { name: 'x', keyType: 'anon', allowedNamespaces: ['a'] })
    remember(issued.value)
    expect(seen).toHaveLength(2)
    expect(seen[0]!.headers['x-fb-tenant']).toBe(TENANT)
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${ACCESS}`)
    expect(seen[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    // Nothing ran behind a 429 (a stored 429 would only be replayed): the repeat has its own key.
    expect(seen[1]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[1]!.headers['idempotency-key']).not.toBe(seen[0]!.headers['idempotency-key'])
    expect(JSON.parse(seen[0]!.body)).toEqual({ name: 'x', key_type: 'anon', allowed_namespaces: ['a'] })
  })

  it('keeps the Idempotency-Key while the first copy is still running (409), so the server replays instead of running twice', async () => {
    let n = 0
    routes['POST /api/v1/admin/service-keys'] = () => (++n === 1
      ? { status: 409, body: { error: 'Request In Progress', code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' } }
      : { status: 201, body: { ...validKey(), key: 'sk_live_abcdefghSECRETSECRETSECRETSECRET' }, headers: { 'idempotency-replayed': 'true' } })
    const client = new FluxbaseClient({ baseUrl: url, credential: { kind: 'token', accessToken: ACCESS }, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } })
    remember((await client.createKey(TENANT, { name: 'x' })).value)
    expect(seen).toHaveLength(2)
    expect(seen[1]!.headers['idempotency-key']).toBe(seen[0]!.headers['idempotency-key'])
  })

  it('a 409 in progress that does not end is a clear, conflict-coded error', async () => {
    routes['POST /api/v1/admin/service-keys'] = () => ({ status: 409, body: { error: 'Request In Progress', code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' } })
    const err = await failure(tokenClient().createKey(TENANT, { name: 'x' }))
    expect(err).toMatchObject({ status: 409, code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' })
    expect(err.message).toMatch(/still working on an earlier copy of this request \(creating the service key\); wait a minute, refresh/)
  })

  it('a 422 key mismatch is repeated once with a fresh key, then reported', async () => {
    routes['POST /api/v1/admin/service-keys'] = () => ({ status: 422, body: { error: 'Idempotency Key Mismatch', code: 'IDEMPOTENCY_REQUEST_BODY_MISMATCH' } })
    const err = await failure(tokenClient().createKey(TENANT, { name: 'x' }))
    expect(seen).toHaveLength(2)
    expect(seen[1]!.headers['idempotency-key']).not.toBe(seen[0]!.headers['idempotency-key'])
    expect(err).toMatchObject({ status: 422, retryable: false })
    expect(err.message).toMatch(/matched this request to an earlier one with other contents and refused it \(creating the service key\); nothing was changed/)
  })
})

describe('odd server answers', () => {
  it('405 on both PUT and PATCH -> a clear http 405 error', async () => {
    routes[`PUT /api/v1/admin/service-keys/${KEY}`] = () => ({ status: 405, body: { error: 'Method Not Allowed', code: 'INVALID_INPUT' } })
    routes[`PATCH /api/v1/admin/service-keys/${KEY}`] = () => ({ status: 405, body: { error: 'Method Not Allowed', code: 'INVALID_INPUT' } })
    const err = await failure(tokenClient().updateKey(TENANT, KEY, { name: 'n' }))
    expect(err).toMatchObject({ kind: 'http', status: 405, endpoint: 'PATCH /api/v1/admin/service-keys/:id', retryable: false })
    expect(err.message).toMatch(/does not support updating the service key; the server version may be too old or too new/)
  })

  it('dashboard-login 500 "Login failed" (server bug) -> wrong password or locked', async () => {
    routes['POST /api/v1/admin/login'] = () => ({ status: 403, body: { error: 'Access denied. Admin role required.', code: 'ADMIN_REQUIRED' } })
    routes['POST /dashboard/auth/login'] = () => ({ status: 500, body: { error: 'Login failed', code: 'INTERNAL_ERROR' } })
    const err = await failure(passwordClient().login())
    expect(err).toMatchObject({ kind: 'auth', status: 500, retryable: false, endpoint: 'POST /dashboard/auth/login' })
    expect(err.message).toMatch(/^Wrong e-mail or password for .*, or the account is locked after too many failed sign-ins \(it unlocks after 15 minutes\)/)
    expect(seen.filter((s) => s.path === '/dashboard/auth/login')).toHaveLength(1)
  })

  it('2FA-only accounts get an actionable auth error', async () => {
    routes['POST /api/v1/admin/login'] = () => ({ status: 403, body: { error: 'Access denied. Admin role required.', code: 'ADMIN_REQUIRED' } })
    routes['POST /dashboard/auth/login'] = () => ({ status: 200, body: { requires_2fa: true, user_id: 'u' } })
    const err = await failure(passwordClient().login())
    expect(err).toMatchObject({ kind: 'auth', code: 'REQUIRES_2FA' })
    expect(err.message).toMatch(/two-factor/)
  })

  it('locked account with a locked_until hint names the time', async () => {
    routes['POST /api/v1/admin/login'] = () => ({ status: 403, body: { error: 'Account is locked', code: 'ACCOUNT_LOCKED', locked_until: '2030-01-01T10:15:00Z' } })
    const c = new FluxbaseClient({ baseUrl: url, credential: { kind: 'password', email: 'a@b.c', password: PASSWORD }, now: () => Date.parse('2030-01-01T10:05:00Z') })
    const err = await failure(c.login())
    expect(err.message).toContain('try again after 2030-01-01T10:15:00Z (in 10 minutes)')
  })

  it('a degraded health check (503 with a health body) is an answer, not an error', async () => {
    routes['GET /health'] = () => ({ status: 503, body: { status: 'degraded', timestamp: '2026-11-28T10:00:00Z' } })
    expect(await tokenClient().health()).toEqual({ status: 'degraded', timestamp: '2026-11-28T10:00:00Z' })
    expect(seen[0]!.headers.authorization).toBeUndefined()
  })

  it('legacy update {success} is followed by a re-read of the key', async () => {
    routes[`PUT /api/v1/admin/service-keys/${KEY}`] = () => ({ status: 200, body: { success: true, message: 'Service key updated successfully' } })
    routes[`GET /api/v1/admin/service-keys/${KEY}`] = () => ({ status: 200, body: validKey({ name: 'renamed' }) })
    expect((await tokenClient().updateKey(TENANT, KEY, { name: 'renamed' })).name).toBe('renamed')
  })

  it('revoke and deprecate put their parameters in the query AND the JSON body', async () => {
    routes[`POST /api/v1/admin/service-keys/${KEY}/revoke`] = () => ({ status: 204 })
    routes[`POST /api/v1/admin/service-keys/${KEY}/deprecate`] = () => ({ status: 200, body: { deprecated_at: 'a', grace_period_ends_at: 'b' } })
    const c = tokenClient()
    await c.revokeKey(TENANT, KEY, { reason: 'leaked key' })
    expect(await c.deprecateKey(TENANT, KEY, { graceHours: 48 })).toEqual({ deprecatedAt: 'a', gracePeriodEndsAt: 'b' })
    expect(seen[0]!.path).toBe(`/api/v1/admin/service-keys/${KEY}/revoke?reason=leaked+key`)
    expect(JSON.parse(seen[0]!.body)).toEqual({ reason: 'leaked key' })
    expect(seen[1]!.path).toBe(`/api/v1/admin/service-keys/${KEY}/deprecate?grace_period_hours=48`)
    expect(JSON.parse(seen[1]!.body)).toEqual({ grace_period_hours: 48 })
  })
})

describe('secrets never reach errors', () => {
  it('redacts a password, token or key value that a hostile server echoes back', async () => {
    const issuedValue = 'sk_live_ECHOECHOechoechoECHOECHOechoechoECHOECHO='
    remember(issuedValue)
    routes['POST /api/v1/admin/login'] = (_req, body) => ({ status: 400, body: { error: `bad body ${body}`, request_id: 'r1' } })
    const e1 = await failure(passwordClient().login())
    expect(e1.message).toContain('[redacted]')
    expect(e1.message).not.toContain(PASSWORD)

    routes[`GET /api/v1/admin/service-keys/${KEY}`] = (req) => ({ status: 500, body: { error: `token was ${String(req.headers.authorization)} and key ${issuedValue}` } })
    const e2 = await failure(tokenClient().getKey(TENANT, KEY))
    for (const text of [e2.message, JSON.stringify(e2), String(e2)]) {
      expect(text).not.toContain(ACCESS)
      expect(text).not.toContain(issuedValue)
    }
  })
})

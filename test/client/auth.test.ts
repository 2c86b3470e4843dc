// Session lifecycle: lazy login, proactive refresh on the injected clock, recovery from a 401,
// re-login when the refresh token is dead, token credentials, wrong password, lockout, and the
// tenant-admin path (dashboard login, /tenants/mine).
import { afterAll, describe, expect, it } from 'vitest'
import type { RunningEmulator } from '../../emulator/index'
import { FluxbaseClient } from '../../src/core/fluxbase'
import { assertNoLeaks, emulator, FAST_RETRY, failure, makeClient, remember, T0, tenantOf, whoami } from './helpers'

const ADMIN_LOGIN = 'POST /api/v1/admin/login'
const ADMIN_REFRESH = 'POST /api/v1/admin/refresh'
const DASH_LOGIN = 'POST /dashboard/auth/login'
const DASH_REFRESH = 'POST /dashboard/auth/refresh'

const opened: RunningEmulator[] = []
async function em(options: Parameters<typeof emulator>[0] = {}): Promise<RunningEmulator> {
  const e = await emulator(options)
  opened.push(e)
  return e
}
afterAll(async () => {
  assertNoLeaks()
  await Promise.all(opened.map((e) => e.close()))
})

describe('sessions', () => {
  it('logs in lazily, once, even for concurrent calls, and reports the tokens', async () => {
    const e = await em()
    const { client, tokens } = makeClient(e)
    const acme = tenantOf(e, 'acme')
    await Promise.all([client.listKeys(acme), client.listKeys(acme), client.listTenants(), client.listKeys(acme)])
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(1)
    expect(tokens).toHaveLength(1)
    expect(tokens[0]!.refreshToken).toBeTruthy()
    expect(tokens[0]!.expiresAt! - e.clock.now()).toBeGreaterThan(86_000_000)
    const explicit = await client.login()
    expect(explicit.accessToken).toBeTruthy()
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(2)
  })

  it('refreshes shortly before expiry on the injected clock, then the call succeeds', async () => {
    const e = await em({ accessTokenTtlSeconds: 120 })
    const { client, tokens } = makeClient(e)
    const acme = tenantOf(e, 'acme')
    await client.listKeys(acme)
    e.clock.advance(100_000) // 20 s left: inside the refresh margin
    await client.listKeys(acme)
    expect(e.requestCounts()[ADMIN_REFRESH]).toBe(1)
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(1)
    expect(tokens).toHaveLength(2)
    expect(tokens[1]!.refreshToken).toBe(tokens[0]!.refreshToken) // not rotated by the server
    expect(tokens[1]!.accessToken).not.toBe(tokens[0]!.accessToken)
    e.clock.advance(30_000)
    await client.listKeys(acme)
    expect(e.requestCounts()[ADMIN_REFRESH]).toBe(1) // the new token is still fresh
  })

  it('a 401 (client clock unaware of expiry) triggers one refresh and a single repeat', async () => {
    const e = await em({ accessTokenTtlSeconds: 120 })
    const { client } = makeClient(e, { now: () => T0 }) // a clock that never moves
    const acme = tenantOf(e, 'acme')
    await client.listKeys(acme)
    e.clock.advance(10 * 60_000)
    const keys = await client.listKeys(acme)
    expect(keys.length).toBeGreaterThan(0)
    expect(e.requestCounts()[ADMIN_REFRESH]).toBe(1)
    expect(e.requestCounts()['GET /api/v1/admin/service-keys']).toBe(3)
  })

  it('a mutation refused for an expired token is repeated as a new request and carried out exactly once', async () => {
    // The server's idempotency middleware runs before auth and keeps the 401 under the key
    // alone (reference §1.3): repeating with the same key would only replay that 401.
    const e = await em({ accessTokenTtlSeconds: 120 })
    const { client } = makeClient(e, { now: () => T0 })
    const acme = tenantOf(e, 'acme')
    await client.listKeys(acme)
    e.clock.advance(10 * 60_000)
    const issued = await client.createKey(acme, { name: 'after-token-expiry' })
    remember(issued.value)
    expect(e.requestCounts()[ADMIN_REFRESH]).toBe(1)
    expect(e.requestCounts()['POST /api/v1/admin/service-keys']).toBe(2) // the refused one and the new one
    expect((await client.listKeys(acme)).filter((k) => k.name === 'after-token-expiry')).toHaveLength(1)
    // The same after a rotate and a revoke: each carried out once.
    const rotated = await client.rotateKey(acme, issued.key.id)
    remember(rotated.issued.value)
    e.clock.advance(10 * 60_000)
    await client.revokeKey(acme, rotated.issued.key.id, { reason: 'after another expiry' })
    const after = await client.listKeys(acme)
    expect(after.find((k) => k.id === rotated.issued.key.id)?.revokedAt).toBeTruthy()
    expect(after.filter((k) => k.name === 'after-token-expiry (rotated)')).toHaveLength(1)
  })

  it('when the refresh token has expired too, it signs in again with the password', async () => {
    const e = await em({ accessTokenTtlSeconds: 120, refreshTokenTtlSeconds: 300 })
    const { client } = makeClient(e)
    const acme = tenantOf(e, 'acme')
    await client.listKeys(acme)
    e.clock.advance(60 * 60_000)
    await client.listKeys(acme)
    expect(e.requestCounts()[ADMIN_REFRESH]).toBeGreaterThanOrEqual(1)
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(2)
  })

  it('token credential: used as given, refreshed through its refresh token, and "sign in again" when dead', async () => {
    const e = await em({ accessTokenTtlSeconds: 120 })
    const seed = makeClient(e).client
    const t = await seed.login()
    const acme = tenantOf(e, 'acme')
    const seen: string[] = []
    const c = new FluxbaseClient({
      baseUrl: e.url,
      credential: { kind: 'token', accessToken: t.accessToken, refreshToken: t.refreshToken! },
      now: () => e.clock.now(),
      retry: FAST_RETRY,
      onTokens: (x) => {
        seen.push(x.accessToken)
        remember(x.accessToken)
      }
    })
    expect((await c.listKeys(acme)).length).toBeGreaterThan(0)
    expect(seen).toHaveLength(0)
    e.clock.advance(110_000)
    await c.listKeys(acme)
    expect(seen).toHaveLength(1)

    // Without a refresh token, an expired access token ends in a clear auth error.
    const bare = new FluxbaseClient({ baseUrl: e.url, credential: { kind: 'token', accessToken: seen[0]! }, now: () => e.clock.now(), retry: FAST_RETRY })
    e.clock.advance(10 * 60_000)
    const err = await failure(bare.listKeys(acme))
    expect(err).toMatchObject({ kind: 'auth', retryable: false })
    expect(err.message).toMatch(/sign in again/)
  })

  it('wrong password: one clear auth error, never retried, no secret in it', async () => {
    const e = await em()
    const c = new FluxbaseClient({ baseUrl: e.url, credential: { kind: 'password', email: 'admin@fluxbase.local', password: 'hunter2-wrong-password' }, retry: FAST_RETRY })
    remember('hunter2-wrong-password')
    const err = await failure(c.listKeys(tenantOf(e, 'acme')))
    expect(err).toMatchObject({ kind: 'auth', status: 401, code: 'INVALID_CREDENTIALS', retryable: false, endpoint: ADMIN_LOGIN })
    expect(err.message).toBe(`Wrong e-mail or password for ${e.url}. (request id ${err.requestId})`)
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(1)
    expect(e.requestCounts()[DASH_LOGIN] ?? 0).toBe(0)
  })

  it('locked account: says it is locked and when to try again', async () => {
    const e = await em()
    const wrong = new FluxbaseClient({ baseUrl: e.url, credential: { kind: 'password', email: 'admin@fluxbase.local', password: 'not-the-password' }, retry: FAST_RETRY })
    for (let i = 0; i < 5; i++) await failure(wrong.login())
    const right = makeClient(e).client
    const err = await failure(right.login())
    expect(err).toMatchObject({ kind: 'auth', status: 403, code: 'ACCOUNT_LOCKED', retryable: false })
    expect(err.message).toMatch(/is locked on .* after too many failed sign-ins; try again in about 15 minutes/)
    e.clock.advance(16 * 60_000)
    expect((await right.login()).accessToken).toBeTruthy()
  })

  it('rejects non-http(s) base URLs with a clear error, and strips a trailing slash', () => {
    for (const bad of ['ftp://fb.example.com', 'fb.example.com', 'javascript:alert(1)', 'https://user:pw@fb.example.com', '']) {
      let caught: unknown
      try {
        new FluxbaseClient({ baseUrl: bad, credential: { kind: 'token', accessToken: 'x' } })
      } catch (err) {
        caught = err
      }
      expect(caught).toMatchObject({ code: 'INVALID_BASE_URL' })
      expect((caught as Error).message).toMatch(/http:\/\/ or https:\/\//)
      expect((caught as Error).message).not.toContain('pw@')
    }
    expect(new FluxbaseClient({ baseUrl: 'https://fb.example.com/base///', credential: { kind: 'token', accessToken: 'x' } }).baseUrl).toBe('https://fb.example.com/base')
  })
})

describe('tenant admin', () => {
  it('signs in through the dashboard login, lists its tenants via /tenants/mine, manages keys', async () => {
    const e = await em({ accessTokenTtlSeconds: 120 })
    const { client, tokens } = makeClient(e, { who: 'tenant' })
    const tenants = await client.listTenants()
    expect(tenants.map((t) => t.slug).sort()).toEqual(['acme', 'globex'])
    expect(e.requestCounts()[ADMIN_LOGIN]).toBe(1) // 403 ADMIN_REQUIRED
    expect(e.requestCounts()[DASH_LOGIN]).toBe(1)
    expect(e.requestCounts()['GET /api/v1/admin/tenants']).toBe(1) // 403, then remembered
    await client.listTenants()
    expect(e.requestCounts()['GET /api/v1/admin/tenants']).toBe(1)
    expect(e.requestCounts()['GET /api/v1/admin/tenants/mine']).toBe(2)

    const globex = await client.resolveTenantId('globex')
    expect(globex).toBe(tenantOf(e, 'globex'))
    const err = await failure(client.resolveTenantId('default'))
    expect(err.code).toBe('TENANT_NOT_FOUND')
    expect(err.message).toMatch(/known tenants: (acme, globex|globex, acme)/)

    const issued = await client.createKey(globex, { name: 'ta-key' })
    remember(issued.value)
    const rotated = await client.rotateKey(globex, issued.key.id, { graceHours: 1 })
    remember(rotated.issued.value)
    expect((await whoami(e, rotated.issued.value)).status).toBe(200)
    await client.revokeKey(globex, rotated.issued.key.id, { reason: 'test' })
    expect((await whoami(e, rotated.issued.value)).status).toBe(401)

    // Expiry: the refresh goes to the dashboard refresh first (the route it signed in with).
    e.clock.advance(100_000)
    await client.listKeys(globex)
    expect(e.requestCounts()[DASH_REFRESH]).toBe(1)
    expect(e.requestCounts()[ADMIN_REFRESH] ?? 0).toBe(0)
    expect(tokens).toHaveLength(2)
  })

  it('wrong password for a tenant admin is reported like any wrong password', async () => {
    const e = await em()
    const c = new FluxbaseClient({ baseUrl: e.url, credential: { kind: 'password', email: 'tenant-admin@fluxbase.local', password: 'wrong-tenant-pass' }, retry: FAST_RETRY })
    remember('wrong-tenant-pass')
    const err = await failure(c.login())
    expect(err.kind).toBe('auth')
    expect(err.message).toMatch(/^Wrong e-mail or password for /)
  })
})

// Pure parts of the client: backoff maths, Retry-After, error mapping, schemas, redaction, URLs.
import { describe, expect, it } from 'vitest'
import { backoffDelay, DEFAULT_RETRY, FluxbaseError, isUuid } from '../../src/core/fluxbase'
import { actionOf, cancelledError, httpError, invalidResponseError, isRetryableStatus, networkError, parseErrorBody, parseRetryAfter, redact, timeoutError } from '../../src/core/fluxbase/errors'
import { normaliseBaseUrl } from '../../src/core/fluxbase/http'
import { withRetry } from '../../src/core/fluxbase/retry'
import { describeIssue, serviceKeyListSchema, toApiServiceKey, serviceKeySchema, currentRevocationToEntries, legacyRevocationToEntry, toApiTenant } from '../../src/core/fluxbase/schemas'
import { jwtExpiry } from '../../src/core/fluxbase/session'

const opts = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 }

describe('backoff', () => {
  it('full jitter: uniform below an exponentially growing, capped ceiling', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(0)
    expect(backoffDelay(1, opts, () => 0.5)).toBe(100)
    expect(backoffDelay(2, opts, () => 0.5)).toBe(200)
    expect(backoffDelay(3, opts, () => 0.999)).toBe(799)
    expect(backoffDelay(10, opts, () => 0.999)).toBe(4995) // capped at maxDelayMs
    expect(backoffDelay(40, opts, () => 1)).toBe(5000)
  })

  it('Retry-After wins over jitter, capped by maxDelayMs', () => {
    expect(backoffDelay(1, opts, () => 0.9, 1200)).toBe(1200)
    expect(backoffDelay(1, opts, () => 0.9, 0)).toBe(0)
    expect(backoffDelay(1, opts, () => 0.9, 60_000)).toBe(5000)
  })

  it('defaults match the contract', () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 })
  })

  it('withRetry retries only retryable FluxbaseErrors, at most attempts times', async () => {
    const ctx = { opts: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, random: () => 0, signal: undefined, endpoint: 'GET /x' }
    let n = 0
    const retryable = new FluxbaseError({ kind: 'network', endpoint: 'GET /x', message: 'm', retryable: true })
    await expect(withRetry(ctx, async () => { n++; throw retryable })).rejects.toBe(retryable)
    expect(n).toBe(3)
    n = 0
    const fatal = new FluxbaseError({ kind: 'http', endpoint: 'GET /x', message: 'm', retryable: false })
    await expect(withRetry(ctx, async () => { n++; throw fatal })).rejects.toBe(fatal)
    expect(n).toBe(1)
    n = 0
    expect(await withRetry(ctx, async () => (++n < 3 ? Promise.reject(retryable) : 'ok'))).toBe('ok')
  })

  it('a sleeping retry is cancelled by the signal', async () => {
    const ac = new AbortController()
    const retryable = new FluxbaseError({ kind: 'network', endpoint: 'GET /x', message: 'm', retryable: true })
    const p = withRetry({ opts: { attempts: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 }, random: () => 1, signal: ac.signal, endpoint: 'GET /x' }, async () => { throw retryable })
    setTimeout(() => ac.abort(), 10)
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' })
  })
})

describe('Retry-After and error bodies', () => {
  it('parses delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000)
    expect(parseRetryAfter('0', 0)).toBe(0)
    expect(parseRetryAfter(null, 0)).toBeNull()
    expect(parseRetryAfter('soon', 0)).toBeNull()
    const now = Date.parse('2026-11-28T10:00:00Z')
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:05 GMT', now)).toBe(5000)
  })

  it('reads error, code, request_id and retry_after; survives junk', () => {
    expect(parseErrorBody('{"error":"x","code":"C","request_id":"r","retry_after":2}')).toMatchObject({ error: 'x', code: 'C', requestId: 'r', retryAfterSeconds: 2 })
    expect(parseErrorBody('<html>')).toMatchObject({ error: null, code: null })
    expect(parseErrorBody('')).toMatchObject({ error: null })
    expect(parseErrorBody('[1]')).toMatchObject({ error: null })
  })
})

describe('error mapping', () => {
  const base = { endpoint: 'GET /api/v1/admin/service-keys', baseUrl: 'https://fb.example.com', headerRequestId: 'hdr-1', retryAfterMs: null }
  const body = (o: Record<string, unknown>) => parseErrorBody(JSON.stringify(o))

  it('retryable = idempotent and transient, or 429 for anything', () => {
    for (const s of [429, 500, 502, 503, 504]) expect(isRetryableStatus(s, true)).toBe(true)
    for (const s of [400, 401, 403, 404, 405, 409]) expect(isRetryableStatus(s, true)).toBe(false)
    expect(isRetryableStatus(429, false)).toBe(true)
    for (const s of [500, 502, 503, 504]) expect(isRetryableStatus(s, false)).toBe(false)
  })

  it('puts code, request id and Retry-After on the error and the id in the message', () => {
    const e = httpError({ ...base, status: 429, body: body({ error: 'Rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED', request_id: 'req-9' }), retryAfterMs: 3000, idempotent: true })
    expect(e).toMatchObject({ kind: 'http', status: 429, code: 'RATE_LIMIT_EXCEEDED', requestId: 'req-9', retryable: true, retryAfterMs: 3000 })
    expect(e.message).toBe('https://fb.example.com is rate-limiting requests; try again in 3 seconds. (request id req-9)')
    const h = httpError({ ...base, status: 500, body: body({ error: 'boom.' }), idempotent: false })
    expect(h.requestId).toBe('hdr-1')
    expect(h.retryAfterMs).toBeNull()
    expect(h.message).toBe('https://fb.example.com failed while listing the service keys (500). The server said: "boom". Try again; if it keeps failing, the server\'s logs will say why. (request id hdr-1)')
  })

  it('network and timeout errors', () => {
    const refused = networkError('POST /x', 'http://h', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), false)
    expect(refused).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', retryable: true })
    const reset = networkError('POST /x', 'http://h', Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }), false)
    expect(reset.retryable).toBe(false)
    const dns = networkError('GET /x', 'http://h', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), true)
    expect(dns.message).toBe('Could not reach http://h (its host name could not be resolved) while sending the request; check the server address and your network connection.')
    expect(timeoutError('GET /x', 'http://h', 15000, true)).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('serialises to JSON with its message and without a cause', () => {
    const e = new FluxbaseError({ kind: 'auth', endpoint: 'POST /api/v1/admin/login', message: 'Wrong e-mail or password for https://h.' })
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      name: 'FluxbaseError', message: 'Wrong e-mail or password for https://h.', kind: 'auth', endpoint: 'POST /api/v1/admin/login',
      status: null, code: null, requestId: null, retryable: false, retryAfterMs: null, detail: null
    })
    expect(e).toBeInstanceOf(Error)
  })
})

describe('schemas', () => {
  const wire = { id: 'a', name: 'n', key_prefix: 'sk_live_12345678', key_type: 'service', scopes: ['*'], enabled: true, created_at: 't' }

  it('normalises to camelCase with nulls; tolerates unknown fields and legacy gaps', () => {
    const k = toApiServiceKey(serviceKeySchema.parse({ ...wire, extra: 1 }))
    expect(k).toEqual({
      id: 'a', name: 'n', description: null, keyPrefix: 'sk_live_12345678', keyType: 'service', scopes: ['*'], allowedNamespaces: null,
      enabled: true, rateLimitPerMinute: null, rateLimitPerHour: null, createdBy: null, createdAt: 't', lastUsedAt: null,
      expiresAt: null, revokedAt: null, deprecatedAt: null, gracePeriodEndsAt: null, replacedBy: null
    })
    const legacy = toApiServiceKey(serviceKeySchema.parse({ ...wire, key_type: undefined, scopes: null }))
    expect(legacy.keyType).toBe('service')
    expect(legacy.scopes).toEqual([])
  })

  it('describes the first problem by path, never by value', () => {
    const r = serviceKeyListSchema.safeParse([wire, wire, wire, { ...wire, key_prefix: undefined }])
    expect(r.success).toBe(false)
    if (!r.success) expect(describeIssue(r.error)).toBe('[3].key_prefix is missing')
    const r2 = serviceKeySchema.safeParse({ ...wire, scopes: 'sk_live_secret' })
    if (!r2.success) {
      expect(describeIssue(r2.error)).toBe('scopes should be array, got string')
      expect(describeIssue(r2.error)).not.toContain('secret')
    }
    const r3 = serviceKeyListSchema.safeParse({})
    if (!r3.success) expect(describeIssue(r3.error)).toBe('the body should be array, got object')
  })

  it('revocations: current object -> 0 or 1 entries; legacy rows -> entries', () => {
    expect(currentRevocationToEntries({ id: 'k', revoked_at: null, revoked_by: null, revocation_reason: null })).toEqual([])
    expect(currentRevocationToEntries({ id: 'k', revoked_at: 't', revoked_by: 'u', revocation_reason: '' })).toEqual([{ keyId: 'k', revokedAt: 't', revokedBy: 'u', reason: '', type: null }])
    expect(legacyRevocationToEntry({ key_id: 'k', reason: 'r', revocation_type: 'rotation', created_at: 't' })).toEqual({ keyId: 'k', revokedAt: 't', revokedBy: null, reason: 'r', type: 'rotation' })
  })

  it('tenants default isDefault and status', () => {
    expect(toApiTenant({ id: 'i', slug: 's', name: 'n' })).toEqual({ id: 'i', slug: 's', name: 'n', isDefault: false, status: 'active' })
  })
})

describe('helpers', () => {
  it('redacts known secrets and anything shaped like a JWT or key value', () => {
    expect(redact('pw is hunter22 ok', ['hunter22'])).toBe('pw is [redacted] ok')
    expect(redact('tok eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc', [])).toBe('tok [redacted]')
    expect(redact('key sk_live_AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDD= here', [])).toBe('key [redacted] here')
    expect(redact('prefix sk_live_abcdefgh is fine', [])).toBe('prefix sk_live_abcdefgh is fine')
  })

  it('base URLs: http(s) only, trailing slashes stripped', () => {
    expect(normaliseBaseUrl('https://fb.example.com/')).toBe('https://fb.example.com')
    expect(normaliseBaseUrl(' http://localhost:8080/fluxbase// ')).toBe('http://localhost:8080/fluxbase')
    expect(normaliseBaseUrl('ftp://x')).toBeNull()
    expect(normaliseBaseUrl('file:///etc/passwd')).toBeNull()
    expect(normaliseBaseUrl('https://a:b@x')).toBeNull()
    expect(normaliseBaseUrl('https://x/?q=1')).toBeNull()
  })

  it('reads a JWT exp without verifying', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url')
    expect(jwtExpiry(`h.${payload}.s`)).toBe(1_800_000_000_000)
    expect(jwtExpiry('opaque')).toBeNull()
    expect(jwtExpiry('a.!!!.b')).toBeNull()
  })

  it('isUuid', () => {
    expect(isUuid('5c3c4a8e-1111-4222-8333-444455556666')).toBe(true)
    expect(isUuid('acme')).toBe(false)
  })
})

describe('error text a person reads', () => {
  const ENDPOINTS = [
    'GET /health', 'GET /api/v1/admin/tenants', 'GET /api/v1/admin/tenants/mine', 'GET /api/v1/admin/service-keys',
    'GET /api/v1/admin/service-keys/:id', 'POST /api/v1/admin/service-keys', 'PUT /api/v1/admin/service-keys/:id',
    'PATCH /api/v1/admin/service-keys/:id', 'DELETE /api/v1/admin/service-keys/:id', 'POST /api/v1/admin/service-keys/:id/disable',
    'POST /api/v1/admin/service-keys/:id/enable', 'POST /api/v1/admin/service-keys/:id/revoke', 'POST /api/v1/admin/service-keys/:id/deprecate',
    'POST /api/v1/admin/service-keys/:id/rotate', 'GET /api/v1/admin/service-keys/:id/revocations', 'POST /api/v1/admin/login',
    'POST /dashboard/auth/login', 'POST /api/v1/admin/refresh', 'POST /api/v1/admin/logout'
  ]
  const internal = /\/api\/|\/dashboard\/|\b(GET|POST|PUT|PATCH|DELETE)\b|:id|undefined|null/

  it('never shows a method, a path or a placeholder, for any endpoint and status', () => {
    for (const endpoint of ENDPOINTS) {
      expect(actionOf(endpoint), endpoint).not.toBe('sending the request')
      const messages = [
        ...[400, 401, 403, 404, 405, 409, 418, 422, 429, 500, 502, 503].map((status) =>
          httpError({ endpoint, baseUrl: 'https://fb.example.com', status, body: parseErrorBody(''), headerRequestId: null, retryAfterMs: null, idempotent: true }).message),
        networkError(endpoint, 'https://fb.example.com', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), true).message,
        timeoutError(endpoint, 'https://fb.example.com', 15_000, false).message,
        cancelledError(endpoint).message,
        invalidResponseError(endpoint, '[0].id is missing', true).message
      ]
      for (const m of messages) expect(m, `${endpoint}: ${m}`).not.toMatch(internal)
    }
  })
})

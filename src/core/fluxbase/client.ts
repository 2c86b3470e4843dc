// The typed admin-API client: tenants and service keys, for both server generations.
// Every request goes through request(): auth header, tenant header (always a UUID),
// Idempotency-Key on mutations, one 401 recovery, retry of retryable failures, and zod
// validation of the answer inside the retry loop (so a garbled read is retried too).
//
// Idempotency keys follow the real server (reference §1.3): its middleware runs before
// authentication and stores every answer below 500 under the key alone, 401s included. So a
// retry after a lost answer or a 5xx keeps its key (the server replays or runs it once), but
// a request repeated after a refused token gets a NEW key: the first one was never carried
// out, and the old key would only replay its 401.
// Every error leaving a public method has had all known secrets redacted from its message.
import { randomUUID } from 'node:crypto'
import { isUuid } from '../../shared/ids'
import { FluxbaseError, argumentError, httpError, inProgressError, invalidResponseError, parseErrorBody, parseRetryAfter, redact } from './errors'
import { isLoopbackHost, normaliseBaseUrl, parseJsonBody, sendOnce, type HttpMethod, type RawResponse, type TransportOptions } from './http'
import { DEFAULT_RETRY, withRetry } from './retry'
import type { Priority } from './budget'
import {
  currentRevocationSchema,
  currentRevocationToEntries,
  deprecateSchema,
  healthSchema,
  legacyRevocationListSchema,
  legacyRevocationToEntry,
  legacyRotateSchema,
  parseWith,
  serviceKeyListSchema,
  serviceKeySchema,
  serviceKeyWithKeySchema,
  successSchema,
  tenantListSchema,
  toApiServiceKey,
  toApiTenant,
  toIssuedKey
} from './schemas'
import { Session } from './session'
import type {
  ApiServiceKey,
  ApiTenant,
  CreateKeyInput,
  FluxbaseClientOptions,
  IssuedKey,
  RetryOptions,
  RevocationEntry,
  SessionTokens,
  UpdateKeyInput
} from './types'
import type { z } from 'zod'

const KEYS = '/api/v1/admin/service-keys'
const TENANTS = '/api/v1/admin/tenants'

export const DEFAULT_TIMEOUT_MS = 15_000

export const INSECURE_TRANSPORT_MESSAGE =
  'This address uses plain http to a computer other than this one: the admin password, the session tokens and every new key value would cross the network unencrypted. ' +
  "Use the server's https:// address; only for a lab server you trust, choose \"Allow insecure transport\" for this instance."

/** The one implicit tenant of a server without tenant routes (legacy generation, Appendix A). */
export const SINGLE_TENANT_ID = '00000000-0000-0000-0000-000000000000'
const SINGLE_TENANT: ApiTenant = { id: SINGLE_TENANT_ID, slug: 'default', name: 'Default', isDefault: true, status: 'active' }

export { isUuid }

interface RequestSpec<T> {
  method: HttpMethod
  path: string
  endpoint: string
  tenantId?: string
  query?: Record<string, string | undefined>
  body?: unknown
  /** Send the bearer token (everything except health). */
  auth?: boolean
  /** Non-2xx statuses the caller handles itself (returned to parse instead of thrown). */
  passthrough?: number[]
  /** What a 404 is about, for the message. */
  subject?: string
  /** Background requests (sync) yield the server's budget to interactive ones. */
  priority?: Priority
  parse: (res: RawResponse) => T
}

/** Shortens and sanitises a caller-supplied identifier before it appears in a message. */
function shown(s: string): string {
  const t = s.replace(/[^\w.:@/-]/g, '?').slice(0, 64)
  return s.length > 64 ? `${t}…` : t
}

export class FluxbaseClient {
  readonly baseUrl: string
  private readonly now: () => number
  private readonly retry: RetryOptions
  private readonly random: () => number
  private readonly transport: TransportOptions
  private readonly session: Session
  private readonly signal: AbortSignal | undefined
  /** Every secret this client has seen; redacted from all error messages. */
  private readonly secrets = new Set<string>()
  private updateMethod: 'PUT' | 'PATCH' = 'PUT'
  private tenantListForbidden = false

  constructor(options: FluxbaseClientOptions) {
    const base = normaliseBaseUrl(options.baseUrl)
    if (!base) {
      throw argumentError(
        'client',
        'INVALID_BASE_URL',
        'The server URL must be an http:// or https:// address without user name, query or fragment, e.g. https://fluxbase.example.com.'
      )
    }
    if (base.startsWith('http:') && !isLoopbackHost(new URL(base).hostname) && !options.allowInsecureTransport) {
      throw argumentError('client', 'INSECURE_TRANSPORT', INSECURE_TRANSPORT_MESSAGE)
    }
    this.baseUrl = base
    this.now = options.now ?? Date.now
    this.retry = options.retry ?? DEFAULT_RETRY
    this.random = options.random ?? Math.random
    this.signal = options.signal
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.transport = {
      baseUrl: base, timeoutMs, signal: options.signal, observer: options.observer, budget: options.budget, caPem: options.caPem ?? null, now: this.now
    }
    this.session = new Session({
      baseUrl: base,
      credential: options.credential,
      now: this.now,
      transport: this.transport,
      retry: this.retry,
      random: this.random,
      onTokens: options.onTokens,
      secrets: this.secrets
    })
  }

  // -- session ---------------------------------------------------------------------------------

  login(): Promise<SessionTokens> {
    return this.guard(() => this.session.login())
  }

  /**
   * Signs out of the server (POST /api/v1/admin/logout), if this client holds a session: the
   * access token is blacklisted there. Never signs in just to sign out.
   */
  logout(): Promise<void> {
    const tokens = this.session.current()
    if (!tokens) return Promise.resolve()
    const endpoint = 'POST /api/v1/admin/logout'
    return this.guard(async () => {
      const res = await sendOnce(
        { method: 'POST', path: '/api/v1/admin/logout', endpoint, idempotent: false, headers: { Authorization: `Bearer ${tokens.accessToken}`, 'Idempotency-Key': randomUUID() } },
        this.transport
      )
      // 401: the session had already ended, which is what signing out wants.
      if (res.status !== 401 && (res.status < 200 || res.status >= 300)) throw this.httpErr(endpoint, res, false)
    })
  }

  // -- health and tenants ----------------------------------------------------------------------

  health(): Promise<{ status: string; timestamp: string | null }> {
    const endpoint = 'GET /health'
    return this.guard(() =>
      this.request({
        method: 'GET',
        path: '/health',
        endpoint,
        auth: false,
        passthrough: [503],
        parse: (res) => {
          if (res.status === 503) {
            // A degraded server answers 503 {status:"degraded"}; anything else is a real 503.
            const r = healthSchema.safeParse(safeJson(res.text))
            if (r.success) return { status: r.data.status, timestamp: r.data.timestamp ?? null }
            throw this.httpErr(endpoint, res, true)
          }
          const h = this.validate(res, endpoint, true, healthSchema)
          return { status: h.status, timestamp: h.timestamp ?? null }
        }
      })
    )
  }

  listTenants(): Promise<ApiTenant[]> {
    return this.guard(async () => {
      if (!this.tenantListForbidden) {
        const endpoint = `GET ${TENANTS}`
        const all = await this.request({
          method: 'GET',
          path: TENANTS,
          endpoint,
          passthrough: [403, 404],
          parse: (res) => {
            if (res.status === 403) return null
            // A server without multi-tenancy (the legacy generation) has no tenant routes: it is
            // one implicit tenant, addressed by the nil UUID (the header is ignored there).
            if (res.status === 404) return [{ ...SINGLE_TENANT }]
            return this.validate(res, endpoint, true, tenantListSchema).map(toApiTenant)
          }
        })
        if (all) return all
        // Tenant admins may not list every tenant: they see the ones assigned to them.
        this.tenantListForbidden = true
      }
      const endpoint = `GET ${TENANTS}/mine`
      return this.request({
        method: 'GET',
        path: `${TENANTS}/mine`,
        endpoint,
        parse: (res) => this.validate(res, endpoint, true, tenantListSchema).map(toApiTenant)
      })
    })
  }

  resolveTenantId(idOrSlug: string): Promise<string> {
    return this.guard(async () => {
      const v = idOrSlug.trim()
      if (isUuid(v)) return v.toLowerCase()
      if (!v) throw argumentError(`GET ${TENANTS}`, 'INVALID_TENANT', 'No tenant was given; enter the tenant slug or its UUID.')
      const tenants = await this.listTenants()
      const match = tenants.find((t) => t.slug === v) ?? tenants.find((t) => t.slug.toLowerCase() === v.toLowerCase())
      if (match) return match.id
      const known = tenants.map((t) => t.slug).slice(0, 10)
      throw argumentError(
        this.tenantListForbidden ? `GET ${TENANTS}/mine` : `GET ${TENANTS}`,
        'TENANT_NOT_FOUND',
        `No tenant with slug "${shown(v)}" exists on ${this.baseUrl} (or this account cannot see it)${
          known.length ? `; known tenants: ${known.join(', ')}${tenants.length > known.length ? ', …' : ''}` : ''
        }.`
      )
    })
  }

  // -- service keys ----------------------------------------------------------------------------

  /** `background`: a sync's read, which waits behind what the operator asked for. */
  listKeys(tenantId: string, opts: { background?: boolean } = {}): Promise<ApiServiceKey[]> {
    const endpoint = `GET ${KEYS}`
    return this.guard(() =>
      this.request({
        method: 'GET',
        path: KEYS,
        endpoint,
        tenantId,
        priority: opts.background ? 'background' : 'interactive',
        parse: (res) => this.validate(res, endpoint, true, serviceKeyListSchema).map(toApiServiceKey)
      })
    )
  }

  getKey(tenantId: string, keyId: string): Promise<ApiServiceKey> {
    return this.guard(() => this.getKeyInner(tenantId, keyId))
  }

  createKey(tenantId: string, input: CreateKeyInput): Promise<IssuedKey> {
    const endpoint = `POST ${KEYS}`
    const body = compact({
      name: input.name,
      description: input.description,
      key_type: input.keyType,
      scopes: input.scopes,
      allowed_namespaces: input.allowedNamespaces,
      rate_limit_per_minute: input.rateLimitPerMinute,
      rate_limit_per_hour: input.rateLimitPerHour,
      expires_at: input.expiresAt
    })
    return this.guard(() =>
      this.request({
        method: 'POST',
        path: KEYS,
        endpoint,
        tenantId,
        body,
        parse: (res) => this.issued(toIssuedKey(this.validate(res, endpoint, false, serviceKeyWithKeySchema)))
      })
    )
  }

  updateKey(tenantId: string, keyId: string, input: UpdateKeyInput): Promise<ApiServiceKey> {
    const body = compact({
      name: input.name,
      description: input.description,
      scopes: input.scopes,
      allowed_namespaces: input.allowedNamespaces,
      enabled: input.enabled,
      rate_limit_per_minute: input.rateLimitPerMinute,
      rate_limit_per_hour: input.rateLimitPerHour
    })
    return this.guard(async () => {
      const id = this.keyId(keyId, `PUT ${KEYS}/:id`)
      const send = (method: 'PUT' | 'PATCH'): Promise<{ key: ApiServiceKey | null; status: number }> => {
        const endpoint = `${method} ${KEYS}/:id`
        return this.request({
          method,
          path: `${KEYS}/${id}`,
          endpoint,
          tenantId,
          body,
          subject: 'service key',
          passthrough: method === 'PUT' ? [405] : [],
          parse: (res) => {
            if (res.status === 405) return { key: null, status: 405 }
            const data = parseJsonBody(res, endpoint, false)
            const asKey = parseWith(serviceKeySchema, data)
            if (asKey.ok) return { key: toApiServiceKey(asKey.value), status: res.status }
            // The legacy server answers {success, message}: the caller re-reads the key.
            if (parseWith(successSchema, data).ok) return { key: null, status: res.status }
            throw invalidResponseError(endpoint, asKey.detail, false, res.headers.get('x-request-id'))
          }
        })
      }
      let out = await send(this.updateMethod)
      if (out.status === 405 && this.updateMethod === 'PUT') {
        out = await send('PATCH')
        this.updateMethod = 'PATCH'
      }
      return out.key ?? (await this.getKeyInner(tenantId, id))
    })
  }

  /**
   * Whether this server can update a key, asked without changing anything: an update of a key
   * id that cannot exist. A fixed server answers 404; the current one fails its statement
   * before it looks for the row and answers 500 "Failed to update service key" (reference §4.4).
   */
  probeUpdateSupport(): Promise<'supported' | 'unsupported' | 'unknown'> {
    return this.guard(async () => {
      const probe = async (method: 'PUT' | 'PATCH'): Promise<number> =>
        this.request({
          method,
          path: `${KEYS}/${randomUUID()}`,
          endpoint: `${method} ${KEYS}/:id`,
          body: { description: 'Fluxbase Keys update check' },
          passthrough: [404, 405, 500],
          parse: (res) => (res.status === 500 && !/failed to update service key/i.test(parseErrorBody(res.text).error ?? '') ? -1 : res.status)
        })
      let status = await probe(this.updateMethod)
      if (status === 405 && this.updateMethod === 'PUT') {
        this.updateMethod = 'PATCH'
        status = await probe('PATCH')
      }
      return status === 404 ? 'supported' : status === 500 ? 'unsupported' : 'unknown'
    })
  }

  deleteKey(tenantId: string, keyId: string): Promise<void> {
    return this.guard(() => this.simpleMutation('DELETE', tenantId, keyId, '', undefined, undefined))
  }

  disableKey(tenantId: string, keyId: string): Promise<void> {
    return this.guard(() => this.simpleMutation('POST', tenantId, keyId, '/disable', {}, undefined))
  }

  enableKey(tenantId: string, keyId: string): Promise<void> {
    return this.guard(() => this.simpleMutation('POST', tenantId, keyId, '/enable', {}, undefined))
  }

  revokeKey(tenantId: string, keyId: string, opts: { reason: string }): Promise<void> {
    // Current server reads the reason from the query string; the legacy one from JSON (required).
    return this.guard(() => this.simpleMutation('POST', tenantId, keyId, '/revoke', { reason: opts.reason }, { reason: opts.reason }))
  }

  deprecateKey(
    tenantId: string,
    keyId: string,
    opts: { graceHours: number; reason?: string }
  ): Promise<{ deprecatedAt: string | null; gracePeriodEndsAt: string | null }> {
    const endpoint = `POST ${KEYS}/:id/deprecate`
    return this.guard(async () => {
      const id = this.keyId(keyId, endpoint)
      const hours = this.graceHours(opts.graceHours, endpoint)
      const out = await this.request({
        method: 'POST',
        path: `${KEYS}/${id}/deprecate`,
        endpoint,
        tenantId,
        subject: 'service key',
        query: { grace_period_hours: String(hours), reason: opts.reason },
        body: compact({ grace_period_hours: hours, reason: opts.reason }),
        parse: (res) => {
          const d = this.validate(res, endpoint, false, deprecateSchema)
          return { deprecatedAt: d.deprecated_at ?? null, gracePeriodEndsAt: d.grace_period_ends_at ?? d.grace_period_ends ?? null }
        }
      })
      if (out.deprecatedAt == null) {
        // Legacy answer carries no deprecated_at: read it back, but the deprecation already happened,
        // so a failing re-read does not fail the call.
        try {
          const k = await this.getKeyInner(tenantId, id)
          return { deprecatedAt: k.deprecatedAt, gracePeriodEndsAt: out.gracePeriodEndsAt ?? k.gracePeriodEndsAt }
        } catch {
          return out
        }
      }
      return out
    })
  }

  rotateKey(
    tenantId: string,
    keyId: string,
    opts: { graceHours?: number; newName?: string } = {}
  ): Promise<{ issued: IssuedKey; oldKeyGracePeriodEndsAt: string | null }> {
    const endpoint = `POST ${KEYS}/:id/rotate`
    return this.guard(async () => {
      const id = this.keyId(keyId, endpoint)
      const hours = opts.graceHours === undefined ? undefined : this.graceHours(opts.graceHours, endpoint)
      return this.request({
        method: 'POST',
        path: `${KEYS}/${id}/rotate`,
        endpoint,
        tenantId,
        subject: 'service key',
        query: { grace_period_hours: hours === undefined ? undefined : String(hours) },
        body: compact({ grace_period_hours: hours, new_key_name: opts.newName }),
        parse: (res) => {
          const data = parseJsonBody(res, endpoint, false)
          if (data && typeof data === 'object' && 'new_key' in data) {
            const legacy = parseWith(legacyRotateSchema, data)
            if (!legacy.ok) throw invalidResponseError(endpoint, legacy.detail, false, res.headers.get('x-request-id'))
            return { issued: this.issued(toIssuedKey(legacy.value.new_key)), oldKeyGracePeriodEndsAt: legacy.value.grace_period_ends ?? null }
          }
          const cur = parseWith(serviceKeyWithKeySchema, data)
          if (!cur.ok) throw invalidResponseError(endpoint, cur.detail, false, res.headers.get('x-request-id'))
          return { issued: this.issued(toIssuedKey(cur.value)), oldKeyGracePeriodEndsAt: null }
        }
      })
    })
  }

  revocationHistory(tenantId: string, keyId: string): Promise<RevocationEntry[]> {
    const endpoint = `GET ${KEYS}/:id/revocations`
    return this.guard(async () => {
      const id = this.keyId(keyId, endpoint)
      return this.request({
        method: 'GET',
        path: `${KEYS}/${id}/revocations`,
        endpoint,
        tenantId,
        subject: 'service key',
        parse: (res) => {
          const data = parseJsonBody(res, endpoint, true)
          if (Array.isArray(data)) {
            const legacy = parseWith(legacyRevocationListSchema, data)
            if (!legacy.ok) throw invalidResponseError(endpoint, legacy.detail, true, res.headers.get('x-request-id'))
            return legacy.value.map(legacyRevocationToEntry)
          }
          const cur = parseWith(currentRevocationSchema, data)
          if (!cur.ok) throw invalidResponseError(endpoint, cur.detail, true, res.headers.get('x-request-id'))
          return currentRevocationToEntries(cur.value)
        }
      })
    })
  }

  // -- internals -------------------------------------------------------------------------------

  private getKeyInner(tenantId: string, keyId: string): Promise<ApiServiceKey> {
    const endpoint = `GET ${KEYS}/:id`
    const id = this.keyId(keyId, endpoint)
    return this.request({
      method: 'GET',
      path: `${KEYS}/${id}`,
      endpoint,
      tenantId,
      subject: 'service key',
      parse: (res) => toApiServiceKey(this.validate(res, endpoint, true, serviceKeySchema))
    })
  }

  /** DELETE, disable, enable, revoke: 204 (current) or 200 {success} (legacy); the body is not needed. */
  private async simpleMutation(
    method: 'POST' | 'DELETE',
    tenantId: string,
    keyId: string,
    suffix: string,
    body: unknown,
    query: Record<string, string> | undefined
  ): Promise<void> {
    const endpoint = `${method} ${KEYS}/:id${suffix}`
    const id = this.keyId(keyId, endpoint)
    await this.request({
      method,
      path: `${KEYS}/${id}${suffix}`,
      endpoint,
      tenantId,
      body,
      query,
      subject: 'service key',
      parse: () => undefined
    })
  }

  private issued(k: IssuedKey): IssuedKey {
    this.secrets.add(k.value)
    return k
  }

  private keyId(keyId: string, endpoint: string): string {
    if (!isUuid(keyId)) {
      throw argumentError(endpoint, 'INVALID_KEY_ID', `"${shown(keyId)}" is not a service key id; key ids are UUIDs.`)
    }
    return keyId.toLowerCase()
  }

  private graceHours(h: number, endpoint: string): number {
    if (!Number.isInteger(h) || h < 0) {
      throw argumentError(endpoint, 'INVALID_GRACE_PERIOD', `The grace period must be a whole number of hours, 0 or more (got ${String(h)}).`)
    }
    return h
  }

  private tenantHeader(tenantId: string, endpoint: string): string {
    if (!isUuid(tenantId)) {
      throw argumentError(
        endpoint,
        'INVALID_TENANT_ID',
        `"${shown(tenantId)}" is not a tenant id (tenants are addressed by their UUID); pick the tenant from the list.`
      )
    }
    return tenantId.toLowerCase()
  }

  private validate<S extends z.ZodType>(res: RawResponse, endpoint: string, idempotent: boolean, schema: S): z.infer<S> {
    const parsed = parseWith(schema, parseJsonBody(res, endpoint, idempotent))
    if (!parsed.ok) throw invalidResponseError(endpoint, parsed.detail, idempotent, res.headers.get('x-request-id'))
    return parsed.value
  }

  private httpErr(endpoint: string, res: RawResponse, idempotent: boolean, subject?: string): FluxbaseError {
    const body = parseErrorBody(res.text)
    const err = httpError({
      endpoint,
      baseUrl: this.baseUrl,
      status: res.status,
      body,
      headerRequestId: res.headers.get('x-request-id'),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now()),
      idempotent,
      subject
    })
    if (res.status === 500 && /failed to update service key/i.test(body.error ?? '')) {
      // Known server defect (reference §4.4): the update statement writes a column the table lacks.
      err.knownDefect = 'update_fails'
      err.message =
        `${this.baseUrl} cannot update service keys: this Fluxbase version has a known defect that makes every update fail; ` +
        `replace the key with a new one instead (Edit offers it), or upgrade the server.` +
        (err.requestId ? ` (request id ${err.requestId})` : '')
    }
    return err
  }

  private async request<T>(spec: RequestSpec<T>): Promise<T> {
    const idempotent = spec.method === 'GET'
    const headers: Record<string, string> = {}
    if (spec.tenantId !== undefined) headers['X-FB-Tenant'] = this.tenantHeader(spec.tenantId, spec.endpoint)
    // One key per logical call, reused by retries of a lost answer; replaced when the server
    // provably did not carry the request out (see the file's opening comment).
    let idempotencyKey = idempotent ? null : randomUUID()
    const auth = spec.auth !== false
    let recovered = false
    let rekeyed = false
    /** The last attempt was refused before it ran (429): the next one is a new request. */
    let refusedBeforeRunning = false

    return withRetry({ opts: this.retry, random: this.random, signal: this.signal, endpoint: spec.endpoint }, async () => {
      if (idempotencyKey && refusedBeforeRunning) idempotencyKey = randomUUID()
      refusedBeforeRunning = false
      const once = async (token: string | null): Promise<RawResponse> =>
        sendOnce(
          {
            method: spec.method,
            path: spec.path,
            endpoint: spec.endpoint,
            query: spec.query,
            body: spec.body,
            idempotent,
            priority: spec.priority,
            headers: {
              ...headers,
              ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
              ...(token ? { Authorization: `Bearer ${token}` } : {})
            }
          },
          this.transport
        )
      const token = auth ? await this.session.accessToken() : null
      let res = await once(token)
      if (res.status === 401 && auth && token) {
        // Refresh (or sign in again) once, then repeat this request once, as a new request:
        // the refused one was never carried out.
        if (recovered) throw this.session.rejectedError(spec.endpoint, res)
        recovered = true
        const fresh = await this.session.recover(token, spec.endpoint)
        if (idempotencyKey) idempotencyKey = randomUUID()
        res = await once(fresh)
        if (res.status === 401) throw this.session.rejectedError(spec.endpoint, res)
      }
      if (idempotencyKey && res.status === 422 && !rekeyed && isKeyMismatch(res)) {
        // The server tied this key to another request and ran nothing: one fresh try.
        rekeyed = true
        idempotencyKey = randomUUID()
        res = await once(token === null ? null : await this.session.accessToken())
      }
      const ok = res.status >= 200 && res.status < 300
      // A rate limiter's 429 means nothing ran, whether or not the idempotency middleware kept it.
      if (res.status === 429) refusedBeforeRunning = true
      if (idempotencyKey && res.status === 409 && parseErrorBody(res.text).code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS') {
        throw inProgressError(spec.endpoint, this.baseUrl, res.headers.get('x-request-id'))
      }
      if (!ok && !spec.passthrough?.includes(res.status)) throw this.httpErr(spec.endpoint, res, idempotent, spec.subject)
      return spec.parse(res)
    })
  }

  /** Redacts every known secret from errors leaving the client. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof FluxbaseError) {
        err.message = redact(err.message, this.secrets)
        throw err
      }
      // Anything else is a bug or an unexpected runtime failure: never let its text leak secrets.
      const message = err instanceof Error ? redact(err.message, this.secrets) : 'unknown error'
      throw new FluxbaseError({ kind: 'invalid_response', endpoint: 'client', message: `Unexpected failure in the Fluxbase client: ${message}.` })
    }
  }
}

/** 422 from the idempotency middleware: the key was used for another request (or body). */
function isKeyMismatch(res: RawResponse): boolean {
  const code = parseErrorBody(res.text).code
  return code === 'IDEMPOTENCY_REQUEST_BODY_MISMATCH' || code === 'IDEMPOTENCY_KEY_MISMATCH'
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v
  return out
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

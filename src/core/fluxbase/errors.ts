// The single error type of the admin-API client, and the mapping from transport failures and
// HTTP error answers to sentences an operator can act on. Nothing here may carry a secret:
// messages are built from the endpoint template, the base URL and the server's error text, and
// every message passes through the client's redactor before it is stored.

/** 'argument': the caller's mistake, found before any request was sent. */
export type FluxbaseErrorKind = 'network' | 'timeout' | 'http' | 'invalid_response' | 'auth' | 'cancelled' | 'argument' | 'certificate'

export interface FluxbaseErrorInit {
  kind: FluxbaseErrorKind
  endpoint: string
  message: string
  status?: number | null
  code?: string | null
  requestId?: string | null
  retryable?: boolean
  retryAfterMs?: number | null
  detail?: string | null
}

export class FluxbaseError extends Error {
  override name = 'FluxbaseError'
  /** Technical detail for the log (what did not validate): never shown to a person. */
  detail: string | null
  /** A known defect of the server answered (reference §4.4: every key update fails with 500). */
  knownDefect: 'update_fails' | null = null
  kind: FluxbaseErrorKind
  /** Method and path template, e.g. 'POST /api/v1/admin/service-keys/:id/rotate'. */
  endpoint: string
  status: number | null
  code: string | null
  requestId: string | null
  /** Safe to retry this request as-is. */
  retryable: boolean
  /** From Retry-After on 429/503. */
  retryAfterMs: number | null

  constructor(init: FluxbaseErrorInit) {
    super(init.message)
    this.kind = init.kind
    this.endpoint = init.endpoint
    this.status = init.status ?? null
    this.code = init.code ?? null
    this.requestId = init.requestId ?? null
    this.retryable = init.retryable ?? false
    this.retryAfterMs = init.retryAfterMs ?? null
    this.detail = init.detail ?? null
  }

  /** JSON form for IPC and logs: the same fields, message included. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      endpoint: this.endpoint,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      detail: this.detail
    }
  }
}

export function isFluxbaseError(e: unknown): e is FluxbaseError {
  return e instanceof FluxbaseError
}

/**
 * What a person calls each request. Messages say this, never the method and path, which stay
 * on the error (`endpoint`) for logs and tests.
 */
const ACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^GET \/health$/, 'the connection check'],
  [/^GET \/api\/v1\/admin\/tenants$/, 'listing the tenants'],
  [/^GET \/api\/v1\/admin\/tenants\/mine$/, 'listing your tenants'],
  [/^GET \/api\/v1\/admin\/service-keys$/, 'listing the service keys'],
  [/^GET \/api\/v1\/admin\/service-keys\/:id$/, 'reading the service key'],
  [/^POST \/api\/v1\/admin\/service-keys$/, 'creating the service key'],
  [/^(PUT|PATCH) \/api\/v1\/admin\/service-keys\/:id$/, 'updating the service key'],
  [/^DELETE \/api\/v1\/admin\/service-keys\/:id$/, 'deleting the service key'],
  [/^POST \/api\/v1\/admin\/service-keys\/:id\/disable$/, 'disabling the service key'],
  [/^POST \/api\/v1\/admin\/service-keys\/:id\/enable$/, 'enabling the service key'],
  [/^POST \/api\/v1\/admin\/service-keys\/:id\/revoke$/, 'revoking the service key'],
  [/^POST \/api\/v1\/admin\/service-keys\/:id\/deprecate$/, 'deprecating the service key'],
  [/^POST \/api\/v1\/admin\/service-keys\/:id\/rotate$/, 'rotating the service key'],
  [/^GET \/api\/v1\/admin\/service-keys\/:id\/revocations$/, 'reading the revocation history'],
  [/login$/, 'signing in'],
  [/refresh$/, 'renewing the session'],
  [/logout$/, 'signing out']
]

/** 'rotating the service key' for 'POST /api/v1/admin/service-keys/:id/rotate'. */
export function actionOf(endpoint: string): string {
  return ACTIONS.find(([re]) => re.test(endpoint))?.[1] ?? 'sending the request'
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** Replaces every known secret in `text` with a placeholder. Secrets shorter than 4 chars are ignored. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const s of secrets) {
    if (s && s.length >= 4 && out.includes(s)) out = out.split(s).join('[redacted]')
  }
  // Defence in depth: anything that looks like a JWT or a service key value never survives.
  out = out.replace(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted]')
  out = out.replace(/\b(?:sk|pk)_(?:live_)?[A-Za-z0-9_-]{24,}={0,2}/g, '[redacted]')
  return out
}

/** The parts of a Fluxbase error body this client reads (§1.1). */
export interface ServerErrorBody {
  error: string | null
  code: string | null
  message: string | null
  requestId: string | null
  retryAfterSeconds: number | null
  lockedUntil: string | null
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null
}

export function parseErrorBody(text: string): ServerErrorBody {
  const empty: ServerErrorBody = { error: null, code: null, message: null, requestId: null, retryAfterSeconds: null, lockedUntil: null }
  if (!text) return empty
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return empty
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return empty
  const b = body as Record<string, unknown>
  const details = b.details && typeof b.details === 'object' ? (b.details as Record<string, unknown>) : {}
  const retry = b.retry_after ?? details.retry_after
  return {
    error: str(b.error),
    code: str(b.code),
    message: str(b.message),
    requestId: str(b.request_id),
    retryAfterSeconds: typeof retry === 'number' && Number.isFinite(retry) && retry >= 0 ? retry : null,
    lockedUntil: str(b.locked_until) ?? str(details.locked_until)
  }
}

/** Retry-After header: delta-seconds or an HTTP date. Returns ms, or null. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (!header) return null
  const trimmed = header.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return null
  return Math.max(0, at - nowMs)
}

/** Server text quoted in messages is trimmed and bounded, and never ends in a double full stop. */
export function quote(serverText: string | null): string {
  if (!serverText) return ''
  const t = serverText.trim().replace(/\s+/g, ' ').slice(0, 200)
  return t.replace(/[.!]+$/, '')
}

export function withRequestId(sentence: string, requestId: string | null): string {
  return requestId ? `${sentence} (request id ${requestId})` : sentence
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

export function humanDelay(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 90) return plural(s, 'second')
  return plural(Math.ceil(s / 60), 'minute')
}

export interface HttpErrorContext {
  endpoint: string
  baseUrl: string
  status: number
  body: ServerErrorBody
  headerRequestId: string | null
  retryAfterMs: number | null
  idempotent: boolean
  /** What the request was about, for 404s: 'service key', 'tenant', ... */
  subject?: string
}

/** Whether a failed HTTP answer may be retried as-is. */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 429) return true // rejected before processing
  if (!idempotent) return false
  return status === 500 || status === 502 || status === 503 || status === 504 || status === 408
}

/** Maps a non-2xx answer of an admin API endpoint to a FluxbaseError. */
export function httpError(ctx: HttpErrorContext): FluxbaseError {
  const { endpoint, baseUrl, status, body } = ctx
  const requestId = body.requestId ?? ctx.headerRequestId
  const serverText = quote(body.error ?? body.message)
  const said = serverText ? ` The server said: "${serverText}".` : ''
  const action = actionOf(endpoint)
  let sentence: string
  const retryAfterMs = ctx.retryAfterMs ?? (body.retryAfterSeconds != null ? body.retryAfterSeconds * 1000 : null)
  switch (status) {
    case 400:
      sentence = `${baseUrl} refused ${action} as invalid.${said} Check the values and try again.`
      break
    case 401:
      sentence = `${baseUrl} did not accept the session while ${action}; sign in again.${said}`
      break
    case 403:
      sentence = `The signed-in account lacks permission for ${action} on ${baseUrl}; sign in with an account that has it.${said}`
      break
    case 404:
      if (body.error && /tenant not found/i.test(body.error)) {
        sentence = `The tenant does not exist on ${baseUrl} (it may have been deleted); refresh the tenant list.`
      } else if (ctx.subject) {
        sentence = `The ${ctx.subject} was not found on ${baseUrl} (it may have been deleted); refresh and try again.${said}`
      } else {
        sentence = `${baseUrl} answered "not found" to ${action}; check that the address points at a Fluxbase server.${said}`
      }
      break
    case 405:
      sentence = `${baseUrl} does not support ${action}; the server version may be too old or too new for this app.`
      break
    case 409:
      sentence = `${capitalise(action)} conflicts with the key's current state on ${baseUrl}; refresh and check it.${said}`
      break
    case 422:
      sentence = /^IDEMPOTENCY_/.test(body.code ?? '')
        ? `${baseUrl} matched this request to an earlier one with other contents and refused it (${action}); nothing was changed. Try again.`
        : `${baseUrl} refused ${action}.${said} Check the values and try again.`
      break
    case 429:
      sentence = `${baseUrl} is rate-limiting requests${retryAfterMs != null ? `; try again in ${humanDelay(retryAfterMs)}` : '; wait a moment and try again'}.`
      break
    case 502:
    case 503:
    case 504:
      sentence = `${baseUrl} is temporarily unavailable (${status}) for ${action}; try again shortly.${said}`
      break
    default:
      if (status >= 500) {
        sentence = `${baseUrl} failed while ${action} (${status}).${said} Try again; if it keeps failing, the server's logs will say why.`
      } else {
        sentence = `${baseUrl} answered ${action} with status ${status}.${said}`
      }
  }
  return new FluxbaseError({
    kind: 'http',
    endpoint,
    status,
    code: body.code,
    requestId,
    retryable: isRetryableStatus(status, ctx.idempotent),
    retryAfterMs: status === 429 || status === 503 ? retryAfterMs : null,
    message: withRequestId(sentence, requestId)
  })
}

/** Node/undici error codes of a failed fetch, read from the cause chain. */
export function networkCode(err: unknown): string | null {
  let cur: unknown = err
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const c = cur as { code?: unknown; cause?: unknown; errors?: unknown }
    if (typeof c.code === 'string') return c.code
    if (Array.isArray(c.errors) && c.errors.length > 0) {
      const first = c.errors[0] as { code?: unknown }
      if (typeof first?.code === 'string') return first.code
    }
    cur = c.cause
  }
  return null
}

/** What a refused certificate means, by Node's code: said as what it is, never as "offline". */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'its certificate has expired; renew it on the server',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet (check the clocks of the server and this computer)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate was issued for another host name; use the address the certificate names',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted; add the certificate (or its CA) as the instance\'s CA bundle',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chains to a CA this computer does not trust; add that CA as the instance\'s CA bundle',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is signed by an authority this computer does not trust; add that CA as the instance\'s CA bundle',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is signed by an authority this computer does not trust; add that CA as the instance\'s CA bundle',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is signed by an authority this computer does not trust; add that CA as the instance\'s CA bundle',
  CERT_REVOKED: 'its certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'its certificate\'s signature does not verify'
}

export function networkError(endpoint: string, baseUrl: string, err: unknown, idempotent: boolean): FluxbaseError {
  const code = networkCode(err)
  const certificate = code ? CERTIFICATE_PROBLEMS[code] : undefined
  if (certificate) {
    return new FluxbaseError({
      kind: 'certificate',
      endpoint,
      code,
      retryable: false,
      message: `${baseUrl} was not trusted while ${actionOf(endpoint)}: ${certificate}. Nothing was sent.`
    })
  }
  // ECONNREFUSED: the request never reached the server, so even a mutation may be repeated.
  const neverReached = code === 'ECONNREFUSED'
  let why: string
  switch (code) {
    case 'ECONNREFUSED':
      why = 'the connection was refused'
      break
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      why = 'its host name could not be resolved'
      break
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      why = 'the connection was closed unexpectedly'
      break
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      why = 'the connection attempt timed out'
      break
    default:
      why = 'the network request failed'
  }
  return new FluxbaseError({
    kind: 'network',
    endpoint,
    code,
    retryable: idempotent || neverReached,
    message: `Could not reach ${baseUrl} (${why}) while ${actionOf(endpoint)}; check the server address and your network connection.`
  })
}

export function timeoutError(endpoint: string, baseUrl: string, timeoutMs: number, idempotent: boolean): FluxbaseError {
  return new FluxbaseError({
    kind: 'timeout',
    endpoint,
    retryable: idempotent,
    message: `${baseUrl} did not answer within ${humanDelay(timeoutMs)} while ${actionOf(endpoint)}; the server may be overloaded or unreachable${idempotent ? '' : ', and the change may or may not have been applied: refresh before trying again'}.`
  })
}

export function cancelledError(endpoint: string): FluxbaseError {
  return new FluxbaseError({
    kind: 'cancelled',
    endpoint,
    retryable: false,
    message: `${capitalise(actionOf(endpoint))} was cancelled.`
  })
}

export function invalidResponseError(endpoint: string, detail: string, idempotent: boolean, requestId: string | null = null): FluxbaseError {
  return new FluxbaseError({
    kind: 'invalid_response',
    endpoint,
    requestId,
    retryable: idempotent,
    detail,
    message: withRequestId(
      `The server's answer to ${actionOf(endpoint)} was not understood; check that the address points at a supported Fluxbase server.`,
      requestId
    )
  })
}

/**
 * 409 from the idempotency middleware: the first copy of this request is still running (or
 * stopped midway). Retried with the same key after a pause: once the first copy finishes, the
 * server replays its answer instead of running it twice.
 */
export function inProgressError(endpoint: string, baseUrl: string, requestId: string | null): FluxbaseError {
  return new FluxbaseError({
    kind: 'http',
    endpoint,
    status: 409,
    code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    requestId,
    retryable: true,
    retryAfterMs: 2000,
    message: withRequestId(
      `${baseUrl} is still working on an earlier copy of this request (${actionOf(endpoint)}); wait a minute, refresh the key, and check it before trying again.`,
      requestId
    )
  })
}

/** A caller mistake detected before any request is sent (bad URL, bad tenant id, unknown slug). */
export function argumentError(endpoint: string, code: string, message: string): FluxbaseError {
  return new FluxbaseError({ kind: 'argument', endpoint, code, retryable: false, message })
}

// Token lifecycle: lazy login with a password credential (admin login, falling back to the
// dashboard login that tenant admins use), refresh shortly before expiry on the injected clock,
// recovery after a 401, and clear 'auth' errors for wrong passwords, locked accounts and
// sessions that can no longer be renewed.
import { FluxbaseError, humanDelay, httpError, invalidResponseError, parseErrorBody, parseRetryAfter, quote, withRequestId, type ServerErrorBody } from './errors'
import { parseJsonBody, sendOnce, type RawResponse, type TransportOptions } from './http'
import { withRetry } from './retry'
import { loginSchema, parseWith } from './schemas'
import type { AdminCredential, RetryOptions, SessionTokens } from './types'

export const ADMIN_LOGIN = '/api/v1/admin/login'
export const DASHBOARD_LOGIN = '/dashboard/auth/login'
export const ADMIN_REFRESH = '/api/v1/admin/refresh'
export const DASHBOARD_REFRESH = '/dashboard/auth/refresh'

/** Refresh this long before the access token expires (or at half its lifetime if shorter). */
export const REFRESH_MARGIN_MS = 60_000
/** The server's lockout after 5 wrong passwords lasts 15 minutes (reference §2.3). */
const DEFAULT_LOCKOUT_MS = 15 * 60_000

export interface SessionDeps {
  baseUrl: string
  credential: AdminCredential
  now: () => number
  transport: TransportOptions
  retry: RetryOptions
  random: () => number
  onTokens?: (tokens: SessionTokens) => void
  /** Every secret the session learns is added here so error messages can be redacted. */
  secrets: Set<string>
}

/** Reads `exp` (seconds) from a JWT without verifying it. Returns epoch ms or null. */
export function jwtExpiry(token: string): number | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const json = JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown
    if (json && typeof json === 'object' && typeof (json as { exp?: unknown }).exp === 'number') {
      return (json as { exp: number }).exp * 1000
    }
  } catch {
    // not a JWT: expiry unknown
  }
  return null
}

type LoginRoute = 'admin' | 'dashboard'

export class Session {
  private tokens: SessionTokens | null = null
  private marginMs = REFRESH_MARGIN_MS
  private pending: Promise<SessionTokens> | null = null
  private route: LoginRoute = 'admin'

  constructor(private readonly deps: SessionDeps) {
    const c = deps.credential
    if (c.kind === 'password') {
      deps.secrets.add(c.password)
    } else {
      this.adopt({ accessToken: c.accessToken, refreshToken: c.refreshToken ?? null, expiresAt: jwtExpiry(c.accessToken) }, false)
    }
  }

  current(): SessionTokens | null {
    return this.tokens ? { ...this.tokens } : null
  }

  /** A usable access token: logs in lazily and refreshes when expiry is near. */
  async accessToken(): Promise<string> {
    if (this.tokens && !this.expiringSoon()) return this.tokens.accessToken
    if (!this.tokens) return (await this.single(() => this.passwordLogin())).accessToken
    // Expiring soon: renew if we can; a bare token credential is used until the server refuses it.
    if (this.tokens.refreshToken || this.deps.credential.kind === 'password') {
      return (await this.single(() => this.renew(null))).accessToken
    }
    return this.tokens.accessToken
  }

  /** Explicit login. For a token credential, returns (and if needed renews) the session. */
  async login(): Promise<SessionTokens> {
    if (this.deps.credential.kind === 'password') return { ...(await this.single(() => this.passwordLogin())) }
    await this.accessToken()
    return { ...(this.tokens as SessionTokens) }
  }

  /** After a 401 with `rejected`: renew once (refresh, else re-login) and return the new token. */
  async recover(rejected: string, endpoint: string): Promise<string> {
    if (this.tokens && this.tokens.accessToken !== rejected) return this.tokens.accessToken
    return (await this.single(() => this.renew(endpoint))).accessToken
  }

  /** Error for a request that still gets 401 after the session was renewed. */
  rejectedError(endpoint: string, res: RawResponse): FluxbaseError {
    const body = parseErrorBody(res.text)
    const requestId = body.requestId ?? res.headers.get('x-request-id')
    return new FluxbaseError({
      kind: 'auth',
      endpoint,
      status: 401,
      code: body.code,
      requestId,
      message: withRequestId(`${this.deps.baseUrl} no longer accepts this session (the token expired or was revoked and could not be renewed); sign in again.`, requestId)
    })
  }

  // -------------------------------------------------------------------------------------------

  private expiringSoon(): boolean {
    const t = this.tokens
    return !!t && t.expiresAt != null && this.deps.now() >= t.expiresAt - this.marginMs
  }

  private single(fn: () => Promise<SessionTokens>): Promise<SessionTokens> {
    if (!this.pending) {
      this.pending = fn().finally(() => {
        this.pending = null
      })
    }
    return this.pending
  }

  private adopt(tokens: SessionTokens, notify: boolean): SessionTokens {
    this.tokens = tokens
    this.deps.secrets.add(tokens.accessToken)
    if (tokens.refreshToken) this.deps.secrets.add(tokens.refreshToken)
    const lifetime = tokens.expiresAt != null ? tokens.expiresAt - this.deps.now() : null
    this.marginMs = lifetime != null && lifetime > 0 ? Math.min(REFRESH_MARGIN_MS, Math.floor(lifetime / 2)) : REFRESH_MARGIN_MS
    if (notify) this.deps.onTokens?.({ ...tokens })
    return tokens
  }

  private tokensFrom(res: RawResponse, endpoint: string, previousRefresh: string | null): SessionTokens {
    const data = parseJsonBody(res, endpoint, false)
    const parsed = parseWith(loginSchema, data)
    if (!parsed.ok) throw invalidResponseError(endpoint, parsed.detail, false, res.headers.get('x-request-id'))
    const w = parsed.value
    if (w.requires_2fa) {
      throw new FluxbaseError({
        kind: 'auth',
        endpoint,
        status: res.status,
        code: 'REQUIRES_2FA',
        message: `This account needs a two-factor code to sign in to ${this.deps.baseUrl}, which Fluxbase Keys cannot provide; sign in with an access token instead.`
      })
    }
    if (!w.access_token) throw invalidResponseError(endpoint, 'access_token is missing', false, res.headers.get('x-request-id'))
    const expiresAt = w.expires_in != null ? this.deps.now() + w.expires_in * 1000 : jwtExpiry(w.access_token)
    return { accessToken: w.access_token, refreshToken: w.refresh_token ?? previousRefresh, expiresAt }
  }

  private async post(path: string, body: unknown): Promise<RawResponse> {
    const endpoint = `POST ${path}`
    return withRetry(
      { opts: this.deps.retry, random: this.deps.random, signal: this.deps.transport.signal, endpoint },
      async () => {
        const res = await sendOnce({ method: 'POST', path, endpoint, body, idempotent: false }, this.deps.transport)
        // Only a 429 (rejected before processing) is repeated; a wrong password is never retried.
        if (res.status === 429) throw this.httpErr(endpoint, res)
        return res
      }
    )
  }

  private httpErr(endpoint: string, res: RawResponse): FluxbaseError {
    return httpError({
      endpoint,
      baseUrl: this.deps.baseUrl,
      status: res.status,
      body: parseErrorBody(res.text),
      headerRequestId: res.headers.get('x-request-id'),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.deps.now()),
      idempotent: false
    })
  }

  private authErr(endpoint: string, res: RawResponse, body: ServerErrorBody, code: string | null, sentence: string): FluxbaseError {
    const requestId = body.requestId ?? res.headers.get('x-request-id')
    return new FluxbaseError({ kind: 'auth', endpoint, status: res.status, code: body.code ?? code, requestId, message: withRequestId(sentence, requestId) })
  }

  private lockedSentence(body: ServerErrorBody): string {
    const now = this.deps.now()
    let waitMs: number | null = null
    if (body.lockedUntil) {
      const at = Date.parse(body.lockedUntil)
      if (!Number.isNaN(at)) waitMs = Math.max(0, at - now)
    }
    if (waitMs == null && body.retryAfterSeconds != null) waitMs = body.retryAfterSeconds * 1000
    const email = this.deps.credential.kind === 'password' ? this.deps.credential.email : 'The account'
    if (waitMs == null) {
      return `The account ${email} is locked on ${this.deps.baseUrl} after too many failed sign-ins; try again in about ${humanDelay(DEFAULT_LOCKOUT_MS)}.`
    }
    const when = new Date(now + waitMs).toISOString().replace(/\.\d+Z$/, 'Z')
    return `The account ${email} is locked on ${this.deps.baseUrl} after too many failed sign-ins; try again after ${when} (in ${humanDelay(waitMs)}).`
  }

  private async passwordLogin(): Promise<SessionTokens> {
    const c = this.deps.credential
    if (c.kind !== 'password') {
      throw new FluxbaseError({
        kind: 'auth',
        endpoint: `POST ${ADMIN_LOGIN}`,
        message: `The access token for ${this.deps.baseUrl} can no longer be used and there is no password to sign in with; sign in again.`
      })
    }
    const creds = { email: c.email, password: c.password }
    const wrong = `Wrong e-mail or password for ${this.deps.baseUrl}.`

    const endpoint = `POST ${ADMIN_LOGIN}`
    const res = await this.post(ADMIN_LOGIN, creds)
    if (res.status >= 200 && res.status < 300) {
      this.route = 'admin'
      return this.adopt(this.tokensFrom(res, endpoint, null), true)
    }
    const body = parseErrorBody(res.text)
    const adminRequired = res.status === 403 && body.code === 'ADMIN_REQUIRED'
    if (!adminRequired && res.status !== 404 && res.status !== 405) {
      if (res.status === 401) throw this.authErr(endpoint, res, body, 'INVALID_CREDENTIALS', wrong)
      if (res.status === 403 && (body.code === 'ACCOUNT_LOCKED' || /locked/i.test(body.error ?? ''))) {
        throw this.authErr(endpoint, res, body, 'ACCOUNT_LOCKED', this.lockedSentence(body))
      }
      if (res.status === 400 || res.status === 403 || res.status === 500) {
        const said = quote(body.error ?? body.message)
        throw this.authErr(endpoint, res, body, null, `Signing in to ${this.deps.baseUrl} failed${said ? `: "${said}"` : ''}; check the account.`)
      }
      throw this.httpErr(endpoint, res)
    }

    // Tenant admins (and servers without the admin login) use the dashboard login.
    const dEndpoint = `POST ${DASHBOARD_LOGIN}`
    const dres = await this.post(DASHBOARD_LOGIN, creds)
    if (dres.status >= 200 && dres.status < 300) {
      this.route = 'dashboard'
      return this.adopt(this.tokensFrom(dres, dEndpoint, null), true)
    }
    const dbody = parseErrorBody(dres.text)
    if (dres.status === 401) throw this.authErr(dEndpoint, dres, dbody, 'INVALID_CREDENTIALS', wrong)
    if (dres.status === 403 && (dbody.code === 'ACCOUNT_LOCKED' || /locked/i.test(dbody.error ?? ''))) {
      throw this.authErr(dEndpoint, dres, dbody, 'ACCOUNT_LOCKED', this.lockedSentence(dbody))
    }
    if (dres.status === 403 && dbody.code === 'FEATURE_DISABLED') {
      throw this.authErr(dEndpoint, dres, dbody, null, `Password sign-in is disabled on ${this.deps.baseUrl}; sign in with an access token instead.`)
    }
    if (dres.status === 403 && /inactive/i.test(dbody.error ?? '')) {
      throw this.authErr(dEndpoint, dres, dbody, null, `The account ${c.email} is inactive on ${this.deps.baseUrl}; ask an instance administrator to reactivate it.`)
    }
    if (dres.status === 500 && /login failed/i.test(dbody.error ?? '')) {
      // Server bug (reference §2.3): wrong password and locked account both surface as 500 "Login failed".
      throw this.authErr(
        dEndpoint,
        dres,
        dbody,
        'INVALID_CREDENTIALS',
        `Wrong e-mail or password for ${this.deps.baseUrl}, or the account is locked after too many failed sign-ins (it unlocks after ${humanDelay(DEFAULT_LOCKOUT_MS)}).`
      )
    }
    if (dres.status === 403 || dres.status === 400) {
      const said = quote(dbody.error ?? dbody.message)
      throw this.authErr(dEndpoint, dres, dbody, null, `Signing in to ${this.deps.baseUrl} failed${said ? `: "${said}"` : ''}; check the account.`)
    }
    throw this.httpErr(dEndpoint, dres)
  }

  /** Refresh with the refresh token; returns null when the server rejects it. */
  private async refresh(refreshToken: string): Promise<SessionTokens | null> {
    const order = this.route === 'dashboard' ? [DASHBOARD_REFRESH, ADMIN_REFRESH] : [ADMIN_REFRESH, DASHBOARD_REFRESH]
    for (const path of order) {
      const endpoint = `POST ${path}`
      const res = await this.post(path, { refresh_token: refreshToken })
      if (res.status >= 200 && res.status < 300) return this.adopt(this.tokensFrom(res, endpoint, refreshToken), true)
      const body = parseErrorBody(res.text)
      if (res.status === 404 || res.status === 405 || (res.status === 403 && body.code === 'ADMIN_REQUIRED')) continue
      if (res.status === 400 || res.status === 401 || res.status === 403) return null
      throw this.httpErr(endpoint, res)
    }
    return null
  }

  /** Renews the session: refresh if possible, else log in again with the password. */
  private async renew(endpoint: string | null): Promise<SessionTokens> {
    const refreshToken = this.tokens?.refreshToken ?? null
    if (refreshToken) {
      const t = await this.refresh(refreshToken)
      if (t) return t
    }
    if (this.deps.credential.kind === 'password') return this.passwordLogin()
    throw new FluxbaseError({
      kind: 'auth',
      endpoint: endpoint ?? `POST ${ADMIN_REFRESH}`,
      status: 401,
      message: `The session for ${this.deps.baseUrl} has expired and could not be renewed; sign in again.`
    })
  }
}

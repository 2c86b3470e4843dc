// Public data shapes of the Fluxbase admin-API client. Plain data: the only secrets that
// ever appear here are IssuedKey.value (the one-time key value) and the session tokens.
import type { KeyMeta } from '../../shared/domain'
import type { RequestBudget } from './budget'
import type { ReachabilityObserver } from './http'

/** Server-reported key fields, normalised to camelCase; absent optional fields become null. */
export type ApiServiceKey = Pick<
  KeyMeta,
  | 'id'
  | 'name'
  | 'description'
  | 'keyPrefix'
  | 'keyType'
  | 'scopes'
  | 'allowedNamespaces'
  | 'enabled'
  | 'rateLimitPerMinute'
  | 'rateLimitPerHour'
  | 'createdBy'
  | 'createdAt'
  | 'lastUsedAt'
  | 'expiresAt'
  | 'revokedAt'
  | 'deprecatedAt'
  | 'gracePeriodEndsAt'
  | 'replacedBy'
>

/** A freshly issued key: `value` is the one-time secret, shown by the server exactly once. */
export interface IssuedKey {
  key: ApiServiceKey
  value: string
}

export interface ApiTenant {
  id: string
  slug: string
  name: string
  isDefault: boolean
  status: string
}

export interface RevocationEntry {
  keyId: string
  revokedAt: string | null
  revokedBy: string | null
  reason: string | null
  type: string | null
}

export type AdminCredential =
  | { kind: 'password'; email: string; password: string }
  | { kind: 'token'; accessToken: string; refreshToken?: string }

export interface SessionTokens {
  accessToken: string
  refreshToken: string | null
  /** Epoch ms (on the client's clock) when the access token expires; null if unknown. */
  expiresAt: number | null
}

export interface CreateKeyInput {
  name: string
  description?: string
  keyType?: 'service' | 'anon'
  scopes?: string[]
  allowedNamespaces?: string[]
  rateLimitPerMinute?: number
  rateLimitPerHour?: number
  expiresAt?: string
}

export interface UpdateKeyInput {
  name?: string
  description?: string
  scopes?: string[]
  allowedNamespaces?: string[]
  enabled?: boolean
  rateLimitPerMinute?: number
  rateLimitPerHour?: number
}

export interface RetryOptions {
  /** Total attempts, the first one included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface FluxbaseClientOptions {
  baseUrl: string
  credential: AdminCredential
  /** Per request (headers and body), default 15000. */
  timeoutMs?: number
  /** Injectable clock (epoch ms). */
  now?: () => number
  /** For idempotent reads and the two safe mutation cases; default {attempts: 4, baseDelayMs: 200, maxDelayMs: 5000}. */
  retry?: RetryOptions
  /** Called after every login or refresh, so the caller can persist the tokens in the keychain. */
  onTokens?: (tokens: SessionTokens) => void
  /** Cancels every request of this client (kind 'cancelled'). */
  signal?: AbortSignal
  /** Test hook: random source in [0,1) for the backoff jitter. */
  random?: () => number
  /** Told after every exchange whether the server could be reached. */
  observer?: ReachabilityObserver
  /** The server's request budget (rate limit), shared with every other client of the same server. */
  budget?: RequestBudget
  /** Plain http to a host other than loopback: refused unless the operator chose it for this instance. */
  allowInsecureTransport?: boolean
  /** PEM of a private CA the server's certificate chains to (trusted beside the system's roots). */
  caPem?: string | null
}

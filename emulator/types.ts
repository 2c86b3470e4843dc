// The emulator's public types: its options and the handle a test, benchmark or the CLI holds.
import type { FaultRule } from './faults'
import type { RateLimitOptions } from './rate-limit'
import type { TenantStatus } from './store'

export type EmulatorProfile = 'current' | 'legacy'

/**
 * Real servers answer in their own time zone (pgx hands timestamptz values to Go in time.Local,
 * and Go writes that offset); the default is a non-zero offset so that clients which assume `Z`
 * fail against the emulator as they would against such a server. 0 gives `Z`.
 */
export const DEFAULT_UTC_OFFSET_MINUTES = 60

export interface EmulatorOptions {
  port?: number
  host?: string
  profile?: EmulatorProfile
  seed?: { tenants: number; keysPerTenant: number; seed: number }
  accessTokenTtlSeconds?: number
  refreshTokenTtlSeconds?: number
  controlRoutes?: boolean
  faults?: FaultRule[]
  /** Server-side time spent on every API request, while its idempotency record is "processing". */
  latencyMs?: number
  jwtSecret?: string
  now?: number
  log?: (line: string) => void
  /**
   * The intended server instead of the shipped one (never the default): PUT update works (§4.4
   * "Intended behaviour"), and idempotency records are keyed by the credential as well and do not
   * keep 401/403 answers (nor errors, panics, 5xx), and an expired record is replaced.
   */
  serverFixed?: boolean
  /** The server's zone offset for timestamps, in minutes (default DEFAULT_UTC_OFFSET_MINUTES); 0 = `Z`. */
  utcOffsetMinutes?: number
  /** The global API rate limiter, on (off when absent, as on a real server by default). */
  rateLimit?: RateLimitOptions
}

export interface EmulatorTenant { id: string; slug: string; name: string; isDefault: boolean; status: TenantStatus }

export interface EmulatorStats {
  /** Requests counted in requestCounts() (everything but the /__emulator routes). */
  requests: number
  /** 429s the rate limiter sent (fault-rule 429s not included). */
  rateLimited: number
}

export interface RunningEmulator {
  url: string
  credentials: {
    instanceAdmin: { email: string; password: string }
    tenantAdmin: { email: string; password: string; tenantIds: string[] }
  }
  /** The tenants GET /api/v1/admin/tenants lists: status `active`. */
  tenants: EmulatorTenant[]
  /** Every tenant, the hidden (creating / error / deleting) ones included. */
  allTenants: EmulatorTenant[]
  clock: { now(): number; set(ms: number): void; advance(ms: number): void }
  setFaults(rules: FaultRule[]): void
  /** Marks a tenant's own database as unreachable (500 `tenant database unavailable`) or back. */
  setTenantDatabaseDown(tenantId: string, down: boolean): void
  addTenant(t: { slug: string; name: string; isDefault?: boolean; status?: TenantStatus }): EmulatorTenant
  requestCounts(): Record<string, number>
  stats(): EmulatorStats
  close(): Promise<void>
}


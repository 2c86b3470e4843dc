// Domain types shared by core, main, preload and renderer. Pure data: no secrets ever
// appear in these shapes (the one exception, the unsaved-key fallback, is in contract.ts).

/** Key types the admin API can report. The current server creates only anon/service. */
export const KEY_TYPES = ['service', 'anon', 'publishable', 'tenant_service', 'global_service'] as const
export type KeyType = (typeof KEY_TYPES)[number]

/** Display status, derived by keyStatus() in status.ts. Ordered by what happens to traffic. */
export const KEY_STATUSES = ['active', 'grace', 'grace_ended', 'disabled', 'expired', 'revoked'] as const
export type KeyStatus = (typeof KEY_STATUSES)[number]

/** Scope names the server knows (reference §6.3). `*` grants everything. */
export const KNOWN_SCOPES = [
  '*', 'tables:read', 'tables:write', 'storage:read', 'storage:write', 'functions:read', 'functions:execute',
  'auth:read', 'auth:write', 'clientkeys:read', 'clientkeys:write', 'webhooks:read', 'webhooks:write',
  'monitoring:read', 'realtime:connect', 'realtime:broadcast', 'rpc:read', 'rpc:execute', 'jobs:read',
  'jobs:write', 'ai:read', 'ai:write', 'secrets:read', 'secrets:write', 'migrations:read', 'migrations:execute'
] as const

/** A Fluxbase server the operator manages. Credentials live in the keychain, never here. */
export interface Instance {
  id: string
  label: string
  baseUrl: string
  authKind: 'password' | 'token'
  /** Admin e-mail for password logins (not secret: shown in the UI). */
  email: string | null
  addedAt: string
  /** Plain http to a host other than loopback, chosen explicitly by the operator (marked in red in the UI). */
  insecureTransport: boolean
  /** A private CA trusted for this instance: the PEM file's path and its SHA-256 fingerprint. */
  caBundle: { path: string; fingerprint: string } | null
  /** Whether this server can update a key in place (current servers answer every update with 500). */
  updateSupport: UpdateSupport
  /** When updateSupport was last learned, from a probe or a real update. */
  updateCheckedAt: string | null
}

/** What configuring an instance sets; the rest is learned from its server. */
export type InstanceProfile = Omit<Instance, 'updateSupport' | 'updateCheckedAt'>

export const UPDATE_SUPPORT = ['unknown', 'supported', 'unsupported'] as const
export type UpdateSupport = (typeof UPDATE_SUPPORT)[number]

export type SyncState =
  | { kind: 'never' }
  | { kind: 'fresh'; at: string }
  | { kind: 'stale'; lastGoodAt: string | null; failedAt: string; reason: string }
  | { kind: 'needs_login'; lastGoodAt: string | null; reason: string }

export interface Tenant {
  instanceId: string
  /** Server UUID: always what goes into X-FB-Tenant. */
  id: string
  slug: string
  name: string
  isDefault: boolean
  /** Managed by the operator: only selected tenants are synced. */
  selected: boolean
  /** Opt-in: disable old keys automatically when their grace period ends. */
  autoFinishRotation: boolean
  sync: SyncState
}

/** Metadata of one service key as cached: server fields plus facts only this app knows. */
export interface KeyMeta {
  instanceId: string
  tenantId: string
  id: string
  name: string
  description: string | null
  keyPrefix: string
  keyType: string
  scopes: string[]
  allowedNamespaces: string[] | null
  enabled: boolean
  rateLimitPerMinute: number | null
  rateLimitPerHour: number | null
  createdBy: string | null
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
  deprecatedAt: string | null
  /** Grace end as the server reports it (the current server's rotate leaves it unset). */
  gracePeriodEndsAt: string | null
  replacedBy: string | null
  /** Grace end this app set; used when the server does not report one. */
  localGraceEndsAt: string | null
  /** Reason recorded locally when revoking (the current server may drop it). */
  revocationReason: string | null
  /** The keychain holds this key's value (issued through this app and not forgotten). */
  hasStoredValue: boolean
  /** Issued by an action whose response never arrived: nobody saw its value. */
  orphan: boolean
  /**
   * The key that replaced this one through "Replace with a new key" (servers that cannot
   * update a key): recorded here because only the server's rotate sets replaced_by.
   */
  localReplacedBy: string | null
  /** When this row was last confirmed by the server. */
  syncedAt: string
}

/** Identifies one key across instances and tenants. */
export interface KeyRef {
  instanceId: string
  tenantId: string
  keyId: string
}

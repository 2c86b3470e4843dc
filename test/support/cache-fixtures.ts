// Deterministic fixtures for the cache tests (not used by the app).
import { KEY_STATUSES, type InstanceProfile, type KeyMeta } from '../../src/shared/domain'
import { effectiveGraceEnd, keyStatus } from '../../src/shared/status'
import type { Cache, InventoryQuery, ReplaceResult, ServerKey } from '../../src/core/cache/types'
import { tempDir as trackedTempDir } from './temp'

/** A temporary folder for one cache file; removed after the test file (see temp.ts). */
export function tempDir(prefix = 'fbk-cache-'): string {
  return trackedTempDir(prefix)
}

export { seededRandom as rng } from './random'

/** A UUID-shaped id that is deterministic in (a, b). */
export function uuidOf(a: number, b: number): string {
  const h = (n: number, w: number) => (n >>> 0).toString(16).padStart(w, '0').slice(-w)
  return `${h(a, 8)}-${h(b >>> 16, 4)}-4${h(b, 3)}-8${h(a ^ b, 3)}-${h(a * 7919 + b, 12)}`
}

export function instance(id: string, label = id): InstanceProfile {
  return { id, label, baseUrl: `https://${id}.example.test`, authKind: 'password', email: 'ops@example.test', addedAt: '2026-01-01T00:00:00.000Z', insecureTransport: false, caBundle: null }
}

export const DAY = 86_400_000
export const NOW = Date.parse('2026-06-01T12:00:00.000Z')

const WORDS = ['billing', 'Orders', 'search', 'ingest', 'reports', 'Auth', 'mailer', 'cron', 'export', 'webhook', 'ÜBER', 'analytics']

export function serverKey(overrides: Partial<ServerKey> & { id: string }): ServerKey {
  return {
    name: `key-${overrides.id.slice(0, 8)}`,
    description: null,
    keyPrefix: `fbk_${overrides.id.slice(0, 12)}`,
    keyType: 'service',
    scopes: ['*'],
    allowedNamespaces: null,
    enabled: true,
    rateLimitPerMinute: null,
    rateLimitPerHour: null,
    createdBy: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    deprecatedAt: null,
    gracePeriodEndsAt: null,
    replacedBy: null,
    ...overrides
  }
}

/**
 * A random key around `now`: mostly active, with every status, boundary values exactly at
 * `now`, missing and unparseable dates, so status and filters meet their edge cases.
 */
export function randomKey(r: () => number, id: string, n: number, now = NOW): ServerKey {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const iso = (ms: number) => new Date(ms).toISOString()
  const around = (spanDays: number) => {
    const x = r()
    if (x < 0.03) return iso(now) // exactly at the boundary
    if (x < 0.04) return 'not a date'
    return iso(now + Math.round((r() * 2 - 1) * spanDays * DAY))
  }
  const deprecated = r() < 0.1
  const word = pick(WORDS)
  return serverKey({
    id,
    name: `${word}-${n}`,
    description: r() < 0.5 ? null : `${pick(WORDS)} key for team ${n % 97}`,
    keyPrefix: `fbk_${id.replace(/-/g, '').slice(0, 12)}`,
    keyType: pick(['service', 'service', 'service', 'anon', 'publishable']),
    scopes: r() < 0.5 ? ['*'] : ['tables:read', 'storage:read'],
    allowedNamespaces: r() < 0.9 ? null : ['ns1'],
    enabled: r() > 0.05,
    rateLimitPerMinute: r() < 0.8 ? null : 60,
    createdAt: iso(now - Math.round(r() * 700 * DAY)),
    lastUsedAt: r() < 0.3 ? null : iso(now - Math.round(r() * 400 * DAY)),
    expiresAt: r() < 0.7 ? null : around(60),
    revokedAt: r() < 0.04 ? iso(now - DAY) : null,
    deprecatedAt: deprecated ? iso(now - 2 * DAY) : null,
    gracePeriodEndsAt: deprecated && r() < 0.5 ? around(20) : null
  })
}

// ---- A plain-JS model of queryInventory, the oracle for the query tests ----

export interface ModelKey extends KeyMeta {
  tenantName: string
  /** Searched too (inventory text covers tenant and instance names); absent = not known to the model. */
  tenantSlug?: string
  instanceLabel?: string
}

const MAX = 9007199254740991
const ms = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const cmp = (a: string | number | null, b: string | number | null): number => {
  if (a === b) return 0
  if (a === null) return -1 // SQLite: NULL first ascending
  if (b === null) return 1
  return a < b ? -1 : 1
}

export function modelFilter(keys: readonly ModelKey[], q: InventoryQuery, now: number): ModelKey[] {
  return keys.filter((k) => {
    if (q.instanceId !== undefined && k.instanceId !== q.instanceId) return false
    if (q.tenantIds?.length && !q.tenantIds.includes(k.tenantId)) return false
    if (q.keyTypes?.length && !q.keyTypes.includes(k.keyType)) return false
    if (q.statuses?.length && !q.statuses.includes(keyStatus(k, now))) return false
    if (q.text) {
      const t = q.text.toLowerCase()
      // Key text (scopes as the JSON the cache keeps), or the tenant's or instance's names.
      const fields = [k.name, k.keyPrefix, k.description ?? '', JSON.stringify(k.scopes), k.tenantName, k.tenantSlug ?? '', k.instanceLabel ?? '']
      if (!fields.some((f) => f.toLowerCase().includes(t))) return false
    }
    if (q.expiringWithinMs !== undefined) {
      const e = ms(k.expiresAt)
      if (e === null || e <= now || e > now + q.expiringWithinMs) return false
    }
    if (q.graceEndingWithinMs !== undefined) {
      const g = ms(effectiveGraceEnd(k))
      if (g === null || g <= now || g > now + q.graceEndingWithinMs) return false
    }
    if (q.unusedForDays !== undefined) {
      const u = ms(k.lastUsedAt)
      if (u !== null && u >= now - q.unusedForDays * DAY) return false
    }
    if (q.orphansOnly && !k.orphan) return false
    return true
  })
}

export function modelSortKey(k: ModelKey, column: NonNullable<InventoryQuery['sort']>['column'], now: number): Array<string | number | null> {
  switch (column) {
    case 'name': return [asciiLower(k.name)]
    case 'tenant': return [asciiLower(k.tenantName), k.instanceId, k.tenantId]
    case 'keyType': return [k.keyType]
    case 'keyPrefix': return [k.keyPrefix]
    case 'status': return [KEY_STATUSES.indexOf(keyStatus(k, now)), asciiLower(k.name)]
    case 'createdAt': return [ms(k.createdAt)]
    case 'lastUsedAt': return [ms(k.lastUsedAt) ?? 0]
    case 'expiresAt': return [ms(k.expiresAt) ?? MAX]
    case 'graceEndsAt': return [ms(effectiveGraceEnd(k)) ?? MAX]
  }
}

/** Ids of the page and the total, as queryInventory should answer (key ids unique in the fixtures). */
export function modelQuery(keys: readonly ModelKey[], q: InventoryQuery, now: number): { ids: string[]; total: number } {
  const matching = modelFilter(keys, q, now)
  const column = q.sort?.column ?? 'name'
  const sign = q.sort?.direction === 'desc' ? -1 : 1
  const decorated = matching.map((k) => ({ k, key: [...modelSortKey(k, column, now), k.id] }))
  decorated.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const c = cmp(a.key[i] ?? null, b.key[i] ?? null)
      if (c !== 0) return sign * c
    }
    return 0
  })
  const offset = q.offset ?? 0
  const limit = q.limit ?? 100
  return { ids: decorated.slice(offset, offset + limit).map((d) => d.k.id), total: matching.length }
}

/** One tenant's replacement in its own transaction (what sync does for a batch of one). */
export function replaceTenantKeys(cache: Pick<Cache, 'replaceManyTenantKeys'>, instanceId: string, tenantId: string, keys: ServerKey[], syncedAt: string): ReplaceResult {
  const [outcome] = cache.replaceManyTenantKeys([{ instanceId, tenantId, keys, syncedAt }])
  if (!outcome) throw new Error('no outcome for the replacement')
  if (!outcome.ok) throw outcome.error
  return outcome.result
}

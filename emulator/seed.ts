// Deterministic demo/test data: a seeded PRNG drives every id, name, key value and timestamp
// (timestamps relative to the given `now`), so the same seed and now give the same data.
import { formatKey, hashKey, keyPrefixOf, KNOWN_SCOPES, type KeyFormat } from './keys'
import { createPrng, type Prng } from './prng'
import type { KeyRecord, KeyType, NewKey, Store, TenantRecord, TenantStatus } from './store'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const COMPANY = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne',
  'Soylent', 'Gringotts', 'Monarch', 'Vandelay', 'Pied Piper', 'Dunder', 'Aperture', 'Oscorp', 'Massive',
  'Nakatomi', 'Bluth', 'Prestige', 'Sirius', 'Vehement', 'Gekko', 'Krusty', 'Ollivander', 'Tessier',
  'Zorg', 'Weyland'
]
const SUFFIX = ['Labs', 'Logistics', 'Health', 'Foods', 'Media', 'Energy', 'Bank', 'Retail', 'Robotics', 'Travel', 'Games', 'Systems']

const KEY_NAMES = [
  'billing-worker', 'analytics-ingest', 'mobile-app', 'web-frontend', 'ci-deploy', 'backup-job',
  'search-indexer', 'email-sender', 'partner-api', 'data-export', 'etl-nightly', 'support-tools',
  'webhook-relay', 'reporting', 'image-resizer', 'auth-bridge', 'crm-sync', 'fraud-scoring',
  'notifications', 'migration-runner', 'ml-training', 'storefront', 'iot-gateway', 'audit-shipper'
]
const DESCRIPTIONS = [
  'Used by the nightly ETL pipeline', 'Production mobile client', 'Staging only: do not use in prod',
  'Owned by the payments team', 'Read-only dashboard access', 'Temporary key for the Q3 migration',
  'Third-party integration (contract #4411)'
]
const REVOKE_REASONS = ['compromised: found in CI logs', 'employee offboarding', 'leaked in a public repository', 'vendor contract ended', '']
const SCOPE_SETS: readonly (readonly string[])[] = [
  ['*'], ['tables:read'], ['tables:read', 'tables:write'], ['storage:read', 'storage:write'],
  ['functions:execute'], ['realtime:connect', 'realtime:broadcast'], ['rpc:read', 'rpc:execute'],
  ['jobs:read', 'jobs:write'], ['monitoring:read'], ['migrations:read', 'migrations:execute'],
  ['ai:read', 'ai:write', 'secrets:read']
]

type State =
  | 'recent' | 'neverUsed' | 'oldUse' | 'disabled' | 'graceActive' | 'graceEnded'
  | 'rotated' | 'revoked' | 'expiringSoon' | 'expired'

/** A deck dealt per tenant: even small tenants see a spread of states. */
const DECK: readonly State[] = [
  'recent', 'recent', 'recent', 'recent', 'recent', 'neverUsed', 'neverUsed', 'oldUse', 'oldUse',
  'disabled', 'disabled', 'graceActive', 'graceActive', 'graceEnded', 'rotated', 'rotated',
  'revoked', 'revoked', 'expiringSoon', 'expired'
]

export interface SeedResult {
  tenants: TenantRecord[]
}

export interface SeedOptions {
  /** Total tenants, the first being the default tenant. Ignored when `names` is given. */
  tenants: number
  keysPerTenant: number
  seed: number
  now: number
  format: 'current' | 'legacy'
  /** Fixed tenant names (the unseeded demo data); the first is the default tenant. */
  names?: readonly string[]
  /** revoked_by for seeded revoked keys. */
  revokerId: string | null
}

/** From this many seeded tenants on, a few are not `active` (hidden from GET /tenants, §3.1). */
export const HIDDEN_TENANTS_FROM = 10
const HIDDEN_STATUSES: readonly TenantStatus[] = ['creating', 'error', 'deleting']

/**
 * Which seeded tenants are not active: at least one of each non-active status, about 2% of a
 * large seed, spread over the list, never the default tenant. Chosen by position (no PRNG draw),
 * so the rest of the seeded data is what the same seed always gave.
 */
export function hiddenTenantStatuses(count: number): Map<number, TenantStatus> {
  const out = new Map<number, TenantStatus>()
  if (count < HIDDEN_TENANTS_FROM) return out
  const hidden = Math.max(HIDDEN_STATUSES.length, Math.floor(count / 50))
  for (let j = 0; j < hidden; j++) {
    const idx = 1 + Math.floor(((j + 0.5) * (count - 1)) / hidden)
    out.set(idx, HIDDEN_STATUSES[j % HIDDEN_STATUSES.length] as TenantStatus)
  }
  return out
}

export function seedStore(store: Store, o: SeedOptions): SeedResult {
  const prng = createPrng(o.seed)
  const names = o.names ?? tenantNames(o.tenants, prng)
  const hidden = o.format === 'current' && !o.names ? hiddenTenantStatuses(names.length) : new Map<number, TenantStatus>()
  const tenants: TenantRecord[] = []
  // Tenants were created over the past year, in order (the /tenants list is created_at ASC).
  const span = 365 * DAY
  names.forEach((name, i) => {
    const isDefault = i === 0
    const slug = isDefault ? 'default' : slugify(name)
    const createdAt = o.now - span + Math.floor((span * i) / Math.max(1, names.length)) + prng.int(0, HOUR)
    tenants.push(store.addTenant({
      id: prng.uuid(),
      slug,
      name: isDefault ? 'Default' : name,
      isDefault,
      dbName: isDefault ? null : `tenant_${slug.replace(/-/g, '_')}`,
      status: hidden.get(i) ?? 'active',
      metadata: isDefault || prng.next() < 0.7 ? {} : { plan: prng.pick(['free', 'pro', 'enterprise']) },
      createdAt,
      updatedAt: createdAt + prng.int(0, 30) * DAY
    }))
  })
  for (const t of tenants) seedTenantKeys(store, prng, t, o)
  return { tenants }
}

function seedTenantKeys(store: Store, prng: Prng, t: TenantRecord, o: SeedOptions): void {
  const deck = shuffle([...DECK], prng)
  const format: KeyFormat = o.format === 'legacy' ? 'legacy' : 'current'
  const used = new Set<string>()
  const pickName = (): string => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const n = prng.pick(KEY_NAMES)
      if (!used.has(n)) return take(n)
    }
    let i = 2
    const base = prng.pick(KEY_NAMES)
    while (used.has(`${base}-${i}`)) i++
    return take(`${base}-${i}`)
  }
  const take = (n: string): string => {
    used.add(n)
    used.add(`${n} (rotated)`)
    return n
  }
  const earliest = Math.max(t.createdAt, o.now - 300 * DAY)
  let made = 0
  let card = 0
  while (made < o.keysPerTenant) {
    let state = deck[card++ % deck.length] as State
    if (state === 'rotated' && o.keysPerTenant - made < 2) state = 'recent'
    const keyType: KeyType = o.format === 'current' && prng.next() < 0.2 ? 'anon' : 'service'
    const createdAt = prng.int(earliest, o.now - HOUR)
    const base = keyFields(prng, t.id, pickName(), keyType, createdAt, o.format)
    applyState(base, state, prng, o)
    if (state === 'rotated') {
      const rotatedAt = prng.int(createdAt, o.now - HOUR)
      const next = keyFields(prng, t.id, `${base.name} (rotated)`, keyType, rotatedAt, o.format)
      next.description = base.description
      next.scopes = [...base.scopes]
      next.allowedNamespaces = base.allowedNamespaces ? [...base.allowedNamespaces] : null
      next.rateLimitPerMinute = base.rateLimitPerMinute
      next.rateLimitPerHour = base.rateLimitPerHour
      next.expiresAt = base.expiresAt
      next.lastUsedAt = prng.next() < 0.8 ? prng.int(rotatedAt, o.now) : null
      const newRec = insert(store, prng, next, format)
      base.deprecatedAt = rotatedAt
      base.replacedBy = newRec.id // the current server's rotate sets no grace end (§4.9)
      base.lastUsedAt = prng.int(createdAt, rotatedAt)
      made++
    }
    insert(store, prng, base, format)
    made++
  }
}

type Draft = Omit<NewKey, 'id' | 'keyHash' | 'keyPrefix'>

function keyFields(prng: Prng, tenantId: string, name: string, keyType: KeyType, createdAt: number, format: 'current' | 'legacy'): Draft {
  const scopes = keyType === 'anon' ? (prng.next() < 0.5 ? ['read'] : ['tables:read']) : [...prng.pick(SCOPE_SETS)]
  const limited = prng.next() < 0.3
  return {
    tenantId,
    name,
    description: prng.next() < 0.5 ? prng.pick(DESCRIPTIONS) : null,
    keyType,
    scopes: scopes.every((s) => s === 'read' || (KNOWN_SCOPES as readonly string[]).includes(s)) ? scopes : ['*'],
    allowedNamespaces: format === 'current' && prng.next() < 0.15 ? [prng.pick(['default', 'public', 'analytics', 'billing'])] : null,
    enabled: true,
    rateLimitPerMinute: limited ? prng.pick([60, 120, 600, 1000]) : null,
    rateLimitPerHour: limited && prng.next() < 0.5 ? prng.pick([1000, 10000, 50000]) : null,
    createdBy: null,
    createdAt,
    lastUsedAt: null,
    expiresAt: prng.next() < 0.2 ? createdAt + prng.int(200, 400) * DAY : null,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
    deprecatedAt: null,
    gracePeriodEndsAt: null,
    replacedBy: null
  }
}

function applyState(k: Draft, state: State, prng: Prng, o: SeedOptions): void {
  const now = o.now
  const since = (min: number): number => prng.int(Math.min(k.createdAt + min, now), now)
  switch (state) {
    case 'recent':
      k.lastUsedAt = prng.int(Math.max(k.createdAt, now - 2 * DAY), now)
      break
    case 'neverUsed':
      break
    case 'oldUse':
      k.lastUsedAt = prng.int(k.createdAt, Math.max(k.createdAt, now - 60 * DAY))
      break
    case 'disabled':
      k.enabled = false
      k.lastUsedAt = prng.next() < 0.5 ? since(0) : null
      break
    case 'graceActive':
      k.deprecatedAt = prng.int(Math.max(k.createdAt, now - 20 * HOUR), now - 1)
      k.gracePeriodEndsAt = k.deprecatedAt + prng.pick([24, 48, 72, 168]) * HOUR
      k.lastUsedAt = since(0)
      break
    case 'graceEnded':
      k.deprecatedAt = prng.int(k.createdAt, Math.max(k.createdAt, now - 10 * DAY))
      k.gracePeriodEndsAt = k.deprecatedAt + 24 * HOUR
      k.lastUsedAt = prng.int(k.createdAt, Math.max(k.createdAt, k.deprecatedAt))
      break
    case 'rotated':
      break // handled by the caller (needs the replacement key)
    case 'revoked':
      k.revokedAt = since(HOUR)
      k.revokedBy = o.revokerId
      k.revocationReason = prng.pick(REVOKE_REASONS)
      k.enabled = false
      k.lastUsedAt = prng.next() < 0.7 ? prng.int(k.createdAt, k.revokedAt) : null
      break
    case 'expiringSoon':
      k.expiresAt = now + prng.int(6 * HOUR, 6 * DAY)
      k.lastUsedAt = since(0)
      break
    case 'expired':
      k.expiresAt = prng.int(Math.max(k.createdAt + HOUR, now - 30 * DAY), now - HOUR)
      k.lastUsedAt = prng.next() < 0.6 ? prng.int(k.createdAt, k.expiresAt) : null
      break
  }
}

function insert(store: Store, prng: Prng, d: Draft, format: KeyFormat): KeyRecord {
  let key = formatKey(prng.bytes(32), d.keyType, format)
  while (store.prefixTaken(keyPrefixOf(key))) key = formatKey(prng.bytes(32), d.keyType, format)
  const k = d as NewKey
  k.id = prng.uuid()
  k.keyHash = hashKey(key)
  k.keyPrefix = keyPrefixOf(key)
  return store.insertKey(k)
}

function tenantNames(count: number, prng: Prng): string[] {
  if (count <= 0) return []
  const names = ['Default']
  const companies = shuffle([...COMPANY], prng)
  const suffixes = shuffle([...SUFFIX], prng)
  const combos = companies.length * suffixes.length
  for (let i = 0; names.length < count; i++) {
    const c = companies[i % companies.length] as string
    const s = suffixes[Math.floor(i / companies.length) % suffixes.length] as string
    const round = Math.floor(i / combos)
    names.push(round === 0 ? `${c} ${s}` : `${c} ${s} ${round + 1}`)
  }
  return names
}

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
}

function shuffle<T>(a: T[], prng: Prng): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1))
    const tmp = a[i] as T
    a[i] = a[j] as T
    a[j] = tmp
  }
  return a
}

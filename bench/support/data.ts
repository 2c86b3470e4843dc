// Deterministic inventory data for the cache and UI benchmarks, written straight into the
// cache (openCache + replaceTenantKeys), with a spread of statuses like a real estate:
// mostly live keys, some deprecated (in grace or past it), disabled, revoked, expiring soon,
// expired, never used and long unused.
import type { ServerKey } from '../../src/core/cache'

const DAY = 86_400_000

import { seededRandom as prng } from '../../test/support/random'

export { prng }

const hex = (rand: () => number, n: number): string => {
  let s = ''
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16)
  return s
}

/** A version-4-shaped UUID from the PRNG (the contract validates ids as GUIDs). */
export function uuid(rand: () => number): string {
  return `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-${'89ab'[Math.floor(rand() * 4)]}${hex(rand, 3)}-${hex(rand, 12)}`
}

const COMPANY = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent',
  'Monarch', 'Vandelay', 'Dunder', 'Aperture', 'Oscorp', 'Nakatomi', 'Bluth', 'Gekko', 'Weyland']
const SUFFIX = ['Labs', 'Logistics', 'Health', 'Foods', 'Media', 'Energy', 'Bank', 'Retail', 'Robotics', 'Travel']
export const KEY_NAMES = ['billing-worker', 'analytics-ingest', 'mobile-app', 'web-frontend', 'ci-deploy', 'backup-job', 'search-indexer',
  'email-sender', 'partner-api', 'data-export', 'etl-nightly', 'support-tools', 'webhook-relay', 'reporting', 'image-resizer',
  'auth-bridge', 'crm-sync', 'fraud-scoring', 'notifications', 'migration-runner', 'ml-training', 'storefront', 'iot-gateway', 'audit-shipper']
const DESCRIPTIONS = ['Used by the nightly ETL pipeline', 'Production mobile client', 'Staging only: do not use in prod',
  'Owned by the payments team', 'Read-only dashboard access', 'Temporary key for the Q3 migration', null, null]
const SCOPES = [['*'], ['tables:read'], ['tables:read', 'tables:write'], ['storage:read', 'storage:write'], ['functions:execute'],
  ['realtime:connect', 'realtime:broadcast'], ['rpc:read', 'rpc:execute'], ['monitoring:read']]

export interface BenchTenant { id: string; slug: string; name: string; isDefault: boolean }

export function makeTenants(count: number, seed: number): BenchTenant[] {
  const rand = prng(seed)
  return Array.from({ length: count }, (_, i) => {
    const name = i === 0 ? 'Default' : `${COMPANY[i % COMPANY.length]} ${SUFFIX[Math.floor(i / COMPANY.length) % SUFFIX.length]} ${i}`
    return { id: uuid(rand), slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), name, isDefault: i === 0 }
  })
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** `count` keys of one tenant, as the server would list them, relative to `now`. */
export function makeKeys(count: number, seed: number, now: number): ServerKey[] {
  const rand = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const keys: ServerKey[] = []
  for (let i = 0; i < count; i++) {
    const createdMs = now - Math.floor(rand() * 700 * DAY) - DAY
    const roll = rand()
    const k: ServerKey = {
      id: uuid(rand),
      name: `${pick(KEY_NAMES)}-${i}`,
      description: pick(DESCRIPTIONS),
      keyPrefix: `sk_${rand() < 0.5 ? 'live' : 'test'}_${hex(rand, 6)}`,
      keyType: rand() < 0.8 ? 'service' : 'anon',
      scopes: pick(SCOPES),
      allowedNamespaces: null,
      enabled: true,
      rateLimitPerMinute: rand() < 0.3 ? 600 : null,
      rateLimitPerHour: null,
      createdBy: null,
      createdAt: iso(createdMs),
      lastUsedAt: rand() < 0.15 ? null : iso(now - Math.floor(rand() * 200 * DAY)),
      expiresAt: null,
      revokedAt: null,
      deprecatedAt: null,
      gracePeriodEndsAt: null,
      replacedBy: null
    }
    if (roll < 0.06) k.enabled = false
    else if (roll < 0.11) k.revokedAt = iso(now - Math.floor(rand() * 90 * DAY))
    else if (roll < 0.17) {
      k.deprecatedAt = iso(now - Math.floor(rand() * 10 * DAY))
      k.gracePeriodEndsAt = iso(now + Math.floor((rand() * 20 - 5) * DAY))
    } else if (roll < 0.23) k.expiresAt = iso(now + Math.floor(rand() * 14 * DAY) + 60_000)
    else if (roll < 0.27) k.expiresAt = iso(now - Math.floor(rand() * 30 * DAY) - 60_000)
    else if (roll < 0.4) k.expiresAt = iso(now + Math.floor(rand() * 365 * DAY) + 60_000)
    keys.push(k)
  }
  return keys
}

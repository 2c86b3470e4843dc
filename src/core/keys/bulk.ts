// Bulk actions across tenants: a dry run that lists exactly what would change, then the run
// itself with per-key results. One failure never stops the rest; a key listed twice is acted
// on once.
import pLimit from 'p-limit'
import type { OpParsed } from '../../shared/contract'
import type { KeyMeta, KeyRef, KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { toApiError } from '../app/errors'
import { deprecateKey, disableKey, revokeKey, type LifecycleDeps } from './lifecycle'

export type BulkInput = OpParsed<'bulk.run'>

export interface BulkChange {
  ref: KeyRef
  name: string
  tenantName: string
  from: KeyStatus
  to: KeyStatus | null
  skip: string | null
}

/** Per-action server concurrency: bulk runs share the server with everyone else. */
const BULK_CONCURRENCY = 4

function plan(key: KeyMeta, input: BulkInput, now: number): { to: KeyStatus | null; skip: string | null } {
  const from = keyStatus(key, now)
  if (key.revokedAt) return { to: null, skip: 'Already revoked' }
  switch (input.action) {
    case 'disable':
      return key.enabled ? { to: 'disabled', skip: null } : { to: null, skip: 'Already disabled' }
    case 'revoke':
      return { to: 'revoked', skip: null }
    case 'deprecate':
      if (!key.enabled) return { to: null, skip: 'Disabled keys carry no traffic to move' }
      if (from === 'expired') return { to: null, skip: 'Already expired' }
      return { to: 'grace', skip: null }
  }
}

const refKey = (r: KeyRef): string => `${r.instanceId}\u0000${r.tenantId}\u0000${r.keyId.toLowerCase()}`

/** Each key once, in the order first given. */
function distinct(refs: readonly KeyRef[]): KeyRef[] {
  const seen = new Set<string>()
  return refs.filter((r) => !seen.has(refKey(r)) && seen.add(refKey(r)))
}

export function previewBulk(deps: LifecycleDeps, input: BulkInput, tenantName: (ref: KeyRef) => string): BulkChange[] {
  const now = deps.now()
  return distinct(input.refs).map((ref) => {
    const key = deps.cache.getKey(ref)
    if (!key) return { ref, name: '(not in cache)', tenantName: tenantName(ref), from: 'active' as KeyStatus, to: null, skip: 'Not in the cache any more: re-sync first' }
    return { ref, name: key.name, tenantName: tenantName(ref), from: keyStatus(key, now), ...plan(key, input, now) }
  })
}

function act(deps: LifecycleDeps, input: BulkInput, ref: KeyRef): Promise<KeyMeta> {
  switch (input.action) {
    case 'disable': return disableKey(deps, ref)
    case 'revoke': return revokeKey(deps, ref, input.reason)
    case 'deprecate': return deprecateKey(deps, ref, input.graceHours)
  }
}

export async function runBulk(deps: LifecycleDeps, input: BulkInput, tenantName: (ref: KeyRef) => string) {
  const limit = pLimit(BULK_CONCURRENCY)
  const changes = previewBulk(deps, input, tenantName)
  const results = await Promise.all(changes.map((change) => limit(async () => {
    if (change.skip) return { ref: change.ref, name: change.name, ok: true, skipped: true, error: change.skip }
    try {
      await act(deps, input, change.ref)
      return { ref: change.ref, name: change.name, ok: true, skipped: false, error: null }
    } catch (error) {
      return { ref: change.ref, name: change.name, ok: false, skipped: false, error: toApiError(error).message }
    }
  })))
  return { results }
}

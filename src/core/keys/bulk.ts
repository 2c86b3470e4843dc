// Bulk actions across tenants: a dry run that lists exactly what would change, then the run
// itself with per-key results. One failure never stops the rest.
import pLimit from 'p-limit'
import type { KeyMeta, KeyRef, KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { toApiError } from '../app/errors'
import { deprecateKey, disableKey, revokeKey, type LifecycleDeps } from './lifecycle'

export type BulkAction = 'disable' | 'revoke' | 'deprecate'
export interface BulkInput {
  action: BulkAction
  refs: KeyRef[]
  graceHours?: number
  reason?: string
}

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

function validate(input: BulkInput): void {
  if (input.action === 'revoke' && !input.reason) throw new Error('unreachable: the contract requires a reason for bulk revoke')
  if (input.action === 'deprecate' && !input.graceHours) throw new Error('unreachable: the contract requires grace hours for bulk deprecate')
}

export function previewBulk(deps: LifecycleDeps, input: BulkInput, tenantName: (ref: KeyRef) => string): BulkChange[] {
  const now = deps.now()
  return input.refs.map((ref) => {
    const key = deps.cache.getKey(ref)
    if (!key) return { ref, name: '(not in cache)', tenantName: tenantName(ref), from: 'active' as KeyStatus, to: null, skip: 'Not in the cache any more: re-sync first' }
    return { ref, name: key.name, tenantName: tenantName(ref), from: keyStatus(key, now), ...plan(key, input, now) }
  })
}

export async function runBulk(deps: LifecycleDeps, input: BulkInput, tenantName: (ref: KeyRef) => string) {
  validate(input)
  const limit = pLimit(BULK_CONCURRENCY)
  const changes = previewBulk(deps, input, tenantName)
  const results = await Promise.all(changes.map((change) => limit(async () => {
    if (change.skip) return { ref: change.ref, name: change.name, ok: true, skipped: true, error: change.skip }
    try {
      if (input.action === 'disable') await disableKey(deps, change.ref)
      else if (input.action === 'revoke') await revokeKey(deps, change.ref, input.reason ?? '')
      else await deprecateKey(deps, change.ref, input.graceHours ?? 24)
      return { ref: change.ref, name: change.name, ok: true, skipped: false, error: null }
    } catch (error) {
      return { ref: change.ref, name: change.name, ok: false, skipped: false, error: toApiError(error).message }
    }
  })))
  return { results }
}

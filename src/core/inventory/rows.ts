// A cached key as the UI shows it: with its tenant's and instance's names and its status now.
import type { KeyRow } from '../../shared/contract'
import type { KeyMeta } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import type { Cache } from '../cache'

export type ToRow = (key: KeyMeta) => KeyRow

export function rowProjector(cache: Pick<Cache, 'getTenant' | 'getInstance'>, now: () => number): ToRow {
  return (key) => {
    const tenant = cache.getTenant(key.instanceId, key.tenantId)
    return {
      ...key,
      tenantName: tenant?.name ?? key.tenantId,
      tenantSlug: tenant?.slug ?? '',
      instanceLabel: cache.getInstance(key.instanceId)?.label ?? 'Unknown instance',
      status: keyStatus(key, now())
    }
  }
}

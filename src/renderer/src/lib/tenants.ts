// The tenant list kept by AppStore, updated from an action's own answer (instances.add,
// instances.rediscover) without asking the core again. Plain TypeScript, unit-tested in Node
// (tenants.test.ts).
import type { TenantOverview } from '../../../shared/contract'
import { KEY_STATUSES, type KeyStatus } from '../../../shared/domain'

/** A tenant as instances.add / instances.rediscover answer it (the overview without counts). */
export type Tenant = Omit<TenantOverview, 'instanceLabel' | 'counts' | 'total'>

/**
 * `discovered` is every tenant of `instanceId` now: known ones keep their counts, new ones have
 * no keys synced yet, ones no longer listed go. They take the place the instance's tenants had
 * (the core lists tenants grouped by instance); other instances' tenants are untouched.
 */
export function mergeDiscoveredTenants(
  current: readonly TenantOverview[], instanceId: string, instanceLabel: string, discovered: readonly Tenant[]
): TenantOverview[] {
  const known = new Map(current.filter((t) => t.instanceId === instanceId).map((t) => [t.id, t]))
  const zero = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>
  const merged: TenantOverview[] = discovered.map((t) => {
    const old = known.get(t.id)
    return old ? { ...old, ...t } : { ...t, instanceLabel, counts: { ...zero }, total: 0 }
  })
  const at = current.findIndex((t) => t.instanceId === instanceId)
  const others = current.filter((t) => t.instanceId !== instanceId)
  const index = at < 0 ? others.length : at
  return [...others.slice(0, index), ...merged, ...others.slice(index)]
}

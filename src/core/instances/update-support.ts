// Whether an instance's server can update a key in place. Current Fluxbase servers answer
// every update with 500 (reference §4.4), so the app learns it per instance, from a
// side-effect-free probe and from every real update, and looks again after a day: a server
// that gets fixed is noticed. Where updating does not work, Edit offers "Replace with a new key".
import type { Instance, UpdateSupport } from '../../shared/domain'
import type { Cache } from '../cache'
import type { FluxbaseClient } from '../fluxbase'
import type { Log } from '../app/logger'

/** Look again after this long, whatever the last answer was. */
export const RECHECK_AFTER_MS = 24 * 3_600_000

export type SupportStore = Pick<Cache, 'getInstance' | 'setUpdateSupport'>

export function isDue(instance: Pick<Instance, 'updateSupport' | 'updateCheckedAt'>, now: number): boolean {
  if (instance.updateSupport === 'unknown' || !instance.updateCheckedAt) return true
  const at = Date.parse(instance.updateCheckedAt)
  return Number.isNaN(at) || now - at >= RECHECK_AFTER_MS || at > now
}

export function learnUpdateSupport(cache: SupportStore, instanceId: string, support: UpdateSupport, now: number): void {
  if (support === 'unknown') return
  cache.setUpdateSupport(instanceId, support, new Date(now).toISOString())
}

/** Probes when the last answer is missing or old; never fails the caller (offline: ask later). */
export async function checkUpdateSupport(
  deps: { cache: SupportStore; now: () => number; log: Log },
  instanceId: string,
  client: Pick<FluxbaseClient, 'probeUpdateSupport'>,
  force = false
): Promise<UpdateSupport> {
  const instance = deps.cache.getInstance(instanceId)
  if (!instance) return 'unknown'
  if (!force && !isDue(instance, deps.now())) return instance.updateSupport
  try {
    const support = await client.probeUpdateSupport()
    learnUpdateSupport(deps.cache, instanceId, support, deps.now())
    if (support !== instance.updateSupport) deps.log(`instance ${instanceId}: key update ${support}`)
    return support === 'unknown' ? instance.updateSupport : support
  } catch (error) {
    deps.log(`instance ${instanceId}: update check failed: ${error instanceof Error ? error.message : String(error)}`)
    return instance.updateSupport
  }
}

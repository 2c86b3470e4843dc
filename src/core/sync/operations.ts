// sync.*: fetch the selected tenants' key lists into the cache, one sync at a time.
import type { EventHub } from '../events'
import type { FeatureHandlers } from '../operation'
import type { SettingsReader } from '../settings/store'
import { AppError } from '../app/errors'
import type { CoreState } from '../app/state'
import type { Cache } from '../cache'
import { checkUpdateSupport, isDue, type SupportStore } from '../instances/update-support'
import { syncTenants, type SyncDeps, type SyncTarget } from './sync'

export interface SyncFeatureDeps extends SyncDeps {
  cache: SyncDeps['cache'] & Pick<Cache, 'listTenants'> & SupportStore
  state: Pick<CoreState, 'setSyncing'>
  settings: SettingsReader
  events: Pick<EventHub, 'emit' | 'inventoryChanged'>
}

export interface SyncController {
  handlers: FeatureHandlers<'sync'>
  /** Cancels a sync under way (the host closing). */
  cancel(): void
}

export function syncFeature(deps: SyncFeatureDeps): SyncController {
  let running: AbortController | null = null

  const run = async (filter: { instanceId?: string; tenantIds?: string[]; firstTenantIds?: string[] }) => {
    if (running) throw new AppError('conflict', 'A sync is already running. Wait for it to finish or cancel it.')
    const wanted = filter.tenantIds ? new Set(filter.tenantIds) : null
    const targets: SyncTarget[] = deps.cache.listTenants(filter.instanceId)
      .filter((t) => (wanted ? wanted.has(t.id) : t.selected))
      .map((t) => ({ instanceId: t.instanceId, tenantId: t.id, name: t.name }))
    if (filter.firstTenantIds?.length) {
      const first = new Set(filter.firstTenantIds)
      // A stable sort: the tenants in view first, each group in its usual order.
      targets.sort((a, b) => Number(first.has(b.tenantId)) - Number(first.has(a.tenantId)))
    }
    running = new AbortController()
    deps.state.setSyncing(true)
    // Each server is asked again, now and then, whether it can update keys (one request).
    for (const instanceId of new Set(targets.map((t) => t.instanceId))) void recheckUpdateSupport(instanceId)
    try {
      const outcome = await syncTenants(deps, targets, {
        concurrency: deps.settings.read().syncConcurrency,
        signal: running.signal,
        onProgress: (done, total, current) => deps.events.emit('sync.progress', {
          done, total,
          current: current ? { instanceId: current.target.instanceId, tenantId: current.target.tenantId, name: current.target.name, state: current.state } : null
        })
      })
      return { tenants: outcome.tenants, ok: outcome.ok, failed: outcome.failed, cancelled: outcome.cancelled, durationMs: outcome.durationMs }
    } finally {
      running = null
      deps.state.setSyncing(false)
      deps.events.inventoryChanged('sync')
    }
  }

  const recheckUpdateSupport = async (instanceId: string): Promise<void> => {
    const instance = deps.cache.getInstance(instanceId)
    if (!instance || !isDue(instance, deps.now())) return
    try {
      await checkUpdateSupport(deps, instanceId, await deps.clients.get(instanceId))
    } catch (error) {
      deps.log(`update check for ${instanceId} skipped: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  return {
    handlers: {
      'sync.run': (input) => run(input),
      'sync.cancel': async () => {
        running?.abort()
        return {}
      }
    },
    cancel: () => running?.abort()
  }
}

// instances.* and tenants.*: the Fluxbase servers an operator manages and their tenants.
import { emptyStatusCounts } from '../../shared/contract'
import type { Cache } from '../cache'
import type { InventoryEvents } from '../events'
import type { FeatureHandlers } from '../operation'
import { checkUpdateSupport } from './update-support'
import { addInstance, rediscoverTenants, setTransport, removeInstance, testConnection, updateCredential, type InstanceDeps, type InstanceStore } from './instances'

export interface InstanceFeatureDeps extends InstanceDeps {
  cache: InstanceStore & Pick<Cache, 'statusCounts' | 'setAutoFinishRotation'>
  events: InventoryEvents
  /** A removed instance's outage is forgotten. */
  forgetReachability(instanceId: string): void
}

export function instanceHandlers(deps: InstanceFeatureDeps) {
  const { cache, events } = deps
  return {
    'instances.list': async () => cache.listInstances(),
    'instances.test': async (input) => testConnection(deps, input),
    'instances.add': async (input) => {
      const added = await addInstance(deps, input)
      events.inventoryChanged('instance_added')
      return added
    },
    'instances.updateCredential': async (input) => {
      await updateCredential(deps, input.instanceId, input.auth)
      return {}
    },
    'instances.remove': async (input) => {
      const removedSecrets = await removeInstance(deps, input.instanceId)
      deps.forgetReachability(input.instanceId)
      events.inventoryChanged('instance_removed')
      return { removedSecrets }
    },
    'instances.rediscover': async (input) => {
      const tenants = await rediscoverTenants(deps, input.instanceId)
      events.inventoryChanged('tenants_rediscovered')
      return tenants
    },
    'instances.setTransport': async ({ instanceId, ...choice }) => {
      const instance = await setTransport(deps, instanceId, choice)
      events.inventoryChanged('instance_transport')
      return instance
    },
    'instances.checkUpdateSupport': async ({ instanceId, force }) => {
      const updateSupport = await checkUpdateSupport(deps, instanceId, await deps.clients.get(instanceId), force ?? false)
      events.inventoryChanged('instance_checked')
      return { updateSupport }
    }
  } satisfies FeatureHandlers<'instances'>
}

export function tenantHandlers(deps: InstanceFeatureDeps) {
  const { cache, events, now } = deps
  return {
    'tenants.list': async () => {
      const counts = new Map(cache.statusCounts(now()).map((c) => [`${c.instanceId}/${c.tenantId}`, c.counts]))
      const labels = new Map(cache.listInstances().map((i) => [i.id, i.label]))
      return cache.listTenants().map((t) => {
        const c = counts.get(`${t.instanceId}/${t.id}`) ?? emptyStatusCounts()
        return { ...t, instanceLabel: labels.get(t.instanceId) ?? 'Unknown instance', counts: c, total: Object.values(c).reduce((a, b) => a + b, 0) }
      })
    },
    'tenants.select': async (input) => {
      for (const id of input.tenantIds) cache.setTenantSelected(input.instanceId, id, input.selected)
      events.inventoryChanged('tenants_selected')
      return {}
    },
    'tenants.setAutoFinishRotation': async (input) => {
      cache.setAutoFinishRotation(input.instanceId, input.tenantId, input.on)
      events.inventoryChanged('tenant_auto_finish')
      return {}
    }
  } satisfies FeatureHandlers<'tenants'>
}

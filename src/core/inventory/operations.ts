// inventory.*: the cached keys, filtered, sorted and paged (never the network).
import type { Cache } from '../cache'
import type { FeatureHandlers } from '../operation'

export interface InventoryDeps {
  cache: Pick<Cache, 'queryInventory' | 'countInventory'>
  now: () => number
}

export function inventoryHandlers({ cache, now }: InventoryDeps) {
  return {
    'inventory.query': async (query) => cache.queryInventory(query, now()),
    'inventory.count': async (query) => ({ total: cache.countInventory(query, now()) })
  } satisfies FeatureHandlers<'inventory'>
}

// Which key replaced which: rotate sets the server's replacedBy, Replace the app's own
// localReplacedBy. Read from the local cache only (keys.get, inventory.query): never the network.
import type { KeyRow } from '../../../shared/contract'
import type { KeyRef } from '../../../shared/domain'
import { api } from './api'

const PAGE = 1000
/** A tenant with more keys than this is not searched further for a predecessor. */
const MAX_PAGES = 20

/** The id of the key that replaced this one, if any. */
export function successorId(row: Pick<KeyRow, 'replacedBy' | 'localReplacedBy'>): string | null {
  return row.replacedBy ?? row.localReplacedBy
}

export interface Linked {
  ref: KeyRef
  /** Null when the key is not in the cache (not synced yet, or deleted). */
  name: string | null
}

/** The key that replaced `row`, with its name when the cache has it. */
export async function successorOf(row: KeyRow): Promise<Linked | null> {
  const id = successorId(row)
  if (!id) return null
  const ref = { instanceId: row.instanceId, tenantId: row.tenantId, keyId: id }
  const r = await api.keys.get(ref)
  return { ref, name: r.ok ? r.value.key.name : null }
}

/** Names of the tenant's keys that contain `text` (for a name no key of the tenant has). */
export async function tenantNamesLike(instanceId: string, tenantId: string, text: string): Promise<Set<string>> {
  const names = new Set<string>()
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await api.inventory.query({ instanceId, tenantIds: [tenantId], text: text.slice(0, 200), offset: page * PAGE, limit: PAGE, count: 'capped' })
    if (!r.ok) break
    for (const k of r.value.rows) names.add(k.name)
    if (r.value.rows.length < PAGE) break
  }
  return names
}

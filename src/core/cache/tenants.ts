// Tenants of each instance, with the operator's choices (selected, auto-finish) and sync state.
import type Database from 'better-sqlite3'
import { z } from 'zod'
import type { SyncState, Tenant } from '../../shared/domain'

interface TenantRow {
  instance_id: string
  id: string
  slug: string
  name: string
  is_default: number
  selected: number
  auto_finish_rotation: number
  sync: string
}

const SyncStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('never') }),
  z.object({ kind: z.literal('fresh'), at: z.string() }),
  z.object({ kind: z.literal('stale'), lastGoodAt: z.string().nullable(), failedAt: z.string(), reason: z.string() }),
  z.object({ kind: z.literal('needs_login'), lastGoodAt: z.string().nullable(), reason: z.string() })
])

const NEVER: SyncState = { kind: 'never' }

/** A damaged sync column must not make the tenant unreadable: treat it as never synced. */
function parseSync(json: string): SyncState {
  try {
    const r = SyncStateSchema.safeParse(JSON.parse(json))
    return r.success ? r.data : NEVER
  } catch {
    return NEVER
  }
}

function toTenant(r: TenantRow): Tenant {
  return {
    instanceId: r.instance_id,
    id: r.id,
    slug: r.slug,
    name: r.name,
    isDefault: r.is_default === 1,
    selected: r.selected === 1,
    autoFinishRotation: r.auto_finish_rotation === 1,
    sync: parseSync(r.sync)
  }
}

export function createTenantStore(db: Database.Database) {
  const upsert = db.prepare<[string, string, string, string, number]>(
    `INSERT INTO tenants (instance_id, id, slug, name, is_default) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (instance_id, id) DO UPDATE SET slug = excluded.slug, name = excluded.name, is_default = excluded.is_default`
  )
  const listAll = db.prepare<[], TenantRow>('SELECT * FROM tenants ORDER BY name COLLATE NOCASE, instance_id, id')
  const listOf = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE instance_id = ? ORDER BY name COLLATE NOCASE, id')
  const get = db.prepare<[string, string], TenantRow>('SELECT * FROM tenants WHERE instance_id = ? AND id = ?')
  const setSelected = db.prepare<[number, string, string]>('UPDATE tenants SET selected = ? WHERE instance_id = ? AND id = ?')
  const setAuto = db.prepare<[number, string, string]>('UPDATE tenants SET auto_finish_rotation = ? WHERE instance_id = ? AND id = ?')
  const setSync = db.prepare<[string, string, string]>('UPDATE tenants SET sync = ? WHERE instance_id = ? AND id = ?')

  const upsertTx = db.transaction((instanceId: string, tenants: Array<{ id: string; slug: string; name: string; isDefault: boolean }>) => {
    for (const t of tenants) upsert.run(instanceId, t.id, t.slug, t.name, t.isDefault ? 1 : 0)
  })

  return {
    upsertTenants(instanceId: string, tenants: Array<{ id: string; slug: string; name: string; isDefault: boolean }>) {
      upsertTx.immediate(instanceId, tenants)
    },
    listTenants(instanceId?: string): Tenant[] {
      return (instanceId === undefined ? listAll.all() : listOf.all(instanceId)).map(toTenant)
    },
    getTenant(instanceId: string, tenantId: string): Tenant | null {
      const r = get.get(instanceId, tenantId)
      return r ? toTenant(r) : null
    },
    setTenantSelected(instanceId: string, tenantId: string, selected: boolean) {
      setSelected.run(selected ? 1 : 0, instanceId, tenantId)
    },
    setAutoFinishRotation(instanceId: string, tenantId: string, on: boolean) {
      setAuto.run(on ? 1 : 0, instanceId, tenantId)
    },
    setTenantSync(instanceId: string, tenantId: string, state: SyncState) {
      setSync.run(JSON.stringify(SyncStateSchema.parse(state)), instanceId, tenantId)
    }
  }
}

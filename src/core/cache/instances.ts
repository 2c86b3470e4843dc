// Instance profiles: non-secret connection facts only (credentials live in the keychain).
import type Database from 'better-sqlite3'
import type { Instance, InstanceProfile, UpdateSupport } from '../../shared/domain'

interface InstanceRow {
  id: string
  label: string
  base_url: string
  auth_kind: 'password' | 'token'
  email: string | null
  added_at: string
  update_support: UpdateSupport
  update_checked_at: string | null
  insecure_transport: number
  ca_bundle_path: string | null
  ca_fingerprint: string | null
}

function toInstance(r: InstanceRow): Instance {
  return {
    id: r.id, label: r.label, baseUrl: r.base_url, authKind: r.auth_kind, email: r.email, addedAt: r.added_at,
    insecureTransport: r.insecure_transport === 1,
    caBundle: r.ca_bundle_path && r.ca_fingerprint ? { path: r.ca_bundle_path, fingerprint: r.ca_fingerprint } : null,
    updateSupport: r.update_support, updateCheckedAt: r.update_checked_at
  }
}

export function createInstanceStore(db: Database.Database) {
  const upsert = db.prepare<[string, string, string, string, string | null, string, number, string | null, string | null]>(
    `INSERT INTO instances (id, label, base_url, auth_kind, email, added_at, insecure_transport, ca_bundle_path, ca_fingerprint)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET label = excluded.label, base_url = excluded.base_url,
       auth_kind = excluded.auth_kind, email = excluded.email, added_at = excluded.added_at,
       insecure_transport = excluded.insecure_transport, ca_bundle_path = excluded.ca_bundle_path, ca_fingerprint = excluded.ca_fingerprint`
  )
  const list = db.prepare<[], InstanceRow>('SELECT * FROM instances ORDER BY label COLLATE NOCASE, id')
  const get = db.prepare<[string], InstanceRow>('SELECT * FROM instances WHERE id = ?')
  const remove = db.prepare<[string]>('DELETE FROM instances WHERE id = ?')
  const setSupport = db.prepare<[UpdateSupport, string, string]>('UPDATE instances SET update_support = ?, update_checked_at = ? WHERE id = ?')
  // Warning ids are built by the expiry module and carry the instance id as a ':'-separated
  // segment; the table has no instance column, so match on that segment.
  const removeNotifications = db.prepare<[string]>(
    `DELETE FROM notifications WHERE instr(':' || warning_id || ':', ?) > 0`
  )
  // Tenants cascade to keys, instances cascade to tenants and actions.
  const removeTx = db.transaction((id: string) => {
    removeNotifications.run(`:${id}:`)
    remove.run(id)
  })

  return {
    upsertInstance(i: InstanceProfile) {
      upsert.run(i.id, i.label, i.baseUrl, i.authKind, i.email, i.addedAt, i.insecureTransport ? 1 : 0, i.caBundle?.path ?? null, i.caBundle?.fingerprint ?? null)
    },
    listInstances: (): Instance[] => list.all().map(toInstance),
    getInstance(id: string): Instance | null {
      const r = get.get(id)
      return r ? toInstance(r) : null
    },
    removeInstance(id: string) {
      removeTx.immediate(id)
    },
    setUpdateSupport(id: string, support: UpdateSupport, checkedAt: string) {
      setSupport.run(support, checkedAt, id)
    }
  }
}

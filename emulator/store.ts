// In-memory data with the indexes the handlers need, so no request scans every key:
// keys by id, by tenant, by 16-char prefix (data-plane lookup, §6.3), by (tenant, name)
// (the unique index of §6.2), and a reverse replaced_by index for delete (§4.5).

export type KeyType = 'service' | 'anon'

/** `platform.tenants.status` (internal/tenantdb/types.go). */
export type TenantStatus = 'creating' | 'active' | 'deleting' | 'error'

export interface TenantRecord {
  id: string
  slug: string
  name: string
  isDefault: boolean
  dbName: string | null
  status: TenantStatus
  metadata: Record<string, unknown>
  createdAt: number
  updatedAt: number
}

export interface KeyRecord {
  id: string
  /** '' = no tenant (nil UUID in the real DB). */
  tenantId: string
  name: string
  description: string | null
  keyHash: string
  keyPrefix: string
  keyType: KeyType
  scopes: string[]
  allowedNamespaces: string[] | null
  enabled: boolean
  rateLimitPerMinute: number | null
  rateLimitPerHour: number | null
  createdBy: string | null
  createdAt: number
  lastUsedAt: number | null
  expiresAt: number | null
  /** Microseconds (0-999) within expiresAt's millisecond: a client-sent time keeps them (Postgres µs). */
  expiresAtMicros?: number
  revokedAt: number | null
  revokedBy: string | null
  revocationReason: string | null
  deprecatedAt: number | null
  gracePeriodEndsAt: number | null
  replacedBy: string | null
  /** Insertion order, the tie-break for equal created_at. */
  seq: number
  /** Cached serialised JSON (invalidated on every change). */
  json?: string
}

/** Legacy audit rows (`auth.service_key_revocations`, Appendix A). The current server never writes them. */
export interface RevocationRecord {
  id: string
  keyId: string
  keyPrefix: string
  revokedBy: string | null
  reason: string
  revocationType: 'emergency' | 'rotation' | 'expiration'
  createdAt: number
}

export type NewKey = Omit<KeyRecord, 'seq' | 'json'>

export class Store {
  readonly tenants = new Map<string, TenantRecord>()
  readonly tenantsBySlug = new Map<string, TenantRecord>()
  /** Tenants in created_at order (the /tenants list order). */
  private tenantOrder: TenantRecord[] = []
  /** Serialised `GET /tenants` answer (active tenants only), rebuilt after a tenant change. */
  private tenantListCache: string | undefined

  readonly keys = new Map<string, KeyRecord>()
  private readonly byTenant = new Map<string, Map<string, KeyRecord>>()
  private readonly byPrefix = new Map<string, KeyRecord>()
  /** tenantId -> name -> key (the unique (tenant_id, name) index). */
  private readonly byName = new Map<string, Map<string, KeyRecord>>()
  private readonly replacedByIndex = new Map<string, Set<string>>()
  private readonly revocations = new Map<string, RevocationRecord[]>()
  private seq = 0

  // ---- tenants
  addTenant(t: TenantRecord): TenantRecord {
    if (this.tenants.has(t.id)) throw new Error(`tenant id ${t.id} already exists`)
    if (this.tenantsBySlug.has(t.slug)) throw new Error(`tenant slug ${t.slug} already exists`)
    this.tenants.set(t.id, t)
    this.tenantsBySlug.set(t.slug, t)
    this.tenantOrder.push(t)
    const last = this.tenantOrder[this.tenantOrder.length - 2]
    if (last && last.createdAt > t.createdAt) this.tenantOrder.sort((a, b) => a.createdAt - b.createdAt)
    this.tenantListCache = undefined
    return t
  }

  tenantList(): readonly TenantRecord[] {
    return this.tenantOrder
  }

  defaultTenant(): TenantRecord | undefined {
    return this.tenantOrder.find((t) => t.isDefault)
  }

  /** `GetAllActiveTenants`: `deleted_at IS NULL AND status = 'active'`, created_at ASC. */
  activeTenants(): TenantRecord[] {
    return this.tenantOrder.filter((t) => t.status === 'active')
  }

  cachedTenantListJson(build: (list: readonly TenantRecord[]) => string): string {
    this.tenantListCache ??= build(this.activeTenants())
    return this.tenantListCache
  }

  setTenantStatus(t: TenantRecord, status: TenantStatus): void {
    t.status = status
    this.tenantListCache = undefined
  }

  // ---- keys
  nameTaken(tenantId: string, name: string): boolean {
    return this.byName.get(tenantId)?.has(name) ?? false
  }

  prefixTaken(prefix: string): boolean {
    return this.byPrefix.has(prefix)
  }

  /** Throws on a unique violation, like the INSERT would. Takes ownership of `k`. */
  insertKey(k: NewKey): KeyRecord {
    if (this.nameTaken(k.tenantId, k.name)) throw new UniqueViolation('name')
    if (this.byPrefix.has(k.keyPrefix)) throw new UniqueViolation('key_prefix')
    // Adopt the caller's object (no copy): seeding inserts 200k of these.
    const rec = k as KeyRecord
    rec.seq = ++this.seq
    rec.json = undefined
    this.keys.set(rec.id, rec)
    let tmap = this.byTenant.get(rec.tenantId)
    if (!tmap) this.byTenant.set(rec.tenantId, (tmap = new Map()))
    tmap.set(rec.id, rec)
    this.byPrefix.set(rec.keyPrefix, rec)
    this.names(rec.tenantId).set(rec.name, rec)
    if (rec.replacedBy) this.linkReplacement(rec.id, rec.replacedBy)
    return rec
  }

  getKey(id: string): KeyRecord | undefined {
    return this.keys.get(id)
  }

  keyByPrefix(prefix: string): KeyRecord | undefined {
    return this.byPrefix.get(prefix)
  }

  /** Keys of one tenant, newest first (`ORDER BY created_at DESC`, §4.1). */
  listTenantKeys(tenantId: string): KeyRecord[] {
    const m = this.byTenant.get(tenantId)
    return m ? sortNewestFirst([...m.values()]) : []
  }

  /** Every key (no tenant filter): only when no tenant resolved, or on the legacy server. */
  listAllKeys(): KeyRecord[] {
    return sortNewestFirst([...this.keys.values()])
  }

  tenantKeyCount(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0
  }

  /** Renames, keeping the unique index honest; throws UniqueViolation on a clash. */
  rename(rec: KeyRecord, name: string): void {
    if (name === rec.name) return
    if (this.nameTaken(rec.tenantId, name)) throw new UniqueViolation('name')
    const names = this.names(rec.tenantId)
    names.delete(rec.name)
    rec.name = name
    names.set(name, rec)
    this.changed(rec)
  }

  setReplacedBy(rec: KeyRecord, newId: string): void {
    if (rec.replacedBy) this.replacedByIndex.get(rec.replacedBy)?.delete(rec.id)
    rec.replacedBy = newId
    this.linkReplacement(rec.id, newId)
    this.changed(rec)
  }

  /** Call after mutating a record's fields in place. */
  changed(rec: KeyRecord): void {
    rec.json = undefined
  }

  deleteKey(rec: KeyRecord): void {
    this.keys.delete(rec.id)
    this.byTenant.get(rec.tenantId)?.delete(rec.id)
    this.byPrefix.delete(rec.keyPrefix)
    this.byName.get(rec.tenantId)?.delete(rec.name)
    if (rec.replacedBy) this.replacedByIndex.get(rec.replacedBy)?.delete(rec.id)
    // replaced_by ... ON DELETE SET NULL (§4.5)
    const pointing = this.replacedByIndex.get(rec.id)
    if (pointing) {
      for (const oldId of pointing) {
        const old = this.keys.get(oldId)
        if (old) {
          old.replacedBy = null
          this.changed(old)
        }
      }
      this.replacedByIndex.delete(rec.id)
    }
    // audit rows go too (ON DELETE CASCADE)
    this.revocations.delete(rec.id)
  }

  addRevocation(r: RevocationRecord): void {
    let list = this.revocations.get(r.keyId)
    if (!list) this.revocations.set(r.keyId, (list = []))
    list.push(r)
  }

  revocationsFor(keyId: string): readonly RevocationRecord[] {
    return this.revocations.get(keyId) ?? []
  }

  private names(tenantId: string): Map<string, KeyRecord> {
    let m = this.byName.get(tenantId)
    if (!m) this.byName.set(tenantId, (m = new Map()))
    return m
  }

  private linkReplacement(oldId: string, newId: string): void {
    let set = this.replacedByIndex.get(newId)
    if (!set) this.replacedByIndex.set(newId, (set = new Set()))
    set.add(oldId)
  }
}

export class UniqueViolation extends Error {
  constructor(readonly column: string) {
    super(`duplicate key value violates unique constraint (${column})`)
  }
}

function sortNewestFirst(list: KeyRecord[]): KeyRecord[] {
  return list.sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq)
}

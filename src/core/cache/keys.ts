// Cached key metadata: writes keep the derived columns (state, *_ms, grace_end_ms) in step
// with the ISO columns they come from, so that inventory queries can use indexes.
//
// One exception: last use. Every sync moves the last use of every key in use, and each
// key's entry in the last-used index sits in its own leaf: a commit per tenant rewrote ~100
// scattered leaves (10 KB per row). So a re-sync writes `used_ms` (no index) and marks the
// index stale; refreshLastUsedIndex() then copies it to the indexed `last_used_ms` in one
// transaction, each leaf written once. Sync calls it at its end, and so does any query that
// filters or sorts by last use, so no answer ever sees a stale index.
import type Database from 'better-sqlite3'
import type { KeyMeta, KeyRef } from '../../shared/domain'
import { effectiveGraceEnd } from '../../shared/status'
import { createTenantCounts, type TenantCounts } from './tenant-counts'
import type { LocalKeyFacts, ReplaceOutcome, ReplaceResult, ScheduledKey, ScheduleHorizon, ServerKey, TenantReplacement } from './types'

type SqlValue = string | number | null

/** The settings row that says the last-used index is behind (written in the same commit as the last uses). */
const LAST_USED_STALE = 'cache.lastUsedIndexStale'
/** The refresh, and the clearing of its marker: one transaction (here, or on the writer thread). */
export const LAST_USED_REFRESH_SQL = 'UPDATE keys SET last_used_ms = used_ms WHERE last_used_ms IS NOT used_ms'
export const LAST_USED_CLEAR_SQL = `DELETE FROM settings WHERE name = '${LAST_USED_STALE}'`

/** Server fields, in the order of SERVER_COLUMNS. */
const SERVER_COLUMNS = [
  'name', 'description', 'key_prefix', 'key_type', 'scopes', 'allowed_namespaces', 'enabled',
  'rate_limit_per_minute', 'rate_limit_per_hour', 'created_by', 'created_at', 'last_used_at', 'expires_at',
  'revoked_at', 'deprecated_at', 'grace_period_ends_at', 'replaced_by'
] as const
const LOCAL_COLUMNS = ['local_grace_ends_at', 'revocation_reason', 'has_stored_value', 'orphan', 'local_replaced_by'] as const
const DERIVED_COLUMNS = ['state', 'created_ms', 'used_ms', 'expires_ms', 'grace_end_ms'] as const
const WRITE_COLUMNS = [...SERVER_COLUMNS, ...LOCAL_COLUMNS, 'synced_at', ...DERIVED_COLUMNS] as const

/** Row of the keys table as selected by KEY_SELECT. */
export interface KeyDbRow {
  instance_id: string
  tenant_id: string
  id: string
  name: string
  description: string | null
  key_prefix: string
  key_type: string
  scopes: string
  allowed_namespaces: string | null
  enabled: number
  rate_limit_per_minute: number | null
  rate_limit_per_hour: number | null
  created_by: string | null
  created_at: string
  last_used_at: string | null
  expires_at: string | null
  revoked_at: string | null
  deprecated_at: string | null
  grace_period_ends_at: string | null
  replaced_by: string | null
  local_grace_ends_at: string | null
  revocation_reason: string | null
  has_stored_value: number
  orphan: number
  local_replaced_by: string | null
  synced_at: string
}

/** Select list for KeyDbRow; `alias` is the table alias used in the query. */
export function keySelect(alias: string): string {
  return ['instance_id', 'tenant_id', 'id', ...SERVER_COLUMNS, ...LOCAL_COLUMNS, 'synced_at'].map((c) => `${alias}.${c}`).join(', ')
}

/** Date.parse, but NULL for absent or unparseable values (keyStatus treats both as "no date"). */
export function msOf(iso: string | null): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

/** The part of keyStatus that does not depend on `now`: 0 live, 1 deprecated, 2 disabled, 3 revoked. */
function stateOf(k: Pick<KeyMeta, 'revokedAt' | 'enabled' | 'deprecatedAt'>): number {
  if (k.revokedAt) return 3
  if (!k.enabled) return 2
  return k.deprecatedAt ? 1 : 0
}

function parseStringArray(json: string | null): string[] | null {
  if (json === null) return null
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : null
}

export function toKeyMeta(r: KeyDbRow): KeyMeta {
  return {
    instanceId: r.instance_id,
    tenantId: r.tenant_id,
    id: r.id,
    name: r.name,
    description: r.description,
    keyPrefix: r.key_prefix,
    keyType: r.key_type,
    scopes: parseStringArray(r.scopes) ?? [],
    allowedNamespaces: parseStringArray(r.allowed_namespaces),
    enabled: r.enabled === 1,
    rateLimitPerMinute: r.rate_limit_per_minute,
    rateLimitPerHour: r.rate_limit_per_hour,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    deprecatedAt: r.deprecated_at,
    gracePeriodEndsAt: r.grace_period_ends_at,
    replacedBy: r.replaced_by,
    localGraceEndsAt: r.local_grace_ends_at,
    revocationReason: r.revocation_reason,
    hasStoredValue: r.has_stored_value === 1,
    orphan: r.orphan === 1,
    localReplacedBy: r.local_replaced_by,
    syncedAt: r.synced_at
  }
}

function serverValues(k: ServerKey): SqlValue[] {
  return [
    k.name, k.description ?? null, k.keyPrefix, k.keyType, JSON.stringify(k.scopes ?? []),
    k.allowedNamespaces == null ? null : JSON.stringify(k.allowedNamespaces), k.enabled ? 1 : 0,
    k.rateLimitPerMinute ?? null, k.rateLimitPerHour ?? null, k.createdBy ?? null, k.createdAt,
    k.lastUsedAt ?? null, k.expiresAt ?? null, k.revokedAt ?? null, k.deprecatedAt ?? null,
    k.gracePeriodEndsAt ?? null, k.replacedBy ?? null
  ]
}

function localValues(l: LocalKeyFacts): SqlValue[] {
  return [l.localGraceEndsAt, l.revocationReason, l.hasStoredValue ? 1 : 0, l.orphan ? 1 : 0, l.localReplacedBy]
}

function derivedValues(k: ServerKey, l: LocalKeyFacts): SqlValue[] {
  return [
    stateOf(k), msOf(k.createdAt), msOf(k.lastUsedAt ?? null), msOf(k.expiresAt ?? null),
    msOf(effectiveGraceEnd({ gracePeriodEndsAt: k.gracePeriodEndsAt ?? null, localGraceEndsAt: l.localGraceEndsAt }))
  ]
}

/** All written columns, in WRITE_COLUMNS order. */
function writeValues(k: ServerKey, l: LocalKeyFacts, syncedAt: string): SqlValue[] {
  return [...serverValues(k), ...localValues(l), syncedAt, ...derivedValues(k, l)]
}

const NO_LOCAL: LocalKeyFacts = { localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null }

function mergeLocal(base: LocalKeyFacts, patch: Partial<LocalKeyFacts> | undefined): LocalKeyFacts {
  if (!patch) return base
  return {
    localGraceEndsAt: patch.localGraceEndsAt !== undefined ? patch.localGraceEndsAt : base.localGraceEndsAt,
    revocationReason: patch.revocationReason !== undefined ? patch.revocationReason : base.revocationReason,
    hasStoredValue: patch.hasStoredValue ?? base.hasStoredValue,
    orphan: patch.orphan ?? base.orphan,
    localReplacedBy: patch.localReplacedBy !== undefined ? patch.localReplacedBy : base.localReplacedBy
  }
}

/** raw() row of selectTenant: rid, id, then the WRITE_COLUMNS except synced_at. */
type TenantRawRow = SqlValue[]
const COMPARED_COLUMNS = WRITE_COLUMNS.filter((c) => c !== 'synced_at')
const LOCAL_START = 2 + SERVER_COLUMNS.length
/** Position of a column in a TenantRawRow. */
const RAW = Object.fromEntries(COMPARED_COLUMNS.map((c, i) => [c, i + 2])) as Record<(typeof COMPARED_COLUMNS)[number], number>

function localFromRaw(row: TenantRawRow): LocalKeyFacts {
  return {
    localGraceEndsAt: (row[LOCAL_START] as string | null | undefined) ?? null,
    revocationReason: (row[LOCAL_START + 1] as string | null | undefined) ?? null,
    hasStoredValue: row[LOCAL_START + 2] === 1,
    orphan: row[LOCAL_START + 3] === 1,
    localReplacedBy: (row[LOCAL_START + 4] as string | null | undefined) ?? null
  }
}

/** The columns a key's status is computed from (status-sql.ts): a change to one of them counts its tenant again. */
const STATUS_COLUMNS: ReadonlySet<string> = new Set(['state', 'expires_ms', 'grace_end_ms'])

/**
 * @param deferCounts true while a first fill is under way: tenants are counted once at its end.
 */
export function createKeyStore(db: Database.Database, counts: TenantCounts = createTenantCounts(db), deferCounts: () => boolean = () => false) {
  const placeholders = WRITE_COLUMNS.map(() => '?').join(', ')
  // A new row enters the last-used index right away (an insert touches every index anyway).
  const insertOne = db.prepare<SqlValue[]>(
    `INSERT INTO keys (instance_id, tenant_id, id, ${WRITE_COLUMNS.join(', ')}, last_used_ms) VALUES (?, ?, ?, ${placeholders}, ?)`
  )
  const USED_ARG = 3 + WRITE_COLUMNS.indexOf('used_ms')
  const insert = { run: (...args: SqlValue[]) => insertOne.run(...args, args[USED_ARG] ?? null) }
  const indexUsedOf = db.prepare<[number]>('UPDATE keys SET last_used_ms = used_ms WHERE rid = ? AND last_used_ms IS NOT used_ms')
  const markStale = db.prepare(`INSERT INTO settings (name, value) VALUES ('${LAST_USED_STALE}', 'true') ON CONFLICT (name) DO NOTHING`)
  const isStale = db.prepare<[], { one: number }>(`SELECT 1 AS one FROM settings WHERE name = '${LAST_USED_STALE}'`)
  const clearStale = db.prepare(LAST_USED_CLEAR_SQL)
  const refreshIndex = db.prepare(LAST_USED_REFRESH_SQL)
  // Mirrors the marker row, so a clean cache answers without a query.
  let stale = isStale.get() !== undefined
  const refreshTx = db.transaction((): number => {
    const changed = refreshIndex.run().changes
    clearStale.run()
    return changed
  })
  const setSynced = db.prepare<[string, number]>('UPDATE keys SET synced_at = ? WHERE rid = ?')
  const selectTenant = db
    .prepare<[string, string], TenantRawRow>(`SELECT rid, id, ${COMPARED_COLUMNS.join(', ')} FROM keys WHERE instance_id = ? AND tenant_id = ?`)
    .raw()
  const selectOneRaw = db
    .prepare<[string, string, string], TenantRawRow>(
      `SELECT rid, id, ${COMPARED_COLUMNS.join(', ')} FROM keys WHERE instance_id = ? AND tenant_id = ? AND id = ?`
    )
    .raw()
  // A re-sync mostly changes last_used_at: writing only the changed columns leaves every
  // other index untouched, which is most of the cost of a full re-sync.
  const partialUpdates = new Map<string, Database.Statement<SqlValue[]>>()
  /** Set by updateColumns when it changed used_ms (read and reset by its callers). */
  let usedChanged = false
  /** Set by updateColumns when it changed a column a status depends on (read and reset by replaceTx). */
  let statusChanged = false
  /**
   * Counts the writes that may have moved a deadline or a status (a key added, removed or
   * patched, an expiry, grace end or state changed), so the schedule can tell that a sync
   * which only moved last uses gave it nothing new. A rolled-back write counts too: at worst
   * one needless evaluation.
   */
  let deadlineWrites = 0
  const USED_AT = COMPARED_COLUMNS.indexOf('used_ms')
  const updateColumns = (rid: number, row: TenantRawRow, values: SqlValue[], syncedAt?: string): boolean => {
    const cols: string[] = []
    const args: SqlValue[] = []
    COMPARED_COLUMNS.forEach((c, i) => {
      const v = values[i] ?? null
      if (row[2 + i] !== v) {
        cols.push(c)
        args.push(v)
      }
    })
    if (cols.length === 0) return false
    if (row[2 + USED_AT] !== (values[USED_AT] ?? null)) usedChanged = true
    if (!statusChanged && cols.some((c) => STATUS_COLUMNS.has(c))) statusChanged = true
    // The confirmation time rides along: the row is rewritten once, not again by touchTenant.
    if (syncedAt !== undefined) {
      cols.push('synced_at')
      args.push(syncedAt)
    }
    const sig = cols.join(',')
    let stmt = partialUpdates.get(sig)
    if (!stmt) {
      stmt = db.prepare<SqlValue[]>(`UPDATE keys SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE rid = ?`)
      partialUpdates.set(sig, stmt)
    }
    stmt.run(...args, rid)
    return true
  }
  /**
   * writeValues without synced_at, in COMPARED_COLUMNS order. A date the row already holds
   * keeps its stored *_ms: a re-sync compares 200,000 rows, and Date.parse was a good part
   * of that for dates that rarely change.
   */
  const comparedValues = (k: ServerKey, l: LocalKeyFacts, row: TenantRawRow): SqlValue[] => {
    const values = serverValues(k)
    values.push(...localValues(l))
    const graceIso = effectiveGraceEnd({ gracePeriodEndsAt: k.gracePeriodEndsAt ?? null, localGraceEndsAt: l.localGraceEndsAt })
    const stored = (iso: string | null, isoAt: number, msAt: number): SqlValue =>
      iso !== null && row[isoAt] === iso ? (row[msAt] ?? null) : msOf(iso)
    values.push(
      stateOf(k),
      stored(k.createdAt, RAW.created_at, RAW.created_ms),
      stored(k.lastUsedAt ?? null, RAW.last_used_at, RAW.used_ms),
      stored(k.expiresAt ?? null, RAW.expires_at, RAW.expires_ms),
      // grace_end_ms comes from whichever of the two grace columns is in effect.
      graceIso === (row[RAW.grace_period_ends_at] ?? row[RAW.local_grace_ends_at] ?? null) ? (row[RAW.grace_end_ms] ?? null) : msOf(graceIso)
    )
    return values
  }
  const touchTenant = db.prepare<[string, string, string, string]>(
    'UPDATE keys SET synced_at = ? WHERE instance_id = ? AND tenant_id = ? AND synced_at IS NOT ?'
  )
  const deleteRid = db.prepare<[number]>('DELETE FROM keys WHERE rid = ?')
  const deleteRef = db.prepare<[string, string, string]>('DELETE FROM keys WHERE instance_id = ? AND tenant_id = ? AND id = ?')
  const updateLocal = db.prepare<SqlValue[]>(
    `UPDATE keys SET ${LOCAL_COLUMNS.map((c) => `${c} = ?`).join(', ')}, grace_end_ms = ? WHERE instance_id = ? AND tenant_id = ? AND id = ?`
  )
  const selectOne = db.prepare<[string, string, string], KeyDbRow>(
    `SELECT ${keySelect('k')} FROM keys k WHERE k.instance_id = ? AND k.tenant_id = ? AND k.id = ?`
  )
  // Through the two expression indexes on the ms columns. A date that does not parse is
  // left out: the schedule could not place it anyway (keyStatus ignores it too).
  // A tenant's keys are few: its own index finds them, the two links are read on the rows.
  const selectPredecessor = db.prepare<[string, string, string, string], { id: string; name: string }>(
    `SELECT id, name FROM keys WHERE instance_id = ? AND tenant_id = ? AND (replaced_by = ? OR local_replaced_by = ?) ORDER BY created_at LIMIT 1`
  )
  // Two ranges of the expression indexes (SQLite's OR-by-union): keys that expire or end their
  // grace a year out are not read at all, only those the schedule's horizon reaches.
  // Rows as arrays, in the order of ScheduledKey's fields below: no object per row from the driver.
  const selectScheduled = db.prepare<[number, number], SqlValue[]>(
    `SELECT k.instance_id, k.tenant_id, k.id, k.name, k.enabled, k.created_at, k.expires_at, k.revoked_at,
            k.deprecated_at, k.grace_period_ends_at, k.local_grace_ends_at FROM keys k
     WHERE (COALESCE(k.expires_ms, 9007199254740991) <= ? OR COALESCE(k.grace_end_ms, 9007199254740991) <= ?)
       AND k.state <> 3`
  ).raw()
  const replaceTx = db.transaction(
    (instanceId: string, tenantId: string, keys: ServerKey[], syncedAt: string) => {
      const existing = new Map<string, TenantRawRow>()
      for (const row of selectTenant.all(instanceId, tenantId)) existing.set(row[1] as string, row)
      // Last one wins if the server repeats an id.
      const incoming = new Map<string, ServerKey>()
      for (const k of keys) incoming.set(k.id, k)
      const added: string[] = []
      let updated = 0
      usedChanged = false
      statusChanged = false
      for (const [id, k] of incoming) {
        const row = existing.get(id)
        if (!row) {
          insert.run(instanceId, tenantId, id, ...writeValues(k, NO_LOCAL, syncedAt))
          added.push(id)
        } else if (updateColumns(row[0] as number, row, comparedValues(k, localFromRaw(row), row), syncedAt)) {
          updated++
        }
      }
      const removed: string[] = []
      for (const [id, row] of existing) {
        if (incoming.has(id)) continue
        deleteRid.run(row[0] as number)
        removed.push(id)
      }
      // Unchanged rows only need their confirmation time: no index covers synced_at.
      touchTenant.run(syncedAt, instanceId, tenantId, syncedAt)
      // A re-sync mostly moves last uses, which no status depends on; a first fill counts every
      // tenant at its end instead (bulk-load.ts).
      const deadlinesMoved = added.length > 0 || removed.length > 0 || statusChanged
      if (deadlinesMoved) deadlineWrites++
      if (!deferCounts()) counts.recountIfNeeded(instanceId, tenantId, deadlinesMoved)
      // In this transaction: whatever commits with a new last use also commits the marker.
      if (usedChanged) {
        markStale.run()
        stale = true
      }
      return { added, removed, updated }
    }
  )

  const upsertTx = db.transaction(
    (instanceId: string, tenantId: string, key: ServerKey, syncedAt: string, local: Partial<LocalKeyFacts> | undefined) => {
      const row = selectOneRaw.get(instanceId, tenantId, key.id)
      if (row) {
        updateColumns(row[0] as number, row, comparedValues(key, mergeLocal(localFromRaw(row), local), row))
        // One row: its index entry is updated at once.
        indexUsedOf.run(row[0] as number)
        setSynced.run(syncedAt, row[0] as number)
      } else {
        insert.run(instanceId, tenantId, key.id, ...writeValues(key, mergeLocal(NO_LOCAL, local), syncedAt))
      }
      deadlineWrites++
      counts.recount(instanceId, tenantId)
    }
  )

  const patchTx = db.transaction((ref: KeyRef, patch: Partial<LocalKeyFacts>) => {
    const row = selectOne.get(ref.instanceId, ref.tenantId, ref.keyId)
    if (!row) throw new Error(`Key ${ref.keyId} of tenant ${ref.tenantId} is not in the cache.`)
    const meta = toKeyMeta(row)
    const l = mergeLocal(meta, patch)
    const graceMs = msOf(effectiveGraceEnd({ gracePeriodEndsAt: meta.gracePeriodEndsAt, localGraceEndsAt: l.localGraceEndsAt }))
    updateLocal.run(...localValues(l), graceMs, ref.instanceId, ref.tenantId, ref.keyId)
    deadlineWrites++
    // A local grace end moves the key's status too.
    counts.recount(ref.instanceId, ref.tenantId)
  })
  const removeTx = db.transaction((ref: KeyRef) => {
    deleteRef.run(ref.instanceId, ref.tenantId, ref.keyId)
    deadlineWrites++
    counts.recount(ref.instanceId, ref.tenantId)
  })

  // Group commit: several tenants in one transaction, each in its own savepoint (better-sqlite3
  // nests transactions that way), so one tenant's failure rolls back only that tenant. Fewer
  // commits mean far fewer index pages rewritten to the WAL: ~6x faster for a full re-sync.
  // A tenant's rows and whatever the caller writes with them (its sync state, orphan flags)
  // commit together or not at all.
  const tenantTx = db.transaction((item: TenantReplacement): ReplaceResult => {
    const result = replaceTx(item.instanceId, item.tenantId, item.keys, item.syncedAt)
    item.withinCommit?.(result)
    return result
  })
  const replaceManyTx = db.transaction((items: readonly TenantReplacement[]) =>
    items.map((item): ReplaceOutcome => {
      try {
        return { ok: true, result: tenantTx(item) }
      } catch (error) {
        return { ok: false, error }
      }
    })
  )

  return {
    replaceManyTenantKeys(items: readonly TenantReplacement[]): ReplaceOutcome[] {
      return replaceManyTx.immediate(items)
    },
    /** Grows with every write of this connection that may have moved a key's deadline or status. */
    deadlineWrites(): number {
      return deadlineWrites
    },
    /** Whether a refresh has something to do. */
    lastUsedIndexStale(): boolean {
      return stale
    },
    /** Another connection (the writer thread) refreshed it: read the marker again (a later write may have set it anew). */
    lastUsedIndexRefreshedElsewhere(): void {
      stale = isStale.get() !== undefined
    },
    /** Brings the last-used index up to date after re-syncs; returns the rows it moved. */
    refreshLastUsedIndex(): number {
      if (!stale) return 0
      const moved = refreshTx.immediate()
      stale = false
      return moved
    },
    upsertKey(instanceId: string, tenantId: string, key: ServerKey, syncedAt: string, local?: Partial<LocalKeyFacts>) {
      upsertTx.immediate(instanceId, tenantId, key, syncedAt, local)
    },
    patchLocal(ref: KeyRef, patch: Partial<LocalKeyFacts>) {
      patchTx.immediate(ref, patch)
    },
    removeKey(ref: KeyRef) {
      removeTx.immediate(ref)
    },
    getKey(ref: KeyRef): KeyMeta | null {
      const row = selectOne.get(ref.instanceId, ref.tenantId, ref.keyId)
      return row ? toKeyMeta(row) : null
    },
    predecessorOf(ref: KeyRef): { keyId: string; name: string } | null {
      const r = selectPredecessor.get(ref.instanceId, ref.tenantId, ref.keyId, ref.keyId)
      return r ? { keyId: r.id, name: r.name } : null
    },
    // One row at a time: at 200,000 keys an array of them held ~250 MB while the schedule
    // read it, after every sync. The connection is busy until the iteration ends.
    *scheduledKeys(until?: ScheduleHorizon): Generator<ScheduledKey, void, undefined> {
      // Below the "no date" sentinel (MAX_SAFE_INTEGER in the SQL): every key with a date.
      const all = Number.MAX_SAFE_INTEGER - 1
      for (const r of selectScheduled.iterate(Math.min(until?.expiresMs ?? all, all), Math.min(until?.graceEndMs ?? all, all))) {
        yield {
          instanceId: r[0] as string, tenantId: r[1] as string, id: r[2] as string, name: r[3] as string, enabled: r[4] === 1,
          createdAt: r[5] as string, expiresAt: r[6] as string | null, revokedAt: r[7] as string | null, deprecatedAt: r[8] as string | null,
          gracePeriodEndsAt: r[9] as string | null, localGraceEndsAt: r[10] as string | null
        }
      }
    }
  }
}

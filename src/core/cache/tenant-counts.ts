// Status counts per tenant for tenants.list, kept on write: every write to a tenant's keys
// (keys.ts) counts that tenant again (a hundred rows through its own index) and stores the
// counts with how long they hold: statuses change by themselves only at an expiry or a grace
// end, so counts taken at T stay true until the tenant's next such moment. Reading the
// fleet's counts is then one pass over 2,000 small rows; a tenant whose counts ran out (or
// were never written, or were taken at a later time than asked) is counted live.
import type Database from 'better-sqlite3'
import { KEY_STATUSES, type KeyStatus } from '../../shared/domain'
import { NEXT_CHANGE_SQL, STATUS_SQL } from './status-sql'

export interface TenantStatusCounts { instanceId: string; tenantId: string; counts: Record<KeyStatus, number> }

const SUMS = KEY_STATUSES.map((s) => `COALESCE(sum(${STATUS_SQL[s]}), 0)`).join(', ')
const ONE_TENANT = 'FROM keys k WHERE k.instance_id = @instanceId AND k.tenant_id = @tenantId'

/**
 * SQL that counts every tenant at `now` in one pass (the end of a first fill), as one script:
 * the writer thread runs it at the end of a first fill (writer-thread.ts).
 */
export function fillAllTenantCountsSql(now: number): string {
  // An integer literal: exec() takes no parameters.
  const at = Math.trunc(now)
  return `DELETE FROM tenant_counts;
     INSERT INTO tenant_counts (instance_id, tenant_id, ${KEY_STATUSES.join(', ')}, computed_ms, valid_until_ms)
     SELECT t.instance_id, t.id, ${SUMS.replace(/@now/g, String(at))}, ${at}, ${NEXT_CHANGE_SQL.replace(/@now/g, String(at))}
     FROM tenants t LEFT JOIN keys k ON k.instance_id = t.instance_id AND k.tenant_id = t.id
     GROUP BY t.instance_id, t.id;`
}

/** Whether the file has the counts table (a file of an older schema may not). */
export function hasTenantCountsTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tenant_counts'").get() !== undefined
}

/** Counts every tenant at `now` in one pass; a no-op on a file without the table. */
export function fillAllTenantCounts(db: Database.Database, now = Date.now()): void {
  if (hasTenantCountsTable(db)) db.exec(fillAllTenantCountsSql(now))
}

export function createTenantCounts(db: Database.Database) {
  const store = db.prepare<[{ instanceId: string; tenantId: string; now: number }]>(
    `INSERT INTO tenant_counts (instance_id, tenant_id, ${KEY_STATUSES.join(', ')}, computed_ms, valid_until_ms)
     SELECT @instanceId, @tenantId, ${SUMS}, @now, ${NEXT_CHANGE_SQL} ${ONE_TENANT}
     ON CONFLICT (instance_id, tenant_id) DO UPDATE SET
       ${KEY_STATUSES.map((s) => `${s} = excluded.${s}`).join(', ')}, computed_ms = excluded.computed_ms, valid_until_ms = excluded.valid_until_ms`
  )
  const validity = db.prepare<[string, string], { computed_ms: number; valid_until_ms: number }>(
    'SELECT computed_ms, valid_until_ms FROM tenant_counts WHERE instance_id = ? AND tenant_id = ?'
  )
  const live = db.prepare<[{ instanceId: string; tenantId: string; now: number }], number[]>(`SELECT ${SUMS} ${ONE_TENANT}`).raw()
  const stored = db
    .prepare<[], Array<string | number | null>>(
      `SELECT t.instance_id, t.id, ${KEY_STATUSES.map((s) => `c.${s}`).join(', ')}, c.computed_ms, c.valid_until_ms
       FROM tenants t LEFT JOIN tenant_counts c ON c.instance_id = t.instance_id AND c.tenant_id = t.id
       ORDER BY t.instance_id, t.id`
    )
    .raw()

  // The stored rows change only with a write: by this connection (total_changes) or another
  // (data_version). Until then the last read serves (tenants.list is asked on every change
  // the UI hears of, and the stored rows are the same).
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck()
  const totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
  let memo: { version: string; rows: Array<Array<string | number | null>> } | null = null
  const storedRows = (): Array<Array<string | number | null>> => {
    const version = `${dataVersion.get() ?? 0}:${totalChanges.get() ?? 0}`
    if (memo?.version !== version) memo = { version, rows: stored.all() }
    return memo.rows
  }

  const toCounts = (values: ReadonlyArray<unknown>): Record<KeyStatus, number> =>
    Object.fromEntries(KEY_STATUSES.map((s, i) => [s, Number(values[i] ?? 0)])) as Record<KeyStatus, number>

  return {
    /** Counts the tenant's keys again (inside the write that changed them). */
    recount(instanceId: string, tenantId: string, now = Date.now()): void {
      store.run({ instanceId, tenantId, now })
    },
    /** Counts again unless nothing changed and the stored counts still hold (a sync with no news). */
    recountIfNeeded(instanceId: string, tenantId: string, changed: boolean, now = Date.now()): void {
      if (!changed) {
        const v = validity.get(instanceId, tenantId)
        if (v && v.computed_ms <= now && now < v.valid_until_ms) return
      }
      store.run({ instanceId, tenantId, now })
    },
    /** Every tenant's counts at `now`, also tenants without keys. */
    statusCounts(now: number): TenantStatusCounts[] {
      return storedRows().map((r) => {
        const instanceId = String(r[0])
        const tenantId = String(r[1])
        const n = KEY_STATUSES.length
        const computedMs = r[2 + n]
        const validUntilMs = r[3 + n]
        const holds = typeof computedMs === 'number' && typeof validUntilMs === 'number' && computedMs <= now && now < validUntilMs
        const values = holds ? r.slice(2, 2 + n) : (live.get({ instanceId, tenantId, now }) ?? [])
        return { instanceId, tenantId, counts: toCounts(values) }
      })
    }
  }
}

export type TenantCounts = ReturnType<typeof createTenantCounts>

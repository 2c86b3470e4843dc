// Inventory queries: filters and sorts as SQL over the derived columns, so that a page of a
// 200,000-key inventory is answered from indexes. Status is a function of `now` (keyStatus),
// so the status filter is a set of predicates equivalent to it over the stored columns:
//   state 3 → revoked; state 2 → disabled; expires_ms <= now → expired;
//   state 0 → active; grace_end_ms > now → grace; otherwise grace_ended.
import type Database from 'better-sqlite3'
import { KEY_STATUSES, type KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { keySelect, toKeyMeta, type KeyDbRow } from './keys'
import type { InventoryQuery, InventoryRow, SortColumn } from './types'

/** Stands for "never" in the expression indexes on expires_ms and grace_end_ms. */
const NEVER = 'COALESCE(k.expires_ms, 9007199254740991)'
const NEVER_GRACE = 'COALESCE(k.grace_end_ms, 9007199254740991)'
/** "Never used" counts as the oldest use (keys_by_last_used). */
const LAST_USED = 'COALESCE(k.last_used_ms, 0)'
const MAX_MS = 9007199254740990

const NOT_EXPIRED = '(k.expires_ms IS NULL OR k.expires_ms > @now)'

export const STATUS_SQL: Record<KeyStatus, string> = {
  active: `(k.state = 0 AND ${NOT_EXPIRED})`,
  grace: `(k.state = 1 AND ${NOT_EXPIRED} AND k.grace_end_ms > @now)`,
  grace_ended: `(k.state = 1 AND ${NOT_EXPIRED} AND (k.grace_end_ms IS NULL OR k.grace_end_ms <= @now))`,
  disabled: '(k.state = 2)',
  expired: '(k.state IN (0, 1) AND k.expires_ms <= @now)',
  revoked: '(k.state = 3)'
}

const rank = (s: KeyStatus): number => KEY_STATUSES.indexOf(s)

/** Position of the row's status in KEY_STATUSES (the order status sorts by). */
export const STATUS_RANK_SQL =
  `CASE WHEN k.state = 3 THEN ${rank('revoked')} WHEN k.state = 2 THEN ${rank('disabled')} ` +
  `WHEN k.expires_ms <= @now THEN ${rank('expired')} WHEN k.state = 0 THEN ${rank('active')} ` +
  `WHEN k.grace_end_ms > @now THEN ${rank('grace')} ELSE ${rank('grace_ended')} END`

const SORT_SQL: Record<SortColumn, string[]> = {
  name: ['k.name COLLATE NOCASE'],
  tenant: ['t.name COLLATE NOCASE', 't.instance_id', 't.id'],
  keyType: ['k.key_type'],
  keyPrefix: ['k.key_prefix'],
  status: [STATUS_RANK_SQL],
  createdAt: ['k.created_ms'],
  lastUsedAt: [LAST_USED],
  expiresAt: [NEVER],
  graceEndsAt: [NEVER_GRACE]
}

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 1000
const DAY_MS = 86_400_000

type Params = Record<string, string | number>

interface QueryRow extends KeyDbRow {
  tenant_name: string
  tenant_slug: string
  instance_label: string
}

/** FTS5 phrase: the trigram tokenizer matches it as a substring of one column. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** WHERE clause and parameters for the query's filters (shared by the page and its COUNT). */
export function buildWhere(q: InventoryQuery, now: number): { where: string; params: Params } {
  const parts: string[] = []
  const params: Params = { now }
  if (q.instanceId !== undefined) {
    parts.push('k.instance_id = @instanceId')
    params.instanceId = q.instanceId
  }
  // Empty lists mean "no filter", as an empty multi-select does in the UI.
  if (q.tenantIds && q.tenantIds.length > 0) {
    // Through tenants, so the (instance_id, tenant_id, ...) indexes apply without an instance.
    parts.push(
      '(k.instance_id, k.tenant_id) IN (SELECT t2.instance_id, t2.id FROM tenants t2 WHERE t2.id IN (SELECT value FROM json_each(@tenantIds)))'
    )
    params.tenantIds = JSON.stringify(q.tenantIds)
  }
  if (q.keyTypes && q.keyTypes.length > 0) {
    parts.push('k.key_type IN (SELECT value FROM json_each(@keyTypes))')
    params.keyTypes = JSON.stringify(q.keyTypes)
  }
  if (q.statuses && q.statuses.length > 0) {
    const wanted = KEY_STATUSES.filter((s) => q.statuses?.includes(s))
    if (wanted.length < KEY_STATUSES.length) parts.push(`(${wanted.map((s) => STATUS_SQL[s]).join(' OR ')})`)
  }
  if (q.text !== undefined && q.text !== '') {
    // Trigrams need three characters; shorter text matches so many rows that a scan is fine.
    // A few tenants hold a few thousand rows: checking them beats expanding a common
    // trigram's match list over the whole inventory.
    const narrow = q.tenantIds !== undefined && q.tenantIds.length > 0 && q.tenantIds.length <= 20
    if ([...q.text].length >= 3 && !narrow) {
      parts.push('k.rid IN (SELECT rowid FROM keys_fts WHERE keys_fts MATCH @fts)')
      params.fts = ftsPhrase(q.text)
    } else {
      parts.push(`(k.name LIKE @like ESCAPE '\\' OR k.key_prefix LIKE @like ESCAPE '\\' OR k.description LIKE @like ESCAPE '\\')`)
      params.like = likePattern(q.text)
    }
  }
  if (q.expiringWithinMs !== undefined) {
    parts.push(`${NEVER} > @now AND ${NEVER} <= @expiresBy`)
    params.expiresBy = Math.min(now + q.expiringWithinMs, MAX_MS)
  }
  if (q.graceEndingWithinMs !== undefined) {
    parts.push(`${NEVER_GRACE} > @now AND ${NEVER_GRACE} <= @graceBy`)
    params.graceBy = Math.min(now + q.graceEndingWithinMs, MAX_MS)
  }
  if (q.unusedForDays !== undefined) {
    parts.push(`${LAST_USED} < @usedBefore`)
    params.usedBefore = now - q.unusedForDays * DAY_MS
  }
  if (q.orphansOnly) parts.push('k.orphan = 1')
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params }
}

/** The index whose order is the sort's first term (status and tenant have none). */
const SORT_INDEX: Partial<Record<SortColumn, string>> = {
  name: 'keys_by_name',
  keyType: 'keys_by_type',
  keyPrefix: 'keys_by_prefix',
  createdAt: 'keys_by_created',
  lastUsedAt: 'keys_by_last_used',
  expiresAt: 'keys_by_expires',
  graceEndsAt: 'keys_by_grace_end'
}

function orderBy(column: SortColumn, dir: 'ASC' | 'DESC', unindexed: boolean): string {
  // id, then rid, make the order total: paging never repeats or skips a row.
  const terms = [...SORT_SQL[column], 'k.id', 'k.rid']
  // A unary + on the first term stops SQLite from walking the sort index.
  if (unindexed) terms[0] = `+${terms[0] ?? ''}`
  return terms.map((e) => `${e} ${dir}`).join(', ')
}

interface Page {
  where: string
  params: Params
  column: SortColumn
  dir: 'ASC' | 'DESC'
  offset: number
  limit: number
  /** Rows matching `where` (already counted). */
  matching: number
}

export function createInventoryQueries(db: Database.Database) {
  // Statements are cached by SQL text: the set of distinct filter shapes is small.
  const cache = new Map<string, Database.Statement<[Params], unknown>>()
  const prepared = (sql: string): Database.Statement<[Params], unknown> => {
    let stmt = cache.get(sql)
    if (!stmt) {
      stmt = db.prepare<Params, unknown>(sql)
      if (cache.size > 500) cache.clear()
      cache.set(sql, stmt)
    }
    return stmt
  }
  const selectList = `${keySelect('k')}, t.name AS tenant_name, t.slug AS tenant_slug, i.label AS instance_label`
  // Checked once: a copy of the file without some index must still answer (just slower).
  const existingIndexes = new Set(db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all())
  const maxRid = db.prepare<[], number | null>('SELECT max(rid) FROM keys').pluck()

  /**
   * One page. SQLite's planner cannot know how many rows a filter keeps, but we do (the
   * COUNT): when matches are dense, walking the sort index finds a page after a few rows;
   * when they are sparse, fetching the matches through their own index and sorting them is
   * cheaper than walking past thousands of non-matching rows. Without a filter the sort
   * index is always right.
   */
  const page = (p: Page): QueryRow[] => {
    if (p.matching === 0 || p.offset >= p.matching) return []
    const index = p.column === 'tenant' ? 'tenants_by_name' : SORT_INDEX[p.column]
    let hint = ''
    let unindexed = false
    let walk = p.where === ''
    if (index && existingIndexes.has(index) && p.where !== '') {
      const estimate = Math.max(maxRid.get() ?? 0, p.matching)
      const walkCost = ((p.offset + p.limit) * estimate) / p.matching
      walk = walkCost < p.matching * 4
      if (walk && p.column !== 'tenant') hint = `INDEXED BY ${index}`
      else unindexed = !walk
    }
    // CROSS JOIN fixes the join order: keys outer, so the chosen access path on keys drives
    // the page; for a dense tenant sort, tenants outer in name order with their keys inside.
    const keys = `keys k ${hint}`
    const from =
      p.column === 'tenant' && walk
        ? `tenants t CROSS JOIN ${keys} ON k.instance_id = t.instance_id AND k.tenant_id = t.id`
        : `${keys} CROSS JOIN tenants t ON t.instance_id = k.instance_id AND t.id = k.tenant_id`
    const sql =
      `SELECT ${selectList} FROM ${from} CROSS JOIN instances i ON i.id = k.instance_id ` +
      `${p.where} ORDER BY ${orderBy(p.column, p.dir, unindexed)} LIMIT ${p.limit} OFFSET ${p.offset}`
    return prepared(sql).all(p.params) as QueryRow[]
  }

  const toRow = (r: QueryRow, now: number): InventoryRow => {
    const meta = toKeyMeta(r)
    return { ...meta, tenantName: r.tenant_name, tenantSlug: r.tenant_slug, instanceLabel: r.instance_label, status: keyStatus(meta, now) }
  }

  // One row per tenant, walking keys_by_tenant_state in order: no temporary grouping table.
  const countsStmt = db
    .prepare<[{ now: number }], number[] | string[]>(
      `SELECT k.instance_id, k.tenant_id, ${KEY_STATUSES.map((s) => `sum(${STATUS_SQL[s]})`).join(', ')}
       FROM keys k GROUP BY k.instance_id, k.tenant_id`
    )
    .raw()
  const tenantRefs = db.prepare<[], { instance_id: string; id: string }>('SELECT instance_id, id FROM tenants ORDER BY instance_id, id')

  return {
    queryInventory(q: InventoryQuery, now: number): { rows: InventoryRow[]; total: number } {
      const { where, params } = buildWhere(q, now)
      const limit = Math.max(1, Math.min(Math.floor(q.limit ?? DEFAULT_LIMIT), MAX_LIMIT))
      const offset = Math.max(0, Math.floor(q.offset ?? 0))
      const column = q.sort?.column ?? 'name'
      const dir = q.sort?.direction === 'desc' ? 'DESC' : 'ASC'

      if (column !== 'status') {
        const total = (prepared(`SELECT count(*) AS n FROM keys k ${where}`).get(params) as { n: number } | undefined)?.n ?? 0
        const rows = page({ where, params, column, dir, offset, limit, matching: total })
        return { rows: rows.map((r) => toRow(r, now)), total }
      }

      // Status order is a function of `now`, so no index holds it. The page is cut from
      // per-status segments instead, each in name order (then id): counts say which
      // segments the page spans, and each segment is fetched like any filtered name page.
      const counts = new Map<number, number>()
      for (const r of prepared(`SELECT ${STATUS_RANK_SQL} AS rank, count(*) AS n FROM keys k ${where} GROUP BY rank`).all(params) as Array<{ rank: number; n: number }>) {
        counts.set(r.rank, r.n)
      }
      let total = 0
      for (const n of counts.values()) total += n
      const order = dir === 'ASC' ? [...KEY_STATUSES] : [...KEY_STATUSES].reverse()
      const rows: QueryRow[] = []
      let skip = offset
      for (const status of order) {
        const matching = counts.get(rank(status)) ?? 0
        if (rows.length >= limit) break
        if (skip >= matching) {
          skip -= matching
          continue
        }
        const segmentWhere = `${where === '' ? 'WHERE' : `${where} AND`} ${STATUS_SQL[status]}`
        rows.push(...page({ where: segmentWhere, params, column: 'name', dir, offset: skip, limit: limit - rows.length, matching }))
        skip = 0
      }
      return { rows: rows.map((r) => toRow(r, now)), total }
    },
    statusCounts(now: number): Array<{ instanceId: string; tenantId: string; counts: Record<KeyStatus, number> }> {
      const zero = (): Record<KeyStatus, number> => ({ active: 0, grace: 0, grace_ended: 0, disabled: 0, expired: 0, revoked: 0 })
      const byTenant = new Map<string, { instanceId: string; tenantId: string; counts: Record<KeyStatus, number> }>()
      const entry = (instanceId: string, tenantId: string) => {
        const k = `${instanceId}\u0000${tenantId}`
        let e = byTenant.get(k)
        if (!e) {
          e = { instanceId, tenantId, counts: zero() }
          byTenant.set(k, e)
        }
        return e
      }
      // Every tenant appears, also those without keys.
      for (const t of tenantRefs.all()) entry(t.instance_id, t.id)
      for (const r of countsStmt.all({ now }) as unknown[][]) {
        const e = entry(String(r[0]), String(r[1]))
        KEY_STATUSES.forEach((s, i) => {
          e.counts[s] = Number(r[i + 2] ?? 0)
        })
      }
      return [...byTenant.values()]
    }
  }
}

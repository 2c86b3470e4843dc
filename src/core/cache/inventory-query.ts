// Inventory queries: filters and sorts as SQL over the derived columns, so that a page of a
// 200,000-key inventory is answered from indexes. Status is a function of `now` (keyStatus),
// so the status filter is a set of predicates equivalent to it over the stored columns:
//   state 3 → revoked; state 2 → disabled; expires_ms <= now → expired;
//   state 0 → active; grace_end_ms > now → grace; otherwise grace_ended.
import type Database from 'better-sqlite3'
import { KEY_STATUSES, type KeyStatus } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { createBulkLoad, type BulkLoad } from './bulk-load'
import { keySelect, toKeyMeta, type KeyDbRow } from './keys'
import { STATUS_SQL } from './status-sql'
import { createTenantCounts, type TenantCounts, type TenantStatusCounts } from './tenant-counts'
import type { InventoryPage, InventoryQuery, InventoryRow, SortColumn } from './types'

/** Stands for "never" in the expression indexes on expires_ms and grace_end_ms. */
const NEVER = 'COALESCE(k.expires_ms, 9007199254740991)'
const NEVER_GRACE = 'COALESCE(k.grace_end_ms, 9007199254740991)'
/** "Never used" counts as the oldest use (keys_by_last_used). */
const LAST_USED = 'COALESCE(k.last_used_ms, 0)'
const MAX_MS = 9007199254740990

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
  rid: number
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

/** Matches of a full-text phrase, as rowids of keys (keys_fts is kept 1:1 with keys by triggers). */
const FTS_MATCH = 'SELECT rowid FROM keys_fts WHERE keys_fts MATCH @fts'

interface Filters {
  /** Predicates on keys k, ANDed; the full-text predicate is not among them. */
  parts: string[]
  params: Params
  /** The text filter goes through keys_fts (@fts is set). */
  fts: boolean
}

/**
 * The query's filters as predicates and parameters. `ftsAvailable` false (a file without the
 * full-text table, or one being filled) turns every text search into the LIKE scan.
 */
/** Instances and tenants whose own names match the search text: their keys match too. */
export interface PlaceMatches {
  instanceIds: string[]
  tenants: Array<[instanceId: string, tenantId: string]>
}

function buildFilters(q: InventoryQuery, now: number, ftsAvailable: boolean, places: PlaceMatches = { instanceIds: [], tenants: [] }): Filters {
  const parts: string[] = []
  const params: Params = { now }
  let fts = false
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
    // Keys of an instance or tenant whose name matches count as matches (the box promises
    // instance and tenant names): their refs are looked up first (placeMatches, two small tables).
    const placeParts: string[] = []
    if (places.instanceIds.length > 0) {
      placeParts.push('k.instance_id IN (SELECT value FROM json_each(@textInstances))')
      params.textInstances = JSON.stringify(places.instanceIds)
    }
    if (places.tenants.length > 0) {
      placeParts.push("(k.instance_id, k.tenant_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@textTenants))")
      params.textTenants = JSON.stringify(places.tenants)
    }
    // Trigrams need three characters; shorter text matches so many rows that a scan is fine.
    // A few tenants hold a few thousand rows: checking them beats expanding a common
    // trigram's match list over the whole inventory.
    const narrow = q.tenantIds !== undefined && q.tenantIds.length > 0 && q.tenantIds.length <= 20
    let keyText: string
    if (ftsAvailable && [...q.text].length >= 3 && !narrow) {
      params.fts = ftsPhrase(q.text)
      // Alone, the full-text matches drive the query (countSource, whereAll).
      if (placeParts.length === 0) fts = true
      keyText = `k.rid IN (${FTS_MATCH})`
    } else if (!/[^\p{ASCII}]/u.test(q.text)) {
      keyText = `(k.name LIKE @like ESCAPE '\\' OR k.key_prefix LIKE @like ESCAPE '\\' OR k.description LIKE @like ESCAPE '\\' OR k.scopes LIKE @like ESCAPE '\\')`
      params.like = likePattern(q.text)
    } else {
      // LIKE folds ASCII case only: "über" must find "Über" as the full-text index does.
      keyText = '(fold_contains(k.name, @folded) OR fold_contains(k.key_prefix, @folded) OR fold_contains(k.description, @folded) OR fold_contains(k.scopes, @folded))'
      params.folded = q.text.toLowerCase()
    }
    if (!fts) parts.push(placeParts.length === 0 ? keyText : `(${[keyText, ...placeParts].join(' OR ')})`)
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
  return { parts, params, fts }
}

const whereOf = (parts: string[]): string => (parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '')

/** Every filter as one WHERE clause on keys k (the full-text one as a rowid set). */
function whereAll(f: Filters): string {
  return whereOf(f.fts ? [...f.parts, `k.rid IN (${FTS_MATCH})`] : f.parts)
}

/**
 * Keys matching the filters, for counting. Full-text matches drive the join: keys_fts hands
 * out rowids as it finds them, so a LIMIT stops it early (an IN list is built in full first).
 */
function countSource(f: Filters): string {
  return f.fts
    ? `keys_fts f CROSS JOIN keys k ON k.rid = f.rowid WHERE f.keys_fts MATCH @fts${f.parts.length > 0 ? ` AND ${f.parts.join(' AND ')}` : ''}`
    : `keys k ${whereOf(f.parts)}`
}

/** How far a capped count goes: past this, the UI shows "1,000+" until the exact count arrives. */
export const COUNT_CAP = 1000

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
  /** Rows matching `where`: exact, or (matchingExact false) a lower bound. */
  matching: number
  matchingExact: boolean
}

export function createInventoryQueries(db: Database.Database, bulk: BulkLoad = createBulkLoad(db), tenantCounts: TenantCounts = createTenantCounts(db)) {
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
  // What the file has: a copy without some index (or without the full-text table) must still
  // answer, just slower; so must a file whose first fill is under way (bulk-load.ts: indexes
  // and the full-text entries come at its end). Read again whenever the schema changed.
  const schemaNamesStmt = db.prepare<[string], string>('SELECT name FROM sqlite_master WHERE type = ?').pluck()
  const schemaVersion = db.prepare<[], number>('PRAGMA schema_version').pluck()
  let seenSchema = -1
  let existingIndexes = new Set<string>()
  let ftsTable = false
  const schema = (): { indexes: Set<string>; fts: boolean } => {
    const v = schemaVersion.get() ?? 0
    if (v !== seenSchema) {
      seenSchema = v
      existingIndexes = new Set(schemaNamesStmt.all('index'))
      ftsTable = new Set(schemaNamesStmt.all('table')).has('keys_fts')
    }
    return { indexes: existingIndexes, fts: ftsTable && !bulk.active() }
  }
  db.function('fold_contains', { deterministic: true }, (haystack: unknown, needle: unknown) =>
    typeof haystack === 'string' && typeof needle === 'string' && haystack.toLowerCase().includes(needle) ? 1 : 0
  )
  const maxRid = db.prepare<[], number | null>('SELECT max(rid) FROM keys').pluck()
  // Rows of a page by rid, fetched after the page's rids are known (see page()).
  const rowsByRid = db.prepare<[string], QueryRow>(
    `SELECT k.rid AS rid, ${selectList} FROM keys k CROSS JOIN tenants t ON t.instance_id = k.instance_id AND t.id = k.tenant_id ` +
      'CROSS JOIN instances i ON i.id = k.instance_id WHERE k.rid IN (SELECT value FROM json_each(?))'
  )

  const count = (f: Filters, capped: boolean): { n: number; exact: boolean } => {
    if (!capped) {
      // A text search alone is counted on the full-text index without touching keys.
      const sql = f.fts && f.parts.length === 0
        ? 'SELECT count(*) AS n FROM keys_fts WHERE keys_fts MATCH @fts'
        : `SELECT count(*) AS n FROM ${countSource(f)}`
      return { n: (prepared(sql).get(f.params) as { n: number } | undefined)?.n ?? 0, exact: true }
    }
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM ${countSource(f)} LIMIT ${COUNT_CAP + 1})`
    const n = (prepared(sql).get(f.params) as { n: number } | undefined)?.n ?? 0
    return n > COUNT_CAP ? { n: COUNT_CAP, exact: false } : { n, exact: true }
  }

  /**
   * One page. SQLite's planner cannot know how many rows a filter keeps, but we do (the
   * COUNT): when matches are dense, walking the sort index finds a page after a few rows;
   * when they are sparse, fetching the matches through their own index and sorting them is
   * cheaper than walking past thousands of non-matching rows. Without a filter the sort
   * index is always right; past COUNT_CAP matches the filter counts as dense.
   *
   * The page is found as bare rids first and its rows fetched after: an OFFSET then skips
   * index entries only, not joined rows (a page at offset 100,000 took ~200 ms the other way).
   */
  const page = (p: Page): QueryRow[] => {
    if (p.matching === 0 || (p.matchingExact && p.offset >= p.matching)) return []
    const index = p.column === 'tenant' ? 'tenants_by_name' : SORT_INDEX[p.column]
    let hint = ''
    let unindexed = false
    let walk = p.where === ''
    if (index && schema().indexes.has(index) && p.where !== '') {
      const estimate = Math.max(maxRid.get() ?? 0, p.matching)
      const walkCost = ((p.offset + p.limit) * estimate) / p.matching
      walk = !p.matchingExact || walkCost < p.matching * 4
      if (walk && p.column !== 'tenant') hint = `INDEXED BY ${index}`
      else unindexed = !walk
    }
    // CROSS JOIN fixes the join order: keys outer, so the chosen access path on keys drives
    // the page; for a dense tenant sort, tenants outer in name order with their keys inside.
    // Only the tenant sort needs tenants to find the page.
    const keys = `keys k ${hint}`
    const from =
      p.column !== 'tenant'
        ? keys
        : walk
          ? `tenants t CROSS JOIN ${keys} ON k.instance_id = t.instance_id AND k.tenant_id = t.id`
          : `${keys} CROSS JOIN tenants t ON t.instance_id = k.instance_id AND t.id = k.tenant_id`
    const sql = `SELECT k.rid FROM ${from} ${p.where} ORDER BY ${orderBy(p.column, p.dir, unindexed)} LIMIT ${p.limit} OFFSET ${p.offset}`
    const rids = (prepared(sql).raw().all(p.params) as Array<[number]>).map((r) => r[0])
    if (rids.length === 0) return []
    const byRid = new Map<number, QueryRow>()
    for (const r of rowsByRid.all(JSON.stringify(rids))) byRid.set(r.rid, r)
    return rids.map((rid) => byRid.get(rid)).filter((r): r is QueryRow => r !== undefined)
  }

  const toRow = (r: QueryRow, now: number): InventoryRow => {
    const meta = toKeyMeta(r)
    return { ...meta, tenantName: r.tenant_name, tenantSlug: r.tenant_slug, instanceLabel: r.instance_label, status: keyStatus(meta, now) }
  }

  // Instance labels and tenant names or slugs containing the text (case-folded as keys are).
  const placeStmts = {
    ascii: {
      instances: db.prepare<[string], string>("SELECT id FROM instances WHERE label LIKE ? ESCAPE '\\'").pluck(),
      tenants: db.prepare<[string, string], [string, string]>("SELECT instance_id, id FROM tenants WHERE name LIKE ? ESCAPE '\\' OR slug LIKE ? ESCAPE '\\'").raw()
    },
    folded: {
      instances: db.prepare<[string], string>('SELECT id FROM instances WHERE fold_contains(label, ?)').pluck(),
      tenants: db.prepare<[string, string], [string, string]>('SELECT instance_id, id FROM tenants WHERE fold_contains(name, ?) OR fold_contains(slug, ?)').raw()
    }
  }
  const placeMatches = (text: string | undefined): PlaceMatches => {
    if (text === undefined || text === '') return { instanceIds: [], tenants: [] }
    const ascii = !/[^\p{ASCII}]/u.test(text)
    const needle = ascii ? likePattern(text) : text.toLowerCase()
    const s = ascii ? placeStmts.ascii : placeStmts.folded
    const instanceIds = s.instances.all(needle)
    const inMatched = new Set(instanceIds)
    // A tenant of a matching instance is covered by the instance already.
    const tenants = s.tenants.all(needle, needle).filter(([instanceId]) => !inMatched.has(instanceId))
    return { instanceIds, tenants }
  }
  const filtersOf = (q: InventoryQuery, now: number): Filters => buildFilters(q, now, schema().fts, placeMatches(q.text))

  return {
    queryInventory(q: InventoryQuery, now: number): InventoryPage {
      const filters = filtersOf(q, now)
      const where = whereAll(filters)
      const { params } = filters
      const limit = Math.max(1, Math.min(Math.floor(q.limit ?? DEFAULT_LIMIT), MAX_LIMIT))
      const offset = Math.max(0, Math.floor(q.offset ?? 0))
      const column = q.sort?.column ?? 'name'
      const dir = q.sort?.direction === 'desc' ? 'DESC' : 'ASC'

      if (column !== 'status') {
        const total = count(filters, q.count === 'capped')
        const rows = page({ where, params, column, dir, offset, limit, matching: total.n, matchingExact: total.exact })
        return { rows: rows.map((r) => toRow(r, now)), total: total.n, totalExact: total.exact }
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
        rows.push(...page({ where: segmentWhere, params, column: 'name', dir, offset: skip, limit: limit - rows.length, matching, matchingExact: true }))
        skip = 0
      }
      return { rows: rows.map((r) => toRow(r, now)), total, totalExact: true }
    },
    countInventory(q: InventoryQuery, now: number): number {
      return count(filtersOf(q, now), false).n
    },
    /** Every tenant's status counts, kept on write (tenant-counts.ts). */
    statusCounts(now: number): TenantStatusCounts[] {
      return tenantCounts.statusCounts(now)
    }
  }
}

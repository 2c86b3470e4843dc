// Cache benchmark: 2,000 tenants x 100 keys = 200,000 keys in a real SQLite file.
//   Write: the first fill of an empty cache as a sync writes it (a bulk load: rows first,
//          indexes, full-text entries and counts built once at the end; groups of 64 tenants
//          per commit), against the same fill row by row with every index kept (at 250
//          tenants: row by row at 2,000 takes minutes); a full re-sync of every tenant (one
//          transaction per tenant) in which every key changed (each was used again since the
//          last sync, see touched()), so all 200,000 rows are rewritten; a re-sync with nothing
//          changed. Bytes written per row (WAL included) are the write amplification.
//   Series: the bulk fill and one grouped full re-sync at 250, 500, 1,000 and 2,000 tenants.
//   Read:  the inventory queries the UI issues, through queryInventory, repeated: p50/p95.
//   Baseline (same run): a copy of the file without the indexes: every index the migrations
//          created is dropped, and the FTS5 trigram search table with its triggers, so text
//          search becomes the LIKE scan the code already uses for 1-2 character searches
//          (queryInventory falls back to it on a file without keys_fts). The same code runs on it.
//   Queries are sent as the UI sends them: a page with a capped count (exact up to 1,000
//   matches, else "1,000+"); the exact count the UI asks for after painting is timed apart.
// Run alone: npx tsx bench/cache/index.ts
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openCache, type Cache, type InventoryQuery, type ServerKey } from '../../src/core/cache'
import { COUNT_CAP, createInventoryQueries } from '../../src/core/cache/inventory-query'
import { openDatabase } from '../../src/core/cache/open'
import { DEFAULT_EXPIRY_SETTINGS } from '../../src/core/expiry/types'
import { planHorizon, planWarnings } from '../../src/core/expiry/schedule'
import { GROUP_COMMIT_MAX_BATCH } from '../../src/core/sync/group-commit'
import { makeKeys, makeTenants, prng, type BenchTenant } from '../support/data'
import { figure, printStandalone, type BenchResult, type Figure } from '../support/report'
import { median, percentile, round } from '../support/stats'

const TENANTS = Number(process.env.BENCH_CACHE_TENANTS ?? 2000)
const KEYS_PER_TENANT = Number(process.env.BENCH_CACHE_KEYS ?? 100)
const INSTANCE_ID = 'bench-instance'
const DAY = 86_400_000
const QUERY_P95_MS = 15
const STATUS_COUNTS_MS = 5
/** Smaller sizes of the scaling series (the full size is the main run). */
const SERIES = [250, 500, 1000].filter((n) => n < TENANTS)
const REWRITE_MS = 3000
/** Repetitions per query: project up to REPS; the (slow) baseline until BASELINE_BUDGET_MS is spent. */
const REPS = 60
const BASELINE_MIN_REPS = 5
const BASELINE_BUDGET_MS = 2500
/** Project queries: REPS, or fewer when a query is so slow that this budget is spent. */
const PROJECT_BUDGET_MS = 2500
/** A write pass that takes longer is stopped and extrapolated (keeps `npm run bench` bounded). */
const WRITE_PASS_BUDGET_MS = Number(process.env.BENCH_CACHE_WRITE_BUDGET_MS ?? 60_000)
const BASELINE_WRITE_BUDGET_MS = 8_000

const progress = (line: string): void => { process.stderr.write(`${line}\n`) }

type QueryFn = (q: InventoryQuery, now: number) => { rows: unknown[]; total: number }

interface NamedQuery {
  name: string
  query: InventoryQuery
  /** Part of the issue's list (has the p95 target); extras are reported without one. */
  targeted: boolean
}

/** What the UI sends: name order unless asked otherwise, one page. */
const UI_PAGE = 100
/** As InventoryStore.load sends it. */
const UI_COUNT = 'capped' as const
const QUERIES: NamedQuery[] = [
  { name: 'text search "billing"', query: { text: 'billing', limit: UI_PAGE }, targeted: true },
  { name: 'status filter (in grace)', query: { statuses: ['grace'], limit: UI_PAGE }, targeted: true },
  { name: 'status filter (active)', query: { statuses: ['active'], limit: UI_PAGE }, targeted: true },
  { name: 'expiring within 7 days', query: { expiringWithinMs: 7 * DAY, limit: UI_PAGE }, targeted: true },
  { name: 'sort by grace end', query: { sort: { column: 'graceEndsAt', direction: 'asc' }, limit: UI_PAGE }, targeted: true },
  { name: 'unused for 90 days', query: { unusedForDays: 90, limit: UI_PAGE }, targeted: true },
  { name: 'one page of 100', query: { limit: UI_PAGE }, targeted: true },
  { name: 'deep page (offset 100,000)', query: { offset: 100_000, limit: UI_PAGE }, targeted: false },
  { name: 'text search, 2 chars "bi"', query: { text: 'bi', limit: UI_PAGE }, targeted: false },
  { name: 'text search in scopes "storage:wr"', query: { text: 'storage:wr', limit: UI_PAGE }, targeted: false },
  { name: 'text search in tenant names "globex"', query: { text: 'globex', limit: UI_PAGE }, targeted: false }
]

function timeIt(fn: () => void): number {
  const t0 = performance.now()
  fn()
  return performance.now() - t0
}

interface FillResult {
  /** Wall time of the whole pass; extrapolated from the rows done when it hit `budgetMs`. */
  ms: number
  rows: number
  tenantsDone: number
  extrapolated: boolean
  bytes: number
  /** Of `ms`: bringing the last-used index up to date at the end (refreshLastUsedIndex). */
  refreshMs: number
}

/** One replaceTenantKeys (one transaction) per tenant, stopping after `budgetMs`. */
function fill(cache: Cache, tenantIds: string[], keys: ServerKey[][], syncedAt: string, budgetMs = Infinity): FillResult {
  let rows = 0
  let done = 0
  const bytes0 = bytesWritten()
  const t0 = performance.now()
  for (let i = 0; i < tenantIds.length; i++) {
    const list = keys[i] ?? []
    cache.replaceManyTenantKeys([{ instanceId: INSTANCE_ID, tenantId: tenantIds[i] as string, keys: list, syncedAt }])
    rows += list.length
    done++
    if (performance.now() - t0 > budgetMs) break
  }
  // As sync does at its end: the pass is done when the last-used index is current.
  const r0 = performance.now()
  cache.refreshLastUsedIndex()
  const refreshMs = performance.now() - r0
  const elapsed = performance.now() - t0
  const all = keys.reduce((n, l) => n + l.length, 0)
  return { ms: done < tenantIds.length ? elapsed * (all / rows) : elapsed, rows, tenantsDone: done, extrapolated: done < tenantIds.length, bytes: bytesWritten() - bytes0, refreshMs }
}

/**
 * The same pass through replaceManyTenantKeys, GROUP_COMMIT_MAX_BATCH tenants per transaction;
 * with `bulk`, into an empty cache as a first sync writes it (beginBulkLoad ... finishBulkLoad,
 * whose share is `finishMs`).
 */
async function fillGrouped(cache: Cache, tenantIds: string[], keys: ServerKey[][], syncedAt: string, bulk = false): Promise<FillResult & { finishMs: number }> {
  const bytes0 = bytesWritten()
  const t0 = performance.now()
  if (bulk && !cache.beginBulkLoad()) throw new Error('bulk load: the cache is not empty')
  let rows = 0
  for (let i = 0; i < tenantIds.length; i += GROUP_COMMIT_MAX_BATCH) {
    const items = tenantIds.slice(i, i + GROUP_COMMIT_MAX_BATCH).map((tenantId, j) => ({ instanceId: INSTANCE_ID, tenantId, keys: keys[i + j] ?? [], syncedAt }))
    for (const outcome of cache.replaceManyTenantKeys(items)) if (!outcome.ok) throw outcome.error
    rows += items.reduce((n, it) => n + it.keys.length, 0)
  }
  const f0 = performance.now()
  if (bulk) await cache.finishBulkLoad()
  const finishMs = performance.now() - f0
  const r0 = performance.now()
  cache.refreshLastUsedIndex()
  const refreshMs = performance.now() - r0
  return { ms: performance.now() - t0, rows, tenantsDone: tenantIds.length, extrapolated: false, bytes: bytesWritten() - bytes0, refreshMs, finishMs }
}

/** A fresh cache file with the instance and `tenants` in it. */
function freshCache(file: string, tenants: BenchTenant[], now: number): Cache {
  const cache = openCache(file)
  cache.upsertInstance({ id: INSTANCE_ID, label: 'bench', baseUrl: 'http://127.0.0.1:9', authKind: 'password', email: 'bench@example.invalid', addedAt: new Date(now).toISOString(), insecureTransport: false, caBundle: null })
  cache.upsertTenants(INSTANCE_ID, tenants)
  for (const t of tenants) cache.setTenantSelected(INSTANCE_ID, t.id, true)
  return cache
}

export interface CacheSeriesPoint { tenants: number; keys: number; fillMs: number; finishMs: number; fillKBPerRow: number; resyncMs: number; resyncKBPerRow: number; fileMB: number }

const fileMB = (file: string): number => {
  try {
    return statSync(file).size / 2 ** 20
  } catch {
    return Number.NaN
  }
}

const describeFill = (r: FillResult & { finishMs?: number }, total: number): string =>
  `${r.ms.toFixed(0)} ms${r.extrapolated ? ` (extrapolated from ${r.tenantsDone} tenants / ${r.rows.toLocaleString()} rows in the time budget)` : ''}` +
  `, ${Math.round(total / (r.ms / 1000)).toLocaleString()} rows/s, ${(r.bytes / 2 ** 20).toFixed(0)} MB written (${(r.bytes / r.rows / 1024).toFixed(1)} KB per row)` +
  (r.finishMs !== undefined && r.finishMs >= 1 ? `, of which ${r.finishMs.toFixed(0)} ms building the indexes, full-text entries and counts at the end` : '') +
  (r.refreshMs >= 1 ? `, of which ${r.refreshMs.toFixed(0)} ms refreshing the last-used index at the end` : '')

/** Minutes between two syncs in the rewrite model. */
const SYNC_INTERVAL_MIN = 5

/**
 * A re-sync after traffic in which every key changed. A key used since the previous sync has
 * its last_used_at inside that interval (a server only ever moves a last use to the present),
 * so each key's last use becomes a random moment of the last SYNC_INTERVAL_MIN minutes before
 * `syncAt`; keys never used get a new hourly rate limit instead. Every row is rewritten.
 * The first such pass moves every last use from its spread-out past to "recent" (entries move
 * across the whole last-used index); the passes after it are the steady state.
 */
function touched(keys: ServerKey[][], syncAt: number, seed: number): ServerKey[][] {
  const rand = prng(seed)
  return keys.map((list) => list.map((k) => k.lastUsedAt
    ? { ...k, lastUsedAt: new Date(syncAt - Math.floor(rand() * SYNC_INTERVAL_MIN * 60_000)).toISOString() }
    : { ...k, rateLimitPerHour: 1000 + seed }))
}

/** Bytes this process has written (all files, WAL included): /proc/self/io wchar. */
function bytesWritten(): number {
  try {
    const m = /wchar:\s*(\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))
    return m ? Number(m[1]) : Number.NaN
  } catch {
    return Number.NaN
  }
}

function measure(run: QueryFn, q: InventoryQuery, now: number, maxReps: number, budgetMs: number): { samples: number[]; total: number } {
  // Warm-up: prepares the statement and pulls the pages into SQLite's cache.
  const first = run(q, now)
  run(q, now)
  const samples: number[] = []
  const started = performance.now()
  for (let i = 0; i < maxReps; i++) {
    samples.push(timeIt(() => run(q, now)))
    if (i + 1 >= BASELINE_MIN_REPS && performance.now() - started > budgetMs) break
  }
  return { samples, total: first.total }
}

/**
 * The baseline: a copy of the cache file without its indexes. The file's user_version stays
 * at the current schema, so opening it (openDatabase: same pragmas as the app) runs no
 * migration and nothing is re-created; checked below.
 */
function openBaseline(source: string, target: string): { query: QueryFn; cache: Cache; dropped: string[]; close(): Promise<void> } {
  copyFileSync(source, target)
  const raw = new Database(target)
  const indexes = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all()
  const triggers = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keys_fts%'").all()
  raw.transaction(() => {
    for (const t of triggers) raw.exec(`DROP TRIGGER "${t.name}"`)
    raw.exec('DROP TABLE IF EXISTS keys_fts')
    for (const i of indexes) raw.exec(`DROP INDEX "${i.name}"`)
  })()
  raw.exec('VACUUM')
  raw.close()
  const cache = openCache(target) // for writes (replaceTenantKeys) on the baseline
  const { db } = openDatabase(target, () => undefined)
  const left = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").get()?.n
  if (left !== 0) throw new Error(`the baseline copy still has ${String(left)} indexes after opening: migrations re-created them`)
  // Without keys_fts, queryInventory answers every text search with its LIKE scan.
  const queries = createInventoryQueries(db)
  return {
    query: (q, now) => queries.queryInventory(q, now),
    cache,
    dropped: [...indexes.map((i) => i.name), 'keys_fts (+ triggers)'],
    close() {
      db.close()
      return cache.close()
    }
  }
}

export async function runCacheBench(): Promise<BenchResult> {
  const started = performance.now()
  const dir = mkdtempSync(join(tmpdir(), 'fbk-bench-cache-'))
  const figures: Figure[] = []
  const details: string[] = []
  const raw: Record<string, unknown> = { tenants: TENANTS, keysPerTenant: KEYS_PER_TENANT }
  const f = (name: string, value: number | null, unit: string, target: Figure['target'] = null, note?: string) =>
    figures.push(figure('cache', name, value === null ? null : round(value), unit, target, note))
  try {
    const now = Date.now()
    const tenants = makeTenants(TENANTS, 7)
    const tenantIds = tenants.map((t) => t.id)
    const keysA = tenants.map((_, i) => makeKeys(KEYS_PER_TENANT, 1000 + i, now))
    const total = TENANTS * KEYS_PER_TENANT

    // Row by row with every index (the way a first fill went before bulk loading), at 250
    // tenants, against the bulk load of the same rows, in the same run.
    const small = Math.min(250, TENANTS)
    {
      const rowFile = join(dir, 'row-by-row.sqlite')
      const c1 = freshCache(rowFile, tenants.slice(0, small), now)
      progress(`cache: first fill of ${(small * KEYS_PER_TENANT).toLocaleString()} keys row by row (every index kept, ${GROUP_COMMIT_MAX_BATCH} tenants per commit)`)
      const rowByRow = await fillGrouped(c1, tenantIds.slice(0, small), keysA.slice(0, small), new Date(now).toISOString(), false)
      await c1.close()
      const bulkFile = join(dir, 'bulk-small.sqlite')
      const c2 = freshCache(bulkFile, tenants.slice(0, small), now)
      progress(`cache: the same ${(small * KEYS_PER_TENANT).toLocaleString()} keys as a bulk load`)
      const bulkSmall = await fillGrouped(c2, tenantIds.slice(0, small), keysA.slice(0, small), new Date(now).toISOString(), true)
      await c2.close()
      rmSync(rowFile, { force: true })
      rmSync(bulkFile, { force: true })
      const n = small * KEYS_PER_TENANT
      details.push(`write: first fill of ${n.toLocaleString()} keys row by row, every index kept: ${describeFill(rowByRow, n)}`)
      details.push(`write: the same ${n.toLocaleString()} keys as a bulk load: ${describeFill(bulkSmall, n)}; ${(rowByRow.ms / bulkSmall.ms).toFixed(1)}x faster, ${(rowByRow.bytes / Math.max(1, bulkSmall.bytes)).toFixed(1)}x fewer bytes written`)
      f(`first fill at ${n.toLocaleString()} keys: bulk load vs row by row`, rowByRow.ms / bulkSmall.ms, 'x', null, 'extra')
      raw.smallFill = { rowByRow, bulk: bulkSmall }
    }

    const file = join(dir, 'inventory.sqlite')
    let cache = freshCache(file, tenants, now)

    progress(`cache: first fill of ${total.toLocaleString()} keys as a first sync writes it (bulk load, ${GROUP_COMMIT_MAX_BATCH} tenants per commit)`)
    const initial = await fillGrouped(cache, tenantIds, keysA, new Date(now).toISOString(), true)
    progress('cache: re-sync with nothing changed')
    const unchanged = fill(cache, tenantIds, keysA, new Date(now + 1).toISOString(), WRITE_PASS_BUDGET_MS)
    // The reads run on this state (the mix of statuses and last uses the fixtures describe);
    // the rewrites below go on in the original file.
    await cache.close()
    const readsFile = join(dir, 'reads.sqlite')
    copyFileSync(file, readsFile)
    cache = openCache(file)
    // Full re-syncs in which every key changed, SYNC_INTERVAL_MIN apart: the first moves every
    // last use to "recent", the next two are the steady state (the figure is their median).
    const rewrites: FillResult[] = []
    for (let v = 1; v <= 3; v++) {
      progress(`cache: full re-sync ${v}, every key changed`)
      const syncAt = now + v * SYNC_INTERVAL_MIN * 60_000
      rewrites.push(fill(cache, tenantIds, touched(keysA, syncAt, v), new Date(syncAt).toISOString(), WRITE_PASS_BUDGET_MS))
    }
    // The same change as the sync writes it: group commit, a savepoint per tenant.
    progress(`cache: full re-sync 4, every key changed, in batches of ${GROUP_COMMIT_MAX_BATCH} tenants`)
    const syncAt4 = now + 4 * SYNC_INTERVAL_MIN * 60_000
    const grouped = await fillGrouped(cache, tenantIds, touched(keysA, syncAt4, 4), new Date(syncAt4).toISOString())
    const steady = rewrites.slice(1)
    const rewriteMs = median(steady.map((r) => r.ms))
    const extrapolated = steady.some((r) => r.extrapolated)
    f('full re-sync, all 200k rows rewritten', rewriteMs, 'ms', { kind: 'max', limit: REWRITE_MS }, extrapolated ? 'extrapolated' : undefined)
    f('full re-sync write rate', total / (rewriteMs / 1000), 'rows/s')
    f(`full re-sync as sync writes it (${GROUP_COMMIT_MAX_BATCH} tenants per commit)`, grouped.ms, 'ms', null, 'extra')
    details.push(`data: ${TENANTS.toLocaleString()} tenants x ${KEYS_PER_TENANT} keys = ${total.toLocaleString()} keys in a real SQLite file`)
    details.push(`write: first fill of an empty cache (bulk load): ${describeFill(initial, total)}`)
    f(`first fill of ${total.toLocaleString()} keys, writes alone (bulk load)`, initial.ms, 'ms')
    f('first fill: bytes written per row (WAL included)', initial.bytes / total / 1024, 'KB')
    details.push(`write: full re-sync, nothing changed: ${describeFill(unchanged, total)}`)
    for (const [i, r] of rewrites.entries()) {
      details.push(`write: full re-sync ${i + 1}, every key changed${i === 0 ? ' (every last use moves from the past to the last 5 min)' : ' (steady state)'}: ${describeFill(r, total)}`)
    }
    details.push(`write: full re-sync 4, every key changed, group commit of ${GROUP_COMMIT_MAX_BATCH} tenants (a savepoint each), as GroupCommitWriter writes a sync: ${describeFill(grouped, total)}`)
    raw.write = { initial, unchanged, rewrites, grouped }

    // A closed file (WAL checkpointed, planner statistics optimized) is what the app reopens.
    await cache.close()
    cache = openCache(readsFile)
    progress('cache: queries on the project and on the no-index baseline')
    const baseline = openBaseline(readsFile, join(dir, 'baseline.sqlite'))
    details.push(`baseline: copy without ${baseline.dropped.length - 1} indexes and the FTS table (${baseline.dropped.join(', ')})`)

    const project: QueryFn = (q, n) => cache.queryInventory({ ...q, count: UI_COUNT }, n)
    const projectCount: QueryFn = (q, n) => ({ rows: [], total: cache.countInventory(q, n) })
    const queryRaw: Record<string, unknown> = {}
    for (const nq of QUERIES) {
      const p = measure(project, nq.query, now, REPS, PROJECT_BUDGET_MS)
      const b = measure((q, n) => baseline.query({ ...q, count: UI_COUNT }, n), nq.query, now, REPS, BASELINE_BUDGET_MS)
      if (p.total !== b.total) throw new Error(`${nq.name}: project and baseline disagree (${p.total} vs ${b.total} rows)`)
      const exact = measure(projectCount, nq.query, now, 20, PROJECT_BUDGET_MS)
      const p50 = percentile(p.samples, 50)
      const p95 = percentile(p.samples, 95)
      const b50 = percentile(b.samples, 50)
      f(`${nq.name}: p95`, p95, 'ms', nq.targeted ? { kind: 'max', limit: QUERY_P95_MS } : null, nq.targeted ? undefined : 'extra')
      details.push(
        `read ${nq.name.padEnd(28)} total ${p.total === COUNT_CAP ? `${COUNT_CAP}+` : String(p.total)} | project p50 ${p50.toFixed(2)} p95 ${p95.toFixed(2)} ms (n=${p.samples.length})` +
          ` | exact count ${exact.total} after paint p50 ${percentile(exact.samples, 50).toFixed(2)} p95 ${percentile(exact.samples, 95).toFixed(2)} ms` +
          ` | no-index baseline p50 ${b50.toFixed(1)} p95 ${percentile(b.samples, 95).toFixed(1)} ms (n=${b.samples.length}) | ratio ${(b50 / p50).toFixed(1)}x`
      )
      queryRaw[nq.name] = { query: nq.query, total: p.total, exactTotal: exact.total, project: p.samples, exactCount: exact.samples, baseline: b.samples }
    }
    raw.queries = queryRaw

    // Status counts per tenant: what tenants.list (and so the UI's start) asks for.
    // Maintained on write: read at `now`, the correction (keys whose expiry or grace end lies
    // between the counts' instant and now) is small; an hour later too.
    // Asked at the moment of the call, as the host asks (`now` above is older than the writes).
    const counts = measure(() => ({ rows: cache.statusCounts(Date.now()), total: 0 }), {}, now, 40, 3000)
    const later = measure(() => ({ rows: cache.statusCounts(Date.now() + 3_600_000), total: 0 }), {}, now, 40, 3000)
    f(`status counts of ${TENANTS.toLocaleString()} tenants (tenants.list), p95`, percentile(counts.samples, 95), 'ms', { kind: 'max', limit: STATUS_COUNTS_MS })
    details.push(`read statusCounts (tenants.list, asked at UI start), maintained on write: p50 ${percentile(counts.samples, 50).toFixed(2)} ms p95 ${percentile(counts.samples, 95).toFixed(2)} ms (n=${counts.samples.length}); an hour later p50 ${percentile(later.samples, 50).toFixed(2)} ms p95 ${percentile(later.samples, 95).toFixed(2)} ms`)
    raw.statusCountsMs = counts.samples
    raw.statusCountsLaterMs = later.samples

    // One look of the expiry schedule, as the runner takes it on every wake-up: the keys its
    // horizon reaches, streamed through the plan. The first look sends what is due (marked
    // notified); the figure is the steady state after it, every past stage already sent.
    const look = (): { ms: number; read: number; due: number } => {
      const t0 = performance.now()
      let read = 0
      const at = Date.now()
      const keys = (function* (all: ReturnType<Cache['scheduledKeys']>) {
        for (const k of all) {
          read++
          yield k
        }
      })(cache.scheduledKeys(planHorizon(at, DEFAULT_EXPIRY_SETTINGS, 0, 120_000)))
      const plan = planWarnings(at, keys, cache.notifiedIds(), DEFAULT_EXPIRY_SETTINGS)
      const ms = performance.now() - t0
      cache.markManyNotified(plan.due.map((w) => w.id), new Date(at).toISOString())
      return { ms, read, due: plan.due.length }
    }
    const firstLook = look()
    const looks = Array.from({ length: 5 }, look)
    const lookMs = median(looks.map((l) => l.ms))
    f('expiry schedule: one look at the keys its horizon reaches (median of 5)', lookMs, 'ms', null, 'extra')
    details.push(`schedule: the first look read ${firstLook.read.toLocaleString()} keys and sent ${firstLook.due.toLocaleString()} warnings in ${firstLook.ms.toFixed(0)} ms; each later look (nothing new due) ${looks.map((l) => l.ms.toFixed(0)).join(' / ')} ms, ${((lookMs * 1000) / Math.max(1, firstLook.read)).toFixed(1)} µs per key read`)
    raw.scheduleLook = { first: firstLook, later: looks }

    progress('cache: full re-sync on the no-index baseline')
    const bWrite = fill(baseline.cache, tenantIds, touched(keysA, now + 9 * SYNC_INTERVAL_MIN * 60_000, 9), new Date(now + 9 * SYNC_INTERVAL_MIN * 60_000).toISOString(), BASELINE_WRITE_BUDGET_MS)
    details.push(`write baseline: full re-sync, every key changed, on the no-index copy: ${describeFill(bWrite, total)}` +
      ' (without keys_by_ref each tenant\'s read-before-write scans the whole table)')
    raw.baselineWrite = bWrite
    await baseline.close()
    await cache.close()

    // The series: each size in a file of its own, written as a sync writes it.
    const series: CacheSeriesPoint[] = []
    for (const n of SERIES) {
      progress(`cache: series, ${n} tenants: bulk fill + one full re-sync, every key changed`)
      const sFile = join(dir, `series-${n}.sqlite`)
      const sc = freshCache(sFile, tenants.slice(0, n), now)
      const fillR = await fillGrouped(sc, tenantIds.slice(0, n), keysA.slice(0, n), new Date(now).toISOString(), true)
      const reR = await fillGrouped(sc, tenantIds.slice(0, n), touched(keysA.slice(0, n), syncAt4, 4), new Date(syncAt4).toISOString())
      await sc.close()
      series.push({ tenants: n, keys: n * KEYS_PER_TENANT, fillMs: fillR.ms, finishMs: fillR.finishMs, fillKBPerRow: fillR.bytes / fillR.rows / 1024, resyncMs: reR.ms, resyncKBPerRow: reR.bytes / reR.rows / 1024, fileMB: fileMB(sFile) })
      rmSync(sFile, { force: true })
    }
    series.push({ tenants: TENANTS, keys: total, fillMs: initial.ms, finishMs: initial.finishMs, fillKBPerRow: initial.bytes / total / 1024, resyncMs: grouped.ms, resyncKBPerRow: grouped.bytes / total / 1024, fileMB: fileMB(readsFile) })
    details.push(`series (${series.map((p) => p.tenants).join(', ')} tenants): bulk fill ${series.map((p) => p.fillMs.toFixed(0)).join(' / ')} ms (of which building at the end ${series.map((p) => p.finishMs.toFixed(0)).join(' / ')}), ${series.map((p) => p.fillKBPerRow.toFixed(2)).join(' / ')} KB written per row; full re-sync ${series.map((p) => p.resyncMs.toFixed(0)).join(' / ')} ms, ${series.map((p) => p.resyncKBPerRow.toFixed(2)).join(' / ')} KB per row; file ${series.map((p) => p.fileMB.toFixed(0)).join(' / ')} MB`)
    raw.series = series
    return { bench: 'cache', figures, details, raw, durationMs: performance.now() - started }
  } catch (error) {
    return { bench: 'cache', figures, details, raw, durationMs: performance.now() - started, error: error instanceof Error ? error.stack ?? error.message : String(error) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  runCacheBench().then((r) => {
    printStandalone(r)
    if (r.error) process.exitCode = 1
  }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  })
}

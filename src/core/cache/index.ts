// The SQLite inventory cache: key metadata, tenants, instances, the action log, sent
// notifications, sync runs and settings. Plain Node (better-sqlite3), never electron.
// It holds no secret: there is no column for a key value, token or password.
import { createActionLog } from './actions'
import { createBulkLoad } from './bulk-load'
import { runOnWriterThread, WriterThreadUnavailable, type RunningJob } from './writer-thread'
import { createTenantCounts, fillAllTenantCountsSql } from './tenant-counts'
import { createInstanceStore } from './instances'
import { startCheckpointer } from './checkpointer'
import { createInventoryQueries } from './inventory-query'
import { createKeyStore, LAST_USED_CLEAR_SQL, LAST_USED_REFRESH_SQL } from './keys'
import { createLocalFactsQuery } from './local-facts'
import { createNotificationStore } from './notifications'
import { openDatabase, secureFiles, type Log } from './open'
import { createSettingsStore } from './settings'
import { createSyncRunStore } from './sync-runs'
import { createTenantStore } from './tenants'
import type { InventoryQuery as CacheInventoryQuery } from './types'
import type { Cache } from './types'

export type {
  ActionFilter, ActionRecord, Cache, InventoryPage, InventoryQuery, InventoryRow, LocalKeyFacts, ReplaceOutcome, ReplaceResult, ScheduledKey, ScheduleHorizon, ServerKey,
  SortColumn, TenantReplacement
} from './types'
export { CacheTooNewError, SCHEMA_VERSION } from './migrations'
export type { KeptLocalFacts } from './local-facts'
export { DEFAULT_LIMIT, MAX_LIMIT } from './inventory-query'

const usesLastUsed = (q: CacheInventoryQuery): boolean => q.unusedForDays !== undefined || q.sort?.column === 'lastUsedAt'

export function openCache(file: string, options: { log?: Log } = {}): Cache {
  const log: Log = options.log ?? (() => {})
  const { db, recovery } = openDatabase(file, log)
  const path = db.name
  const checkpointer = startCheckpointer(db, log)
  // Statements are prepared inside one read transaction whose snapshot is taken first, with
  // the busy timeout: preparing a write to keys connects the full-text table, whose own
  // read fails outright ("vtable constructor failed") while another process is setting the
  // file up, instead of waiting as a statement does.
  const { keys, bulk, inventory } = db.transaction(() => {
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    const counts = createTenantCounts(db)
    const bulk = createBulkLoad(db)
    const keys = createKeyStore(db, counts, () => bulk.active())
    return { keys, bulk, inventory: createInventoryQueries(db, bulk, counts) }
  })()
  let closing: Promise<void> | null = null
  // Long writes on the writer thread (writer-thread.ts), one of each kind at a time; close() stops them.
  let finishing: Promise<boolean> | null = null
  let refreshing: Promise<number> | null = null
  const running = new Set<RunningJob<unknown>>()
  const track = <T>(job: RunningJob<T>): RunningJob<T> => {
    running.add(job)
    job.done.then(() => running.delete(job), () => running.delete(job))
    return job
  }
  const hasTenantCounts = (): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tenant_counts'").get() !== undefined
  const cache: Cache = {
    file: path,
    recovery,
    ...createInstanceStore(db),
    ...createTenantStore(db),
    ...keys,
    ...inventory,
    replaceManyTenantKeys(items) {
      checkpointer.writing()
      return keys.replaceManyTenantKeys(items)
    },
    refreshLastUsedIndex() {
      checkpointer.writing()
      return keys.refreshLastUsedIndex()
    },
    beginBulkLoad() {
      checkpointer.writing()
      return bulk.begin()
    },
    refreshLastUsedIndexOffThread() {
      if (refreshing) return refreshing
      if (!keys.lastUsedIndexStale()) return Promise.resolve(0)
      checkpointer.writing()
      const run = track(runOnWriterThread(path, { job: 'refreshLastUsed', refreshSql: LAST_USED_REFRESH_SQL, clearSql: LAST_USED_CLEAR_SQL }))
      refreshing = run.done.then(
        (moved) => {
          keys.lastUsedIndexRefreshedElsewhere()
          return moved
        },
        (err: unknown) => {
          if (!(err instanceof WriterThreadUnavailable) || closing) throw err
          log(`cache: last-used index refreshed on the main thread (${err.message})`)
          return keys.refreshLastUsedIndex()
        }
      ).finally(() => {
        refreshing = null
      })
      return refreshing
    },
    finishBulkLoad() {
      if (finishing) return finishing
      if (!bulk.active()) return Promise.resolve(false)
      checkpointer.writing()
      const started = performance.now()
      const run = track(runOnWriterThread(path, { job: 'finishBulkLoad', countsSql: hasTenantCounts() ? fillAllTenantCountsSql(Date.now()) : '' }))
      finishing = run.done.then(
        (report) => {
          if (!report.finished && closing) {
            log(`cache: first fill's index build stopped at close after ${report.steps.length} step(s); the next open finishes it`)
            return false
          }
          log(`cache: first fill indexed in ${Math.round(performance.now() - started)} ms off the main thread (${report.steps.map((s) => `${s.name} ${Math.round(s.ms)} ms`).join(', ')})`)
          return report.finished
        },
        (err: unknown) => {
          if (!(err instanceof WriterThreadUnavailable) || closing) throw err
          log(`cache: first fill indexed on the main thread (${err.message})`)
          return bulk.finish()
        }
      ).finally(() => {
        finishing = null
        // The worker changed the schema: the next active() reads the marker again.
        bulk.forget()
      })
      return finishing
    },
    // Filters and sorts by last use read the last-used index: bring it up to date first.
    queryInventory(query, now) {
      if (usesLastUsed(query)) keys.refreshLastUsedIndex()
      return inventory.queryInventory(query, now)
    },
    countInventory(query, now) {
      if (usesLastUsed(query)) keys.refreshLastUsedIndex()
      return inventory.countInventory(query, now)
    },
    ...createActionLog(db),
    ...createNotificationStore(db),
    ...createSyncRunStore(db),
    ...createSettingsStore(db),
    ...createLocalFactsQuery(db),
    close() {
      if (closing) return closing
      // A first fill's index build stops after its current step (the next open finishes it); a refresh ends its transaction.
      closing = running.size > 0 ? Promise.all([...running].map((j) => j.stop())).then(closeNow) : closeNow()
      return closing
    }
  }
  function closeNow(): Promise<void> {
    const checkpointerClosed = checkpointer.close()
    try {
      // Keeps planner statistics current for the next start; cheap when nothing changed.
      db.pragma('optimize')
      // The worker's connection may still be open, so closing would not fold the WAL back.
      db.pragma('wal_checkpoint(TRUNCATE)')
    } catch (err) {
      log(`cache: optimize/checkpoint at close failed: ${err instanceof Error ? err.message : String(err)}`)
    }
    db.close()
    return checkpointerClosed
  }
  // -wal/-shm appear with the first write; SQLite copies the main file's mode, but say it.
  secureFiles(path)
  return cache
}

// The SQLite inventory cache: key metadata, tenants, instances, the action log, sent
// notifications, sync runs and settings. Plain Node (better-sqlite3), never electron.
// It holds no secret: there is no column for a key value, token or password.
import { createActionLog } from './actions'
import { createBulkLoad } from './bulk-load'
import { createBackgroundWrites } from './background-writes'
import { createTenantCounts, hasTenantCountsTable } from './tenant-counts'
import { createInstanceStore } from './instances'
import { startCheckpointer } from './checkpointer'
import { createInventoryQueries } from './inventory-query'
import { createKeyStore } from './keys'
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
  const background = createBackgroundWrites({
    file: path, log, bulk, keys, checkpointer,
    hasTenantCounts: () => hasTenantCountsTable(db)
  })
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
    refreshLastUsedIndexOffThread: () => background.refreshLastUsedIndex(),
    finishBulkLoad: () => background.finishBulkLoad(),
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
      // Synchronous when no writer thread holds the file, as before.
      closing = background.busy() ? background.stop().then(closeNow) : closeNow()
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

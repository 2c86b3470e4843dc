// First fill of an empty cache. Every secondary index on keys and every trigger (full-text
// search, status counts, scope sets) costs a random B-tree write per row; a first sync writes
// 200,000 rows, each commit rewriting the index pages it touched: 15-33 s and ~30 KB of WAL
// per row. So while the keys table is filled from empty, those objects are dropped (their DDL
// kept in bulk_load), rows go into the table and keys_by_ref only, and at the end everything
// is built once, sorted: CREATE INDEX, one INSERT ... SELECT into keys_fts.
//
// Crash-safe: beginning (drops + marker) and finishing (re-creates + marker removed) are each
// one transaction. A marker left behind by a crash is finished at the next open, before any
// migration runs (open.ts). Any connection may finish a bulk load another one began (two
// processes may sync the same file): the result is the same. While the marker exists, queries
// do without the missing objects: they scan (inventory-query.ts asks active()).
import type Database from 'better-sqlite3'
import { FTS_FILL_V6 } from './schema'
import { fillAllTenantCounts } from './tenant-counts'

interface Deferred {
  type: 'index' | 'trigger' | 'fill'
  name: string
  sql: string
}

/** The full-text index holds name, key prefix, description and scopes of each row (schema.ts V6). */
const FTS_FILL = FTS_FILL_V6
/** Pending full-text data is flushed as a segment whenever it passes this: larger means fewer, bigger segments to merge. */
const FILL_HASH_BYTES = 8 * 2 ** 20
const DEFAULT_HASH_BYTES = 2 ** 20

/** Finishes a bulk load left behind (by a crash, or by another connection); false when there was none. */
export function finishBulkLoad(db: Database.Database): boolean {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bulk_load'").get() !== undefined
  if (!hasTable) return false
  const tx = db.transaction((): boolean => {
    const row = db.prepare<[], { deferred: string }>('SELECT deferred FROM bulk_load WHERE id = 1').get()
    if (!row) return false
    for (const d of JSON.parse(row.deferred) as Deferred[]) db.exec(d.sql)
    // Tenants were not counted one by one during the fill (keys.ts): all at once now.
    fillAllTenantCounts(db)
    db.prepare('DELETE FROM bulk_load WHERE id = 1').run()
    return true
  })
  // Sorting for CREATE INDEX may use a second core.
  const threads = db.pragma('threads', { simple: true })
  db.pragma('threads = 2')
  try {
    return tx.immediate()
  } finally {
    db.pragma(`threads = ${Number(threads) || 0}`)
  }
}

export function createBulkLoad(db: Database.Database) {
  const version = db.prepare<[], number>('PRAGMA schema_version').pluck()
  const marker = db.prepare<[], number>('SELECT 1 FROM bulk_load WHERE id = 1').pluck()
  const anyKey = db.prepare<[], number>('SELECT 1 FROM keys LIMIT 1').pluck()
  const deferrable = db.prepare<[], { type: 'index' | 'trigger'; name: string; sql: string }>(
    // The unique index stays: it keeps ids unique and finds a tenant's rows for the next write.
    `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'keys' AND sql IS NOT NULL
     AND ((type = 'index' AND name <> 'keys_by_ref') OR type = 'trigger') ORDER BY type, name`
  )
  const insertMarker = db.prepare<[string, string]>('INSERT INTO bulk_load (id, started, deferred) VALUES (1, ?, ?)')
  let seenVersion = -1
  let isActive = false

  const beginTx = db.transaction((): boolean => {
    if (marker.get() !== undefined || anyKey.get() !== undefined) return false
    const objects = deferrable.all()
    for (const o of objects) db.exec(`DROP ${o.type === 'index' ? 'INDEX' : 'TRIGGER'} "${o.name.replace(/"/g, '""')}"`)
    // Re-created in this order: indexes, then the derived data, then the triggers that keep it.
    const deferred: Deferred[] = [
      ...objects.filter((o) => o.type === 'index'),
      { type: 'fill', name: 'keys_fts', sql: `INSERT INTO keys_fts (keys_fts) VALUES ('delete-all'); INSERT INTO keys_fts (keys_fts, rank) VALUES ('hashsize', ${FILL_HASH_BYTES}); ${FTS_FILL}; INSERT INTO keys_fts (keys_fts, rank) VALUES ('hashsize', ${DEFAULT_HASH_BYTES});` },
      ...objects.filter((o) => o.type === 'trigger')
    ]
    insertMarker.run(new Date().toISOString(), JSON.stringify(deferred))
    return true
  })

  return {
    /**
     * Starts a bulk load when the keys table is empty and none is under way; true when this
     * call started it (the caller then calls finish() when its writes are done).
     */
    begin(): boolean {
      const started = beginTx.immediate()
      if (started) isActive = true
      return started
    },
    /** Builds what begin() deferred; false when no bulk load was under way. Idempotent. */
    finish(): boolean {
      const done = finishBulkLoad(db)
      isActive = false
      seenVersion = -1
      return done
    },
    /** Forgets what active() last read: another connection (the finisher's thread) changed the file. */
    forget(): void {
      seenVersion = -1
    },
    /** Whether a bulk load is under way (begun by any connection): the derived tables are incomplete. */
    active(): boolean {
      // begin and finish change the schema: look at the marker only when it did.
      const v = version.get() ?? 0
      if (v !== seenVersion) {
        seenVersion = v
        isActive = marker.get() !== undefined
      }
      return isActive
    }
  }
}

export type BulkLoad = ReturnType<typeof createBulkLoad>

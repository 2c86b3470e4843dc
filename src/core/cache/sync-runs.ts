// One row per sync run: when it ran and how it went (a record for support and the log).
import type Database from 'better-sqlite3'

export function createSyncRunStore(db: Database.Database) {
  const start = db.prepare<[string, number]>('INSERT INTO sync_runs (started_at, tenants) VALUES (?, ?)')
  const finish = db.prepare<[string, number, number, number, number]>(
    'UPDATE sync_runs SET finished_at = ?, ok = ?, failed = ?, cancelled = ? WHERE id = ?'
  )
  return {
    startSyncRun: (startedAt: string, tenants: number): number => Number(start.run(startedAt, tenants).lastInsertRowid),
    finishSyncRun(id: number, r: { finishedAt: string; ok: number; failed: number; cancelled: boolean }) {
      if (finish.run(r.finishedAt, r.ok, r.failed, r.cancelled ? 1 : 0, id).changes === 0) throw new Error(`Sync run ${id} is unknown.`)
    }
  }
}

// One row per "sync all": when it ran and how it went, for the status bar.
import type Database from 'better-sqlite3'
import type { SyncRun } from './types'

interface SyncRunRow {
  id: number
  started_at: string
  finished_at: string | null
  tenants: number
  ok: number
  failed: number
  cancelled: number
}

export function createSyncRunStore(db: Database.Database) {
  const start = db.prepare<[string, number]>('INSERT INTO sync_runs (started_at, tenants) VALUES (?, ?)')
  const finish = db.prepare<[string, number, number, number, number]>(
    'UPDATE sync_runs SET finished_at = ?, ok = ?, failed = ?, cancelled = ? WHERE id = ?'
  )
  const last = db.prepare<[], SyncRunRow>('SELECT * FROM sync_runs ORDER BY id DESC LIMIT 1')
  return {
    startSyncRun: (startedAt: string, tenants: number): number => Number(start.run(startedAt, tenants).lastInsertRowid),
    finishSyncRun(id: number, r: { finishedAt: string; ok: number; failed: number; cancelled: boolean }) {
      if (finish.run(r.finishedAt, r.ok, r.failed, r.cancelled ? 1 : 0, id).changes === 0) throw new Error(`Sync run ${id} is unknown.`)
    },
    lastSyncRun(): SyncRun | null {
      const r = last.get()
      if (!r) return null
      return { id: r.id, startedAt: r.started_at, finishedAt: r.finished_at, tenants: r.tenants, ok: r.ok, failed: r.failed, cancelled: r.cancelled === 1 }
    }
  }
}

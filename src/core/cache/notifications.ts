// Expiry warnings already sent: each warning id is notified once, across restarts.
import type Database from 'better-sqlite3'

export function createNotificationStore(db: Database.Database) {
  // The first time wins: re-marking must not move the recorded time.
  const mark = db.prepare<[string, string]>('INSERT INTO notifications (warning_id, at) VALUES (?, ?) ON CONFLICT (warning_id) DO NOTHING')
  const all = db.prepare<[], string>('SELECT warning_id FROM notifications').pluck()
  const markMany = db.transaction((warningIds: readonly string[], at: string) => {
    for (const id of warningIds) mark.run(id, at)
  })
  return {
    /** One transaction for a whole plan: a first sync can make thousands of warnings due. */
    markManyNotified(warningIds: readonly string[], at: string): void {
      markMany(warningIds, at)
    },
    notifiedIds: (): Set<string> => new Set(all.all())
  }
}

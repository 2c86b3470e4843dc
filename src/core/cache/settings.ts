// Settings as JSON values under string keys. Schema checks belong to the caller (the contract).
import type Database from 'better-sqlite3'

export function createSettingsStore(db: Database.Database) {
  const get = db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck()
  const set = db.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
  const del = db.prepare<[string]>('DELETE FROM settings WHERE name = ?')
  return {
    getSetting<T>(key: string, fallback: T): T {
      const raw = get.get(key)
      if (raw === undefined) return fallback
      try {
        return JSON.parse(raw) as T
      } catch {
        return fallback
      }
    },
    setSetting(key: string, value: unknown) {
      // undefined has no JSON form: storing it means "back to the fallback".
      if (value === undefined) del.run(key)
      else set.run(key, JSON.stringify(value))
    }
  }
}

// Numbered schema migrations, tracked with PRAGMA user_version. All pending migrations run
// in one transaction at open: a crash half-way leaves the previous version intact.
import type Database from 'better-sqlite3'
import { SCHEMA_V1, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7 } from './schema'

export interface Migration {
  version: number
  up: string | ((db: Database.Database) => void)
}

/** Append only; versions are consecutive from 1. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, up: SCHEMA_V1 },
  // Last use as written by a re-sync, apart from the indexed last_used_ms (see keys.ts).
  { version: 2, up: 'ALTER TABLE keys ADD COLUMN used_ms INTEGER; UPDATE keys SET used_ms = last_used_ms;' },
  // Replace-with-a-new-key pairs, and whether each server can update a key in place.
  {
    version: 3,
    up: `ALTER TABLE keys ADD COLUMN local_replaced_by TEXT;
         ALTER TABLE instances ADD COLUMN update_support TEXT NOT NULL DEFAULT 'unknown' CHECK (update_support IN ('unknown', 'supported', 'unsupported'));
         ALTER TABLE instances ADD COLUMN update_checked_at TEXT;`
  },
  // How each instance is reached: the operator's insecure-transport choice, a private CA bundle.
  {
    version: 4,
    up: `ALTER TABLE instances ADD COLUMN insecure_transport INTEGER NOT NULL DEFAULT 0 CHECK (insecure_transport IN (0, 1));
         ALTER TABLE instances ADD COLUMN ca_bundle_path TEXT;
         ALTER TABLE instances ADD COLUMN ca_fingerprint TEXT;`
  },
  // The first-fill marker (bulk-load.ts).
  { version: 5, up: SCHEMA_V5 },
  // Scopes in the full-text index (search covers them).
  { version: 6, up: SCHEMA_V6 },
  // Status counts per tenant, kept on write (tenant-counts.ts); filled as tenants are written.
  { version: 7, up: SCHEMA_V7 }
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** The file was written by a newer app version; refusing to open keeps its data intact. */
export class CacheTooNewError extends Error {
  constructor(readonly file: string, readonly found: number, readonly supported: number) {
    super(
      `The cache file ${file} was written by a newer version of Fluxbase Keys (schema ${found}; this version knows up to ${supported}). ` +
        'Update the app, or move the file away to start with an empty cache.'
    )
    this.name = 'CacheTooNewError'
  }
}

export function userVersion(db: Database.Database): number {
  const v = db.pragma('user_version', { simple: true })
  return typeof v === 'number' ? v : 0
}

/** Applies every migration above the file's user_version; returns the versions applied. */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const target = migrations.length
  const pendingAt = (current: number): readonly Migration[] => {
    if (current > target) throw new CacheTooNewError(file, current, target)
    return migrations.filter((m) => m.version > current)
  }
  // Without the write lock first: the usual open has nothing to do and takes no lock.
  if (pendingAt(userVersion(db)).length === 0) return []
  // Read again inside the write lock: two processes opening a new file at once (the app and
  // a CLI run) both see version 0 outside it, and the second must not apply V1 again.
  return db.transaction((): number[] => {
    const pending = pendingAt(userVersion(db))
    for (const m of pending) {
      if (typeof m.up === 'string') db.exec(m.up)
      else m.up(db)
    }
    // user_version lives in the file header and is part of this transaction.
    if (pending.length > 0) db.pragma(`user_version = ${target}`)
    return pending.map((m) => m.version)
  }).immediate()
}

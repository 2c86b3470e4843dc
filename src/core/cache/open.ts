// Opening the cache file: directory and file modes, pragmas, migrations, and recovery from
// a corrupt or unreadable file (moved aside, then a fresh cache is created in its place).
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { finishBulkLoad } from './bulk-load'
import { migrate, SCHEMA_VERSION, userVersion } from './migrations'

export type Log = (message: string) => void

export interface Recovery {
  movedTo: string
  reason: string
}

const SIDECARS = ['-wal', '-shm'] as const

/** Raised when the file opens but fails SQLite's own consistency check. */
export class CacheCorruptError extends Error {
  constructor(detail: string) {
    super(`integrity check failed: ${detail}`)
    this.name = 'CacheCorruptError'
  }
}

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code
  return ''
}

/** Errors that mean "this file is not a usable database", as opposed to a bug, a lock or a newer schema. */
export function isCorruption(err: unknown): boolean {
  if (err instanceof CacheCorruptError) return true
  const code = errorCode(err)
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_IOERR_SHORT_READ'
}

/** Owner-only: key metadata reveals which tenants and keys exist even if it holds no secret. */
function restrictMode(p: string): void {
  try {
    fs.chmodSync(p, 0o600)
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err
  }
}

function ensureDir(dir: string): void {
  if (fs.existsSync(dir)) return
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  // mkdir's mode is filtered by the umask; state it explicitly.
  fs.chmodSync(dir, 0o700)
}

/** Restricts the database file and whichever of -wal/-shm exist now. */
export function secureFiles(file: string): void {
  restrictMode(file)
  for (const s of SIDECARS) restrictMode(file + s)
}

/**
 * Runs `fn` again while the file is busy, for up to `ms`. Switching a new file to WAL takes
 * an exclusive lock and SQLite does not wait for it (the busy timeout does not apply): when
 * two processes open a new cache at once, the second would fail 'database is locked'.
 */
function whileBusy<T>(fn: () => T, ms = 5000): T {
  const until = Date.now() + ms
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    try {
      return fn()
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() > until) throw err
      Atomics.wait(pause, 0, 0, 20)
    }
  }
}

function openOnce(file: string, log: Log): Database.Database {
  // Create the file ourselves so it never exists with a wider mode; SQLite then gives
  // -wal and -shm the same mode as the main file.
  fs.closeSync(fs.openSync(file, 'a', 0o600))
  restrictMode(file)
  const db = new Database(file, { timeout: 5000 })
  try {
    // The first statement reads the header: garbage fails here with SQLITE_NOTADB.
    const mode = whileBusy(() => db.pragma('journal_mode = WAL', { simple: true }))
    if (mode !== 'wal') log(`cache: journal_mode is ${String(mode)}, not wal`)
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new CacheCorruptError(String(check))
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // NORMAL is durable across app crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL')
    db.pragma('temp_store = MEMORY')
    db.pragma('cache_size = -16384')
    // A full sync commits once per tenant; checkpointing every ~16 MB instead of every 4 MB
    // writes each hot index page back fewer times. The WAL file is trimmed back afterwards.
    db.pragma('wal_autocheckpoint = 4000')
    db.pragma('journal_size_limit = 67108864')
    // A first fill cut short (crash, kill) left its indexes unbuilt: build them before any
    // migration sees the schema (bulk-load.ts).
    const version = userVersion(db)
    if (version >= 5 && version <= SCHEMA_VERSION && finishBulkLoad(db)) log('cache: finished an interrupted first fill (indexes rebuilt)')
    const applied = migrate(db, file)
    if (applied.length > 0) log(`cache: applied migrations ${applied.join(', ')}`)
    secureFiles(file)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  let target = `${file}.corrupt-${stamp}`
  for (let n = 1; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`
  fs.renameSync(file, target)
  // A stale WAL must not be replayed into the fresh file: it travels with its database.
  for (const s of SIDECARS) {
    if (fs.existsSync(file + s)) fs.renameSync(file + s, target + s)
  }
  return target
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.length > 200 ? `${msg.slice(0, 200)}…` : msg
}

export function openDatabase(file: string, log: Log): { db: Database.Database; recovery: Recovery | null } {
  const resolved = path.resolve(file)
  ensureDir(path.dirname(resolved))
  try {
    return { db: openOnce(resolved, log), recovery: null }
  } catch (err) {
    if (!isCorruption(err)) throw err
    const movedTo = moveAside(resolved)
    log(`cache: ${resolved} is unreadable (${describe(err)}); moved to ${movedTo}, starting a fresh cache`)
    const db = openOnce(resolved, log)
    return {
      db,
      recovery: {
        movedTo,
        reason: `The cache file was unreadable (${describe(err)}) and was moved to ${movedTo}; it will be rebuilt from your servers on the next sync.`
      }
    }
  }
}

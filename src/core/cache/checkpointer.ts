// WAL checkpoints in a worker thread. Left to SQLite, a checkpoint (copying the WAL back into
// the database file, then fsync) runs inside whichever commit crosses wal_autocheckpoint, on
// the main process's thread: a full re-sync of 200,000 rows spent ~1.7 s there, blocking IPC.
// The worker holds its own connection to the same file and checkpoints it every few hundred
// ms (PASSIVE: it never blocks a writer). If the worker cannot run, SQLite's own
// autocheckpoint stays in charge, as before.
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import type { Log } from './open'

/** SQLite's checkpoint threshold in pages while the worker runs: only a backstop. */
const BACKSTOP_PAGES = 50_000
/** The threshold without a worker (open.ts sets it; restored if the worker dies). */
const FALLBACK_PAGES = 4000
const EVERY_MS = 200

// Plain CommonJS for an eval worker: no bundler or TypeScript loader reaches it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
// fileMustExist: a worker that starts after its cache was closed and deleted must not
// create the file again (a test removing its folder would then find it not empty).
let db
try {
  db = new Database(workerData.file, { timeout: 5000, fileMustExist: true })
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message), fatal: true })
  process.exit(0)
}
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) })
  }
}
const timer = setInterval(checkpoint, workerData.everyMs)
parentPort.on('message', (m) => {
  if (m !== 'close') return
  clearInterval(timer)
  db.close()
  parentPort.close()
})
parentPort.postMessage({ ready: true })
`

export interface Checkpointer {
  /**
   * Stops the worker; the caller's connection does the final checkpoint. Resolves once the
   * worker's connection is closed and the thread has exited, so nothing touches the file after.
   */
  close(): Promise<void>
}

export function startCheckpointer(db: Database.Database, log: Log): Checkpointer | null {
  let driver: string
  try {
    driver = require.resolve('better-sqlite3')
  } catch (err) {
    log(`cache: checkpoints stay on the main thread (${err instanceof Error ? err.message : String(err)})`)
    return null
  }
  let worker: Worker | null
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, everyMs: EVERY_MS } })
  } catch (err) {
    log(`cache: checkpoints stay on the main thread (${err instanceof Error ? err.message : String(err)})`)
    return null
  }
  // Never the reason the process stays alive.
  worker.unref()
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  const fallBack = (why: string) => {
    if (!worker) return
    worker = null
    if (db.open) db.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`)
    log(`cache: checkpoint worker stopped (${why}); checkpoints are back on the main thread`)
  }
  let reported = false
  worker.on('message', (m: { error?: string }) => {
    // A busy checkpoint is retried on the next tick; say it once, not five times a second.
    if (m.error && !reported) {
      reported = true
      log(`cache: background checkpoint failed: ${m.error}`)
    }
  })
  worker.on('error', (err) => fallBack(err.message))
  worker.on('exit', (code) => {
    if (worker) fallBack(`exit code ${code}`)
  })
  const exited = new Promise<void>((resolve) => worker?.once('exit', () => resolve()))
  return {
    close() {
      const w = worker
      worker = null
      w?.postMessage('close')
      return exited
    }
  }
}

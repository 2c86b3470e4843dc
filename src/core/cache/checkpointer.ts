// WAL checkpoints in a worker thread. Left to SQLite, a checkpoint (copying the WAL back into
// the database file, then fsync) runs inside whichever commit crosses wal_autocheckpoint, on
// the main process's thread: a full re-sync of 200,000 rows spent ~1.7 s there, blocking IPC.
// The worker holds its own connection to the same file and checkpoints it every few hundred
// ms (PASSIVE: it never blocks a writer). It runs only while the cache is being written (a
// sync): started by the first write, stopped a few seconds after the last. If the worker
// cannot run, SQLite's own autocheckpoint stays in charge, as before.
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
  // What the last writes left goes back now, so the main thread's autocheckpoint (in
  // charge again once this worker is gone) does not meet a long WAL.
  checkpoint()
  db.close()
  parentPort.close()
})
parentPort.postMessage({ ready: true })
`

export interface Checkpointer {
  /**
   * A write is coming: starts the worker if it is not running, and keeps it running until
   * IDLE_MS pass without another call. Between writes no thread (and no second connection)
   * is held: SQLite's own autocheckpoint covers the small writes of single actions.
   */
  writing(): void
  /**
   * Stops the worker; the caller's connection does the final checkpoint. Resolves once the
   * worker's connection is closed and the thread has exited, so nothing touches the file after.
   */
  close(): Promise<void>
}

/** A worker stops this long after the last write it was started (or kept) for. */
const IDLE_MS = 3000

export function startCheckpointer(db: Database.Database, log: Log): Checkpointer {
  let driver: string | null
  try {
    driver = require.resolve('better-sqlite3')
  } catch (err) {
    log(`cache: checkpoints stay on the main thread (${err instanceof Error ? err.message : String(err)})`)
    driver = null
  }
  let worker: Worker | null = null
  let closed = false
  let idle: ReturnType<typeof setTimeout> | null = null
  /** Workers told to stop that have not exited yet. */
  const exiting = new Set<Promise<void>>()
  let reported = false

  const stop = (w: Worker): void => {
    // Held until it has exited: an unref'd worker would let the process end while a caller
    // still awaits close() (the rest of its code would silently never run).
    w.ref()
    w.postMessage('close')
  }
  const start = (): void => {
    if (driver === null || closed) return
    let w: Worker
    try {
      w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file: db.name, everyMs: EVERY_MS } })
    } catch (err) {
      log(`cache: checkpoints stay on the main thread (${err instanceof Error ? err.message : String(err)})`)
      driver = null
      return
    }
    worker = w
    // Never the reason the process stays alive.
    w.unref()
    if (db.open) db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()))
    exiting.add(exited)
    w.on('message', (m: { error?: string }) => {
      // A busy checkpoint is retried on the next tick; say it once, not five times a second.
      if (m.error && !reported) {
        reported = true
        log(`cache: background checkpoint failed: ${m.error}`)
      }
    })
    w.on('error', (err) => {
      log(`cache: checkpoint worker stopped (${err.message}); checkpoints are back on the main thread`)
      driver = null
    })
    w.once('exit', () => {
      exiting.delete(exited)
      if (worker === w) worker = null
      // No worker: SQLite checkpoints again at its usual threshold, on this thread.
      if (worker === null && db.open) db.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`)
    })
  }

  return {
    writing() {
      if (closed) return
      if (!worker) start()
      if (idle) clearTimeout(idle)
      idle = setTimeout(() => {
        idle = null
        const w = worker
        worker = null
        if (w) stop(w)
      }, IDLE_MS)
      idle.unref()
    },
    close() {
      closed = true
      if (idle) clearTimeout(idle)
      idle = null
      const w = worker
      worker = null
      if (w) stop(w)
      return Promise.all([...exiting]).then(() => undefined)
    }
  }
}

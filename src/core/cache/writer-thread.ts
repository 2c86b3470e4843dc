// Long writes on a worker thread's own connection to the cache file, so the core's thread
// keeps answering the window meanwhile (WAL: its reads never wait for a writer; a write it
// makes waits for the worker's current transaction, within its 5 s busy timeout). Two jobs:
//
// - The end of a first fill (bulk-load.ts): every index and the full-text table over 200,000
//   rows, ~5 s of SQLite work. The steps are those of finishBulkLoad(), in the same order and
//   with the same crash safety: one index per transaction, the marker's list shortened in the
//   same one; then the full-text fill, its triggers, the status counts and the marker's removal
//   together, so no write from another connection lands between the fill and the triggers
//   that keep it.
// - The last-used index refresh at the end of a sync (keys.ts): every key in use moves, ~0.6 s
//   at 200,000 keys, one transaction.
import { Worker } from 'node:worker_threads'

export interface FinishStep {
  /** The index built, or 'full-text, triggers and counts' for the last step. */
  name: string
  ms: number
}

export interface FinishReport {
  /** False when another connection had finished it first (nothing was left to build). */
  finished: boolean
  steps: FinishStep[]
}

/** The worker could not be started (no driver, no threads): the caller does the job on its own thread. */
export class WriterThreadUnavailable extends Error {}

export interface RunningJob<T> {
  done: Promise<T>
  /**
   * Asks the worker to stop after its current step (the cache is closing); resolves once its
   * connection is closed. What is left stays in the marker: the next open finishes it.
   */
  stop(): Promise<void>
}

// Plain CommonJS for an eval worker: no bundler or TypeScript loader reaches it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let stopping = false
parentPort.on('message', (m) => { if (m === 'stop') stopping = true })
const finishBulkLoad = async (db) => {
  const steps = []
  let finished = false
  // Sorting for CREATE INDEX may use a second core.
  db.pragma('threads = 2')
  const read = db.prepare('SELECT deferred FROM bulk_load WHERE id = 1').pluck()
  const save = db.prepare('UPDATE bulk_load SET deferred = ? WHERE id = 1')
  const drop = db.prepare('DELETE FROM bulk_load WHERE id = 1')
  while (!stopping) {
    const started = performance.now()
    let name
    db.exec('BEGIN IMMEDIATE')
    try {
      const deferred = read.get()
      if (deferred === undefined) {
        db.exec('COMMIT')
        break
      }
      const list = JSON.parse(deferred)
      if (list.length > 0 && list[0].type === 'index') {
        const d = list.shift()
        db.exec(d.sql)
        save.run(JSON.stringify(list))
        name = d.name
      } else {
        for (const d of list) db.exec(d.sql)
        if (workerData.countsSql) db.exec(workerData.countsSql)
        drop.run()
        finished = true
        name = 'full-text, triggers and counts'
      }
      db.exec('COMMIT')
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw err
    }
    steps.push({ name, ms: performance.now() - started })
    if (finished) break
    // Lets a 'stop' in between steps be seen.
    await new Promise((resolve) => setImmediate(resolve))
  }
  return { finished, steps }
}
const refreshLastUsed = (db) => {
  const refresh = db.prepare(workerData.refreshSql)
  const clear = db.prepare(workerData.clearSql)
  return db.transaction(() => {
    const moved = refresh.run().changes
    clear.run()
    return moved
  }).immediate()
}
const run = async () => {
  let db
  try {
    db = new Database(workerData.file, { timeout: workerData.busyMs, fileMustExist: true })
  } catch (err) {
    parentPort.postMessage({ unavailable: String(err && err.message) })
    return
  }
  try {
    db.pragma('temp_store = MEMORY')
    db.pragma('cache_size = ' + workerData.cacheSize)
    const report = workerData.job === 'finishBulkLoad' ? await finishBulkLoad(db) : refreshLastUsed(db)
    parentPort.postMessage({ report })
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) })
  } finally {
    db.close()
  }
}
// The port's listener would keep the thread alive: close it once the work is done.
run().finally(() => parentPort.close())
`

export type WriterJob =
  | {
      job: 'finishBulkLoad'
      /** fillAllTenantCountsSql(now), or '' on a file without status counts. */
      countsSql: string
    }
  | {
      job: 'refreshLastUsed'
      /** The refresh's UPDATE and the statement that clears its marker, as keys.ts writes them (one transaction). */
      refreshSql: string
      clearSql: string
    }

/** What each job answers: the bulk load's steps, or how many keys the refresh moved. */
export type WriterJobReport<J extends WriterJob> = J extends { job: 'finishBulkLoad' } ? FinishReport : number

export function runOnWriterThread<J extends WriterJob>(file: string, job: J, options: { cacheSize?: number } = {}): RunningJob<WriterJobReport<J>> {
  let driver: string
  let worker: Worker
  try {
    driver = require.resolve('better-sqlite3')
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...job, driver, file, busyMs: 5000, cacheSize: options.cacheSize ?? -16384 }
    })
  } catch (err) {
    const reason = new WriterThreadUnavailable(err instanceof Error ? err.message : String(err))
    return { done: Promise.reject(reason), stop: () => Promise.resolve() }
  }
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  const done = new Promise<WriterJobReport<J>>((resolve, reject) => {
    let answered = false
    worker.on('message', (m: { report?: WriterJobReport<J>; error?: string; unavailable?: string }) => {
      answered = true
      if (m.report !== undefined) resolve(m.report)
      else if (m.unavailable !== undefined) reject(new WriterThreadUnavailable(m.unavailable))
      else reject(new Error(m.error ?? 'the background write stopped without a reason'))
    })
    worker.once('error', (err) => {
      answered = true
      reject(err)
    })
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the background write's thread ended (${code}) without an answer`))
    })
  })
  done.catch(() => undefined)
  return {
    done,
    stop() {
      worker.postMessage('stop')
      return exited
    }
  }
}

// The end of a first fill (bulk-load.ts) on a worker thread. Building every index and the
// full-text table over 200,000 rows takes ~5 s of SQLite work; on the core's own thread that
// is 5 s in which no call is answered (the window's reads, a lock, a copy). The worker opens
// its own connection to the file and runs the steps there; meanwhile the core's connection
// reads as usual (WAL: readers never wait for a writer) and its queries scan until the
// indexes are there (bulk.active()).
//
// The steps are those of finishBulkLoad() (bulk-load.ts), in the same order and with the same
// crash safety: one index per transaction, the marker's list shortened in the same one; then
// the full-text fill, its triggers, the status counts and the marker's removal together, so no
// write from another connection can land between the fill and the triggers that keep it. A
// write the core makes meanwhile waits for one step at most (its busy timeout is 5 s).
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

/** The worker could not be started (no driver, no threads): the caller finishes on its own thread. */
export class FinisherUnavailable extends Error {}

export interface RunningFinish {
  done: Promise<FinishReport>
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
const run = async () => {
  let db
  try {
    db = new Database(workerData.file, { timeout: workerData.busyMs, fileMustExist: true })
  } catch (err) {
    parentPort.postMessage({ unavailable: String(err && err.message) })
    return
  }
  const steps = []
  let finished = false
  try {
    // Sorting for CREATE INDEX may use a second core.
    db.pragma('threads = 2')
    db.pragma('temp_store = MEMORY')
    db.pragma('cache_size = ' + workerData.cacheSize)
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
    parentPort.postMessage({ report: { finished, steps } })
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) })
  } finally {
    db.close()
  }
}
// The port's listener would keep the thread alive: close it once the work is done.
run().finally(() => parentPort.close())
`

export interface FinisherInput {
  /** The cache file (the core's connection stays open on it). */
  file: string
  /** fillAllTenantCountsSql(now), or '' on a file without status counts. */
  countsSql: string
  /** The page cache of the worker's connection, as SQLite's cache_size (negative: KiB). */
  cacheSize?: number
}

export function finishBulkLoadOffThread(input: FinisherInput): RunningFinish {
  let driver: string
  let worker: Worker
  try {
    driver = require.resolve('better-sqlite3')
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file: input.file, countsSql: input.countsSql, busyMs: 5000, cacheSize: input.cacheSize ?? -16384 }
    })
  } catch (err) {
    const reason = new FinisherUnavailable(err instanceof Error ? err.message : String(err))
    return { done: Promise.reject(reason), stop: () => Promise.resolve() }
  }
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  const done = new Promise<FinishReport>((resolve, reject) => {
    let answered = false
    worker.on('message', (m: { report?: FinishReport; error?: string; unavailable?: string }) => {
      answered = true
      if (m.report) resolve(m.report)
      else if (m.unavailable !== undefined) reject(new FinisherUnavailable(m.unavailable))
      else reject(new Error(m.error ?? 'the index build stopped without a reason'))
    })
    worker.once('error', (err) => {
      answered = true
      reject(err)
    })
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the index build's thread ended (${code}) without an answer`))
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

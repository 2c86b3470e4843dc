// The cache's long writes, sent to the writer thread (writer-thread.ts) with their fallbacks:
// the end of a first fill and the last-used index refresh at a sync's end. One of each kind
// runs at a time (a second call shares the first one's answer); stop() ends them for close().
import type { BulkLoad } from './bulk-load'
import type { Checkpointer } from './checkpointer'
import type { createKeyStore } from './keys'
import { LAST_USED_CLEAR_SQL, LAST_USED_REFRESH_SQL } from './keys'
import type { Log } from './open'
import { fillAllTenantCountsSql } from './tenant-counts'
import { runOnWriterThread, WriterThreadUnavailable, type RunningJob } from './writer-thread'

type KeyStore = ReturnType<typeof createKeyStore>

export interface BackgroundWritesDeps {
  /** The cache file: the writer thread opens its own connection to it. */
  file: string
  log: Log
  bulk: Pick<BulkLoad, 'active' | 'finish' | 'forget'>
  keys: Pick<KeyStore, 'lastUsedIndexStale' | 'lastUsedIndexRefreshedElsewhere' | 'refreshLastUsedIndex'>
  checkpointer: Pick<Checkpointer, 'writing'>
  /** Whether the file has the status counts table (a first fill recounts every tenant at its end). */
  hasTenantCounts(): boolean
}

export function createBackgroundWrites(deps: BackgroundWritesDeps) {
  const { log, bulk, keys } = deps
  let finishing: Promise<boolean> | null = null
  let refreshing: Promise<number> | null = null
  let stopping = false
  const running = new Set<RunningJob<unknown>>()
  const track = <T>(job: RunningJob<T>): RunningJob<T> => {
    running.add(job)
    job.done.then(() => running.delete(job), () => running.delete(job))
    return job
  }

  return {
    /** cache.finishBulkLoad(): the first fill's indexes, full-text table and counts; false when none was under way. */
    finishBulkLoad(): Promise<boolean> {
      if (finishing) return finishing
      if (stopping || !bulk.active()) return Promise.resolve(false)
      deps.checkpointer.writing()
      const started = performance.now()
      const job = track(runOnWriterThread(deps.file, { job: 'finishBulkLoad', countsSql: deps.hasTenantCounts() ? fillAllTenantCountsSql(Date.now()) : '' }))
      finishing = job.done.then(
        (report) => {
          if (!report.finished && stopping) {
            log(`cache: first fill's index build stopped at close after ${report.steps.length} step(s); the next open finishes it`)
            return false
          }
          log(`cache: first fill indexed in ${Math.round(performance.now() - started)} ms off the main thread (${report.steps.map((s) => `${s.name} ${Math.round(s.ms)} ms`).join(', ')})`)
          return report.finished
        },
        (err: unknown) => {
          if (!(err instanceof WriterThreadUnavailable) || stopping) throw err
          log(`cache: first fill indexed on the main thread (${err.message})`)
          return bulk.finish()
        }
      ).finally(() => {
        finishing = null
        // The worker changed the schema: the next active() reads the marker again.
        bulk.forget()
      })
      return finishing
    },

    /** cache.refreshLastUsedIndexOffThread(): rows moved. */
    refreshLastUsedIndex(): Promise<number> {
      if (refreshing) return refreshing
      if (stopping || !keys.lastUsedIndexStale()) return Promise.resolve(0)
      deps.checkpointer.writing()
      const job = track(runOnWriterThread(deps.file, { job: 'refreshLastUsed', refreshSql: LAST_USED_REFRESH_SQL, clearSql: LAST_USED_CLEAR_SQL }))
      refreshing = job.done.then(
        (moved) => {
          // A last use written after the worker's commit set the marker again: read it, do not assume.
          keys.lastUsedIndexRefreshedElsewhere()
          return moved
        },
        (err: unknown) => {
          if (!(err instanceof WriterThreadUnavailable) || stopping) throw err
          log(`cache: last-used index refreshed on the main thread (${err.message})`)
          return keys.refreshLastUsedIndex()
        }
      ).finally(() => {
        refreshing = null
      })
      return refreshing
    },

    /**
     * For close(): a first fill's build stops after its current step (the next open finishes
     * it), a refresh ends its transaction. Resolves once no writer thread holds the file.
     */
    async stop(): Promise<void> {
      stopping = true
      await Promise.all([...running].map((j) => j.stop()))
    },

    /** Whether a writer thread may still hold the file (close() then waits for stop()). */
    busy(): boolean {
      return running.size > 0
    }
  }
}

// Group commit for sync results: tenants fetched concurrently are written together, in one
// transaction per batch (a savepoint per tenant), instead of one commit per tenant. A commit
// rewrites every index page it touched to the WAL, so batching cuts a full re-sync's write
// cost several-fold while each tenant still lands all-or-nothing.
import type { Cache, ReplaceResult, TenantReplacement } from '../cache'

interface Pending {
  item: TenantReplacement
  resolve: (result: ReplaceResult) => void
  reject: (error: unknown) => void
}

/** Tenants per transaction at most (a batch is written sooner when its window ends). */
export const GROUP_COMMIT_MAX_BATCH = 64

export class GroupCommitWriter {
  private queue: Pending[] = []
  private timer: ReturnType<typeof setTimeout> | null = null

  /**
   * @param windowMs how long the first queued tenant waits for company before the batch is
   *   written; short enough that progress still feels live.
   */
  constructor(private readonly cache: Pick<Cache, 'replaceManyTenantKeys'>, private readonly windowMs = 10, private readonly maxBatch = GROUP_COMMIT_MAX_BATCH) {}

  write(item: TenantReplacement): Promise<ReplaceResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      if (this.queue.length >= this.maxBatch) this.flush()
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs)
    })
  }

  /** Writes whatever is queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.queue
    this.queue = []
    if (batch.length === 0) return
    let outcomes
    try {
      outcomes = this.cache.replaceManyTenantKeys(batch.map((p) => p.item))
    } catch (error) {
      // The batch transaction itself failed (disk full, locked): every tenant in it failed.
      for (const p of batch) p.reject(error)
      return
    }
    outcomes.forEach((outcome, i) => {
      const pending = batch[i]
      if (!pending) return
      if (outcome.ok) pending.resolve(outcome.result)
      else pending.reject(outcome.error)
    })
  }
}

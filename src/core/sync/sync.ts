// Multi-tenant sync: every selected tenant's key list, with bounded concurrency. Each tenant
// is replaced in one savepoint of a group commit, together with its sync state and orphan
// flags, so a failing tenant keeps its previous rows and a crash never leaves rows without
// their state. Retries with backoff on these idempotent reads happen inside the client.
import pLimit from 'p-limit'
import type { SyncState } from '../../shared/domain'
import type { Cache } from '../cache'
import { FluxbaseError } from '../fluxbase'
import { AppError, toApiError } from '../app/errors'
import type { Clients } from '../instances/clients'
import { detectOrphans } from '../keys/orphans'
import { GroupCommitWriter } from './group-commit'
import type { Log } from '../app/logger'

export interface SyncTarget {
  instanceId: string
  tenantId: string
  name: string
}

/** What sync reads and writes in the cache. */
export type SyncStore = Pick<
  Cache,
  | 'replaceManyTenantKeys' | 'setTenantSync' | 'getTenant' | 'refreshLastUsedIndexOffThread' | 'beginBulkLoad' | 'finishBulkLoad'
  | 'startSyncRun' | 'finishSyncRun' | 'listActions' | 'patchLocal' | 'completeAction'
>

export interface SyncDeps {
  cache: SyncStore
  clients: Clients
  now: () => number
  log: Log
  /** Action ids of creates/rotates still awaiting their answer (not orphans yet). */
  inFlight: ReadonlySet<number>
  /** Inside each tenant's commit, after its rows are written (restoring kept facts after a rebuild). */
  afterTenantWrite?: (instanceId: string, tenantId: string, keyIds: readonly string[]) => void
}

export interface SyncOptions {
  concurrency: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number, current: { target: SyncTarget; state: SyncState } | null) => void
}

export interface SyncOutcome {
  tenants: number
  ok: number
  failed: number
  /** Failures where the server could not be reached at all. */
  unreachable: number
  cancelled: boolean
  durationMs: number
}

function lastGoodAt(state: SyncState | undefined): string | null {
  if (!state) return null
  if (state.kind === 'fresh') return state.at
  if (state.kind === 'stale' || state.kind === 'needs_login') return state.lastGoodAt
  return null
}

function failureState(error: unknown, previous: SyncState | undefined, at: string): SyncState {
  const reason = toApiError(error).message
  const needsLogin = (error instanceof FluxbaseError && error.kind === 'auth') || (error instanceof AppError && error.code === 'keychain')
  return needsLogin
    ? { kind: 'needs_login', lastGoodAt: lastGoodAt(previous), reason }
    : { kind: 'stale', lastGoodAt: lastGoodAt(previous), failedAt: at, reason }
}

export async function syncTenants(deps: SyncDeps, targets: SyncTarget[], options: SyncOptions): Promise<SyncOutcome> {
  const started = deps.now()
  const runId = deps.cache.startSyncRun(new Date(started).toISOString(), targets.length)
  const limit = pLimit(Math.max(1, options.concurrency))
  const writer = new GroupCommitWriter(deps.cache)
  let ok = 0
  let failed = 0
  let unreachable = 0
  let done = 0

  const syncOne = async (target: SyncTarget): Promise<void> => {
    const { instanceId, tenantId } = target
    let state: SyncState
    try {
      // Only the request holds a concurrency slot: the write waits for its group commit
      // outside it, so the next request starts at once and the network stays busy.
      const keys = await limit(async () => {
        if (options.signal?.aborted) return null
        const client = await deps.clients.get(instanceId)
        return client.listKeys(tenantId, { background: true })
      })
      if (keys === null) return
      const at = new Date(deps.now()).toISOString()
      const fresh: SyncState = { kind: 'fresh', at }
      let orphans: string[] = []
      await writer.write({
        instanceId, tenantId, keys, syncedAt: at,
        withinCommit: () => {
          orphans = detectOrphans(deps.cache, instanceId, tenantId, keys, deps.now(), deps.inFlight)
          deps.afterTenantWrite?.(instanceId, tenantId, keys.map((k) => k.id))
          deps.cache.setTenantSync(instanceId, tenantId, fresh)
        }
      })
      if (orphans.length > 0) deps.log(`sync ${instanceId}/${tenantId}: flagged ${orphans.length} orphaned key(s)`)
      state = fresh
      ok++
    } catch (error) {
      const at = new Date(deps.now()).toISOString()
      state = failureState(error, deps.cache.getTenant(instanceId, tenantId)?.sync, at)
      failed++
      if (error instanceof FluxbaseError && (error.kind === 'network' || error.kind === 'timeout')) unreachable++
      deps.log(`sync ${instanceId}/${tenantId} failed: ${toApiError(error).message}`)
      deps.cache.setTenantSync(instanceId, tenantId, state)
    }
    done++
    options.onProgress?.(done, targets.length, { target, state })
  }

  options.onProgress?.(0, targets.length, null)
  // Into an empty cache (the first sync), rows are written bare and indexed once at the end
  // (cache/bulk-load.ts): several times faster than maintaining every index row by row.
  try {
    if (targets.length > 0 && deps.cache.beginBulkLoad()) deps.log(`sync: first fill of an empty cache, ${targets.length} tenants: indexes are built at the end`)
  } catch (error) {
    deps.log(`sync: first fill goes row by row: ${toApiError(error).message}`)
  }
  try {
    await Promise.all(targets.map((target) => syncOne(target)))
  } finally {
    try {
      // Whoever began it (this sync, or one cut short): a no-op when none is under way.
      await deps.cache.finishBulkLoad()
    } catch (error) {
      // The rows are written; the next open builds what is missing (open.ts).
      deps.log(`sync: indexes of the first fill not built: ${toApiError(error).message}`)
    }
  }
  const cancelled = options.signal?.aborted ?? false
  try {
    // One pass over the last uses this sync moved (see cache/keys.ts), not one per tenant.
    await deps.cache.refreshLastUsedIndexOffThread()
  } catch (error) {
    // The next query by last use tries again; the rows themselves are safely written.
    deps.log(`sync: last-used index not refreshed: ${toApiError(error).message}`)
  }
  const finishedAt = deps.now()
  deps.cache.finishSyncRun(runId, { finishedAt: new Date(finishedAt).toISOString(), ok, failed, cancelled })
  return { tenants: targets.length, ok, failed, unreachable, cancelled, durationMs: finishedAt - started }
}

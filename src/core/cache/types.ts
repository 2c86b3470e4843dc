// Public types of the cache (re-exported from index.ts).
import type { KeptLocalFacts } from './local-facts'
import type { Instance, InstanceProfile, KeyMeta, KeyRef, KeyStatus, SyncState, Tenant, UpdateSupport } from '../../shared/domain'

export type ServerKey = Pick<
  KeyMeta,
  | 'id' | 'name' | 'description' | 'keyPrefix' | 'keyType' | 'scopes' | 'allowedNamespaces' | 'enabled'
  | 'rateLimitPerMinute' | 'rateLimitPerHour' | 'createdBy' | 'createdAt' | 'lastUsedAt' | 'expiresAt'
  | 'revokedAt' | 'deprecatedAt' | 'gracePeriodEndsAt' | 'replacedBy'
>
export type LocalKeyFacts = Pick<KeyMeta, 'localGraceEndsAt' | 'revocationReason' | 'hasStoredValue' | 'orphan' | 'localReplacedBy'>

export type SortColumn = 'name' | 'tenant' | 'keyType' | 'keyPrefix' | 'status' | 'createdAt' | 'lastUsedAt' | 'expiresAt' | 'graceEndsAt'

export interface InventoryQuery {
  instanceId?: string
  tenantIds?: string[]
  keyTypes?: string[]
  statuses?: KeyStatus[]
  /** Case-insensitive substring of name, key prefix or description. */
  text?: string
  /** expires_at between now (exclusive) and now+ms (inclusive). */
  expiringWithinMs?: number
  /** Effective grace end (server's, else local) between now (exclusive) and now+ms (inclusive). */
  graceEndingWithinMs?: number
  /** last_used_at null or older than now - days. */
  unusedForDays?: number
  orphansOnly?: boolean
  /** Default name asc; ties broken by id for stable paging. */
  sort?: { column: SortColumn; direction: 'asc' | 'desc' }
  /** Default 0. */
  offset?: number
  /** Default 100, max 1000. */
  limit?: number
  /**
   * 'exact' (default) counts every match. 'capped' stops counting after COUNT_CAP matches, so
   * a page of a broad search costs the same as a narrow one; the UI asks countInventory for
   * the exact figure after it has painted the rows.
   */
  count?: 'exact' | 'capped'
}

export interface InventoryPage {
  rows: InventoryRow[]
  /** Matching rows; when totalExact is false, a lower bound: more than `total` rows match. */
  total: number
  totalExact: boolean
}

export interface InventoryRow extends KeyMeta {
  tenantName: string
  tenantSlug: string
  instanceLabel: string
  status: KeyStatus
}

export interface ActionRecord {
  id: number
  at: string
  instanceId: string
  tenantId: string
  keyId: string | null
  /** 'create'|'update'|'disable'|'enable'|'deprecate'|'rotate'|'finish_rotation'|'revoke'|'delete'|'forget_value'|... */
  action: string
  /** Non-secret facts: key name, grace hours, reason, new key id. */
  detail: Record<string, unknown>
  outcome: 'pending' | 'ok' | 'failed'
  error: string | null
}

export interface ActionFilter {
  ref?: KeyRef
  instanceId?: string
  tenantId?: string
  pendingOnly?: boolean
  action?: string
  limit?: number
}

export interface Cache {
  readonly file: string
  /** Set when the file was unreadable/corrupt at open: it was moved aside and a fresh cache created. */
  readonly recovery: { movedTo: string; reason: string } | null
  /** Closes the file at once; resolves when the background checkpoint thread has let go of it too. */
  close(): Promise<void>
  // instances (non-secret profile data only)
  upsertInstance(instance: InstanceProfile): void
  listInstances(): Instance[]
  getInstance(id: string): Instance | null
  /** Removes its tenants, keys, actions, notifications too. */
  removeInstance(id: string): void
  setUpdateSupport(id: string, support: UpdateSupport, checkedAt: string): void
  // tenants
  /** Keeps selected/autoFinishRotation/sync of existing rows; new rows selected=false. */
  upsertTenants(instanceId: string, tenants: Array<{ id: string; slug: string; name: string; isDefault: boolean }>): void
  listTenants(instanceId?: string): Tenant[]
  getTenant(instanceId: string, tenantId: string): Tenant | null
  setTenantSelected(instanceId: string, tenantId: string, selected: boolean): void
  setAutoFinishRotation(instanceId: string, tenantId: string, on: boolean): void
  setTenantSync(instanceId: string, tenantId: string, state: SyncState): void
  // keys
  /**
   * Several tenants' replacements in one transaction (group commit), each all-or-nothing on
   * its own: a tenant's rows become exactly its `keys` (local facts of surviving keys are
   * kept); a failing tenant keeps its previous rows and the others are still written.
   */
  replaceManyTenantKeys(items: readonly TenantReplacement[]): ReplaceOutcome[]
  upsertKey(instanceId: string, tenantId: string, key: ServerKey, syncedAt: string, local?: Partial<LocalKeyFacts>): void
  patchLocal(ref: KeyRef, patch: Partial<LocalKeyFacts>): void
  removeKey(ref: KeyRef): void
  getKey(ref: KeyRef): KeyMeta | null
  /** The key this one replaced (its replaced_by, or the app's local_replaced_by, names this key), if cached. */
  predecessorOf(ref: KeyRef): { keyId: string; name: string } | null
  /** Copies re-synced last uses into the last-used index (sync calls it at its end); rows moved. */
  refreshLastUsedIndex(): number
  /** The same on a worker thread's connection (writer-thread.ts), so this thread keeps answering; sync's end uses it. */
  refreshLastUsedIndexOffThread(): Promise<number>
  /**
   * Starts a first fill when the cache holds no key: until finishBulkLoad(), rows are written
   * without their secondary indexes, full-text entries and counts, which are then built once
   * (bulk-load.ts). True when this call started one. Queries stay exact meanwhile, but scan.
   */
  beginBulkLoad(): boolean
  /**
   * Builds what a first fill deferred (whoever began it), on a worker thread's connection so
   * this one keeps answering (writer-thread.ts); false when none was under way. A second call
   * while one runs gets the same answer.
   */
  finishBulkLoad(): Promise<boolean>
  queryInventory(query: InventoryQuery, now: number): InventoryPage
  /** Exact number of keys matching the query's filters (its window and sort are ignored). */
  countInventory(query: InventoryQuery, now: number): number
  /** Per tenant: count of keys in each status (all statuses present, zeros included). */
  statusCounts(now: number): Array<{ instanceId: string; tenantId: string; counts: Record<KeyStatus, number> }>
  /**
   * Keys the expiry schedule watches: not revoked, with an expires_at or a (server or local)
   * grace end (parseable dates only) at or before the given times (ms; the schedule's horizon,
   * omitted for every one). Read as they are iterated: no other call on the cache until the
   * iteration is done.
   */
  scheduledKeys(until?: ScheduleHorizon): Iterable<ScheduledKey>
  /**
   * Grows with every write through this connection that may have moved a key's deadline or
   * status (keys added, removed or patched; an expiry, grace end or state changed). Another
   * process's writes are not counted.
   */
  deadlineWrites(): number
  // append-only action log of operator actions
  appendAction(a: Omit<ActionRecord, 'id'>): number
  /** Throws if already completed (or unknown). */
  completeAction(id: number, outcome: 'ok' | 'failed', patch?: { keyId?: string; error?: string; detail?: Record<string, unknown> }): void
  /** Newest first. */
  listActions(filter: ActionFilter): ActionRecord[]
  // notifications already sent (expiry warnings are sent once)
  markManyNotified(warningIds: readonly string[], at: string): void
  notifiedIds(): Set<string>
  // sync runs
  startSyncRun(startedAt: string, tenants: number): number
  finishSyncRun(id: number, r: { finishedAt: string; ok: number; failed: number; cancelled: boolean }): void
  /** Keys with facts only this app knows (local grace end, revocation reason, orphan, Replace link). */
  keptLocalFacts(): KeptLocalFacts[]
  // settings (JSON values)
  getSetting<T>(key: string, fallback: T): T
  setSetting(key: string, value: unknown): void
}

export interface ReplaceResult { added: string[]; removed: string[]; updated: number }
export interface TenantReplacement {
  instanceId: string
  tenantId: string
  keys: ServerKey[]
  syncedAt: string
  /** Runs inside the tenant's savepoint after its rows are written: writes here commit with them. */
  withinCommit?: (result: ReplaceResult) => void
}
export type ReplaceOutcome = { ok: true; result: ReplaceResult } | { ok: false; error: unknown }

/**
 * What the expiry schedule reads of a key: its identity, name and deadlines. Narrow on purpose:
 * the schedule walks every key its horizon reaches on each look (tens of thousands at fleet
 * scale), and the full row (scopes and namespaces parsed, descriptions) cost twice as much.
 */
export type ScheduledKey = Pick<KeyMeta, 'instanceId' | 'tenantId' | 'id' | 'name' | 'enabled' | 'createdAt' | 'expiresAt' | 'revokedAt' | 'deprecatedAt' | 'gracePeriodEndsAt' | 'localGraceEndsAt'>

/** The latest expiry and grace end that can matter to the schedule now (ms since the epoch). */
export interface ScheduleHorizon { expiresMs: number; graceEndMs: number }

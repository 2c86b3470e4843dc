// The IPC contract: every operation the UI may ask of the core, with zod schemas for its
// input and output, and every event the core pushes to the UI. Main registers one handler
// per operation, the preload builds `window.api` from the same list, and the e2e harness
// installs the same shape in Chromium. Nothing here carries a secret, except the one-time
// `unsavedValue` of the keychain-failure fallback (see IssueResult).
import { z } from 'zod'
import { KEY_STATUSES } from './domain'

const id = z.string().min(1).max(200)
const uuid = z.guid()
const iso = z.string().min(1)

export const KeyStatusSchema = z.enum(KEY_STATUSES)

export const KeyRefSchema = z.object({ instanceId: id, tenantId: uuid, keyId: uuid })

const SyncStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('never') }),
  z.object({ kind: z.literal('fresh'), at: iso }),
  z.object({ kind: z.literal('stale'), lastGoodAt: iso.nullable(), failedAt: iso, reason: z.string() }),
  z.object({ kind: z.literal('needs_login'), lastGoodAt: iso.nullable(), reason: z.string() })
])

export const InstanceSchema = z.object({
  id,
  label: z.string(),
  baseUrl: z.string(),
  authKind: z.enum(['password', 'token']),
  email: z.string().nullable(),
  addedAt: iso
})

export const TenantSchema = z.object({
  instanceId: id,
  id: uuid,
  slug: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  selected: z.boolean(),
  autoFinishRotation: z.boolean(),
  sync: SyncStateSchema
})

const statusCounts = z.record(KeyStatusSchema, z.number().int().nonnegative())

export const TenantOverviewSchema = TenantSchema.extend({
  instanceLabel: z.string(),
  counts: statusCounts,
  total: z.number().int().nonnegative()
})

export const KeyRowSchema = z.object({
  instanceId: id,
  tenantId: uuid,
  id: uuid,
  name: z.string(),
  description: z.string().nullable(),
  keyPrefix: z.string(),
  keyType: z.string(),
  scopes: z.array(z.string()),
  allowedNamespaces: z.array(z.string()).nullable(),
  enabled: z.boolean(),
  rateLimitPerMinute: z.number().nullable(),
  rateLimitPerHour: z.number().nullable(),
  createdBy: z.string().nullable(),
  createdAt: iso,
  lastUsedAt: iso.nullable(),
  expiresAt: iso.nullable(),
  revokedAt: iso.nullable(),
  deprecatedAt: iso.nullable(),
  gracePeriodEndsAt: iso.nullable(),
  replacedBy: z.string().nullable(),
  localGraceEndsAt: iso.nullable(),
  revocationReason: z.string().nullable(),
  hasStoredValue: z.boolean(),
  orphan: z.boolean(),
  syncedAt: iso,
  tenantName: z.string(),
  tenantSlug: z.string(),
  instanceLabel: z.string(),
  status: KeyStatusSchema
})

export const SORT_COLUMNS = ['name', 'tenant', 'keyType', 'keyPrefix', 'status', 'createdAt', 'lastUsedAt', 'expiresAt', 'graceEndsAt'] as const

export const InventoryQuerySchema = z.object({
  instanceId: id.optional(),
  tenantIds: z.array(uuid).max(5000).optional(),
  keyTypes: z.array(z.string().max(40)).max(10).optional(),
  statuses: z.array(KeyStatusSchema).optional(),
  text: z.string().max(200).optional(),
  expiringWithinMs: z.number().int().positive().optional(),
  graceEndingWithinMs: z.number().int().positive().optional(),
  unusedForDays: z.number().int().positive().max(3650).optional(),
  orphansOnly: z.boolean().optional(),
  sort: z.object({ column: z.enum(SORT_COLUMNS), direction: z.enum(['asc', 'desc']) }).optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().max(1000).optional(),
  /** 'capped': stop counting past 1,000 matches (totalExact false); ask inventory.count after painting. */
  count: z.enum(['exact', 'capped']).optional()
})

const AuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), email: z.string().email().max(320), password: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('token'), token: z.string().min(10).max(10_000) })
])

const ConnectionInputSchema = z.object({
  baseUrl: z.string().url().max(2000),
  auth: AuthInputSchema
})

const DiscoveredTenantSchema = z.object({ id: uuid, slug: z.string(), name: z.string(), isDefault: z.boolean() })

export const HistoryEntrySchema = z.object({
  at: iso,
  source: z.enum(['server', 'local']),
  action: z.string(),
  outcome: z.enum(['ok', 'failed', 'pending']),
  detail: z.string()
})

/** A new key's value went to the keychain; only in the failure fallback does the UI see it, once. */
export const IssueResultSchema = z.discriminatedUnion('storedInKeychain', [
  z.object({ storedInKeychain: z.literal(true), key: KeyRowSchema }),
  z.object({ storedInKeychain: z.literal(false), key: KeyRowSchema, unsavedValue: z.string(), warning: z.string() })
])

export const CreateKeyInputSchema = z.object({
  name: z.string().trim().min(1, 'A name is required.').max(200),
  description: z.string().max(1000).optional(),
  keyType: z.enum(['service', 'anon']),
  scopes: z.array(z.string().min(1).max(100)).max(50),
  rateLimitPerMinute: z.number().int().positive().max(10_000_000).optional(),
  rateLimitPerHour: z.number().int().positive().max(100_000_000).optional(),
  expiresAt: iso.optional()
})

export const UpdateKeyInputSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(1000).optional(),
  scopes: z.array(z.string().min(1).max(100)).max(50).optional(),
  rateLimitPerMinute: z.number().int().positive().optional(),
  rateLimitPerHour: z.number().int().positive().optional()
})

const graceHours = z.number().positive().max(24 * 365)
const reason = z.string().trim().min(3, 'Give a reason of at least 3 characters.').max(500)

export const BULK_ACTIONS = ['disable', 'revoke', 'deprecate'] as const
const BulkInputSchema = z.object({
  action: z.enum(BULK_ACTIONS),
  refs: z.array(KeyRefSchema).min(1).max(10_000),
  graceHours: graceHours.optional(),
  reason: reason.optional()
})

export const SettingsSchema = z.object({
  graceLeadsMinutes: z.array(z.number().int().positive()).max(10),
  expiryLeadsMinutes: z.array(z.number().int().positive()).max(10),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  syncConcurrency: z.number().int().min(1).max(64),
  requestTimeoutSeconds: z.number().int().min(1).max(300)
})

export const AppStatusSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'browser-harness']),
  offline: z.boolean(),
  offlineReason: z.string().nullable(),
  lastSyncAt: iso.nullable(),
  cacheRecovery: z.string().nullable(),
  keychain: z.object({ ok: z.boolean(), message: z.string().nullable() }),
  syncing: z.boolean()
})

const SyncSummarySchema = z.object({
  tenants: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  cancelled: z.boolean(),
  durationMs: z.number()
})

const BulkPreviewSchema = z.object({
  changes: z.array(z.object({
    ref: KeyRefSchema, name: z.string(), tenantName: z.string(),
    from: KeyStatusSchema, to: KeyStatusSchema.nullable(),
    /** Why this key would be left alone (already revoked, ...); null when it will change. */
    skip: z.string().nullable()
  }))
})

const BulkResultSchema = z.object({
  results: z.array(z.object({ ref: KeyRefSchema, name: z.string(), ok: z.boolean(), skipped: z.boolean(), error: z.string().nullable() }))
})

const none = z.object({}).strict()
const op = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })

/** Every operation, named `<feature>.<verb>`. */
export const operations = {
  'app.status': op(none, AppStatusSchema),
  'instances.list': op(none, z.array(InstanceSchema)),
  'instances.test': op(ConnectionInputSchema, z.object({ tenants: z.array(DiscoveredTenantSchema), role: z.string() })),
  'instances.add': op(ConnectionInputSchema.extend({ label: z.string().max(100).optional(), tenantIds: z.array(uuid).optional() }),
    z.object({ instance: InstanceSchema, tenants: z.array(TenantSchema) })),
  'instances.updateCredential': op(z.object({ instanceId: id, auth: AuthInputSchema }), z.object({})),
  'instances.remove': op(z.object({ instanceId: id }), z.object({ removedSecrets: z.number().int() })),
  'instances.rediscover': op(z.object({ instanceId: id }), z.array(TenantSchema)),
  'tenants.list': op(none, z.array(TenantOverviewSchema)),
  'tenants.select': op(z.object({ instanceId: id, tenantIds: z.array(uuid), selected: z.boolean() }), z.object({})),
  'tenants.setAutoFinishRotation': op(z.object({ instanceId: id, tenantId: uuid, on: z.boolean() }), z.object({})),
  'sync.run': op(z.object({ instanceId: id.optional(), tenantIds: z.array(uuid).optional() }), SyncSummarySchema),
  'sync.cancel': op(none, z.object({})),
  'inventory.query': op(InventoryQuerySchema, z.object({
    rows: z.array(KeyRowSchema),
    /** Matching keys; when totalExact is false, more than this many match. */
    total: z.number().int(),
    totalExact: z.boolean()
  })),
  'inventory.count': op(InventoryQuerySchema, z.object({ total: z.number().int() })),
  'keys.get': op(KeyRefSchema, z.object({ key: KeyRowSchema, history: z.array(HistoryEntrySchema) })),
  'keys.create': op(z.object({ instanceId: id, tenantId: uuid, input: CreateKeyInputSchema }), IssueResultSchema),
  'keys.update': op(z.object({ ref: KeyRefSchema, input: UpdateKeyInputSchema }), KeyRowSchema),
  'keys.disable': op(KeyRefSchema, KeyRowSchema),
  'keys.enable': op(KeyRefSchema, KeyRowSchema),
  'keys.deprecate': op(z.object({ ref: KeyRefSchema, graceHours }), KeyRowSchema),
  'keys.rotate': op(z.object({ ref: KeyRefSchema, graceHours, newName: z.string().trim().min(1).max(200).optional() }),
    z.object({ issued: IssueResultSchema, oldKey: KeyRowSchema })),
  'keys.finishRotation': op(z.object({ ref: KeyRefSchema, mode: z.enum(['disable', 'revoke']) }), KeyRowSchema),
  'keys.revoke': op(z.object({ ref: KeyRefSchema, reason }), KeyRowSchema),
  'keys.delete': op(z.object({ ref: KeyRefSchema, confirmName: z.string(), force: z.boolean() }), z.object({})),
  'keys.copyValue': op(KeyRefSchema, z.object({ clearsAfterSeconds: z.number().int() })),
  'keys.forgetValue': op(KeyRefSchema, KeyRowSchema),
  'bulk.preview': op(BulkInputSchema, BulkPreviewSchema),
  'bulk.run': op(BulkInputSchema, BulkResultSchema),
  'export.save': op(z.object({ format: z.enum(['csv', 'json']), query: InventoryQuerySchema }), z.object({ path: z.string().nullable(), rows: z.number().int() })),
  'settings.get': op(none, SettingsSchema),
  'settings.set': op(SettingsSchema.partial(), SettingsSchema)
} as const

export const WarningEventSchema = z.object({
  id: z.string(), kind: z.enum(['grace_ending', 'grace_ended', 'expiring', 'expired', 'summary']),
  ref: KeyRefSchema.nullable(), title: z.string(), body: z.string(), eventAt: iso.nullable()
})

/** Events the core pushes to the UI. */
export const events = {
  'sync.progress': z.object({ done: z.number().int(), total: z.number().int(), current: z.object({ instanceId: id, tenantId: uuid, name: z.string(), state: SyncStateSchema }).nullable() }),
  'inventory.changed': z.object({ reason: z.string() }),
  'app.status': AppStatusSchema,
  'warning': WarningEventSchema,
  'key.open': KeyRefSchema,
  'clipboard.cleared': z.object({ ref: KeyRefSchema, cleared: z.boolean() })
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
export type OpInput<K extends OperationName> = z.input<Operations[K]['input']>
export type OpOutput<K extends OperationName> = z.infer<Operations[K]['output']>
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = z.infer<Events[K]>

export const OPERATION_NAMES = Object.keys(operations) as OperationName[]
export const EVENT_NAMES = Object.keys(events) as EventName[]

/** Errors cross the boundary as data a person can act on. */
export interface ApiError {
  message: string
  /** Stable machine code: 'invalid_input', 'offline', 'auth', 'not_found', 'keychain', 'server', 'conflict', 'internal'. */
  code: string
  retryable: boolean
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export type KeyRow = z.infer<typeof KeyRowSchema>
export type TenantOverview = z.infer<typeof TenantOverviewSchema>
export type InventoryQueryInput = z.infer<typeof InventoryQuerySchema>
export type IssueResult = z.infer<typeof IssueResultSchema>
export type Settings = z.infer<typeof SettingsSchema>
export type AppStatus = z.infer<typeof AppStatusSchema>
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>
export type WarningEvent = z.infer<typeof WarningEventSchema>

/** `api.keys.create(input)` for op 'keys.create': the typed shape of window.api. */
type Feature<K extends string> = K extends `${infer F}.${string}` ? F : never
type Verb<K extends string, F extends string> = K extends `${F}.${infer V}` ? V : never
type Method<K> = K extends OperationName ? (input: OpInput<K>) => Promise<Result<OpOutput<K>>> : never
export type Api = {
  [F in Feature<OperationName>]: { [V in Verb<OperationName, F>]: Method<`${F}.${V}`> }
} & {
  /** Subscribe to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Builds the nested api object from a single invoke function (preload and e2e harness). */
export function buildApi(
  invoke: (name: OperationName, input: unknown) => Promise<unknown>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void
): Api {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {}
  for (const name of OPERATION_NAMES) {
    const [feature, verb] = name.split('.') as [string, string]
    api[feature] ??= {}
    api[feature][verb] = (input: unknown) => invoke(name, input ?? {})
  }
  return Object.freeze({ ...api, on: subscribe }) as unknown as Api
}

// The keys feature: every lifecycle action on one key, and the same actions in bulk.
import { z } from 'zod'
import { RULES } from '../rules'
import { op } from './op'
import { graceHours, id, iso, IssueResultSchema, KeyRefSchema, KeyRowSchema, KeyStatusSchema, keyName, none, reason, uuid } from './schemas'

export const HistoryEntrySchema = z.object({
  at: iso,
  source: z.enum(['server', 'local']),
  action: z.string(),
  outcome: z.enum(['ok', 'failed', 'pending']),
  detail: z.string()
})

const scopes = z.array(z.string().min(1).max(RULES.scopes.maxLength)).max(RULES.scopes.maxCount)

export const CreateKeyInputSchema = z.object({
  name: keyName,
  description: z.string().max(RULES.description.max).optional(),
  keyType: z.enum(['service', 'anon']),
  scopes,
  /** The server's meaning: absent = every namespace, [] = the default namespace only. */
  allowedNamespaces: z.array(z.string().min(1).max(RULES.namespaces.maxLength)).max(RULES.namespaces.maxCount).optional(),
  rateLimitPerMinute: z.number().int().positive().max(RULES.rateLimitPerMinute.max).optional(),
  rateLimitPerHour: z.number().int().positive().max(RULES.rateLimitPerHour.max).optional(),
  expiresAt: iso.optional()
})

export const UpdateKeyInputSchema = z.object({
  name: keyName.optional(),
  description: z.string().max(RULES.description.max).optional(),
  scopes: scopes.optional(),
  rateLimitPerMinute: z.number().int().positive().max(RULES.rateLimitPerMinute.max).optional(),
  rateLimitPerHour: z.number().int().positive().max(RULES.rateLimitPerHour.max).optional()
})

const namespaceList = z.array(z.string().min(1).max(RULES.namespaces.maxLength)).max(RULES.namespaces.maxCount)

/**
 * The new key's namespaces. Needed when the server cannot tell the old key's: it omits an
 * empty list (default namespace only) just as it omits none (every namespace), reference §5.1.
 */
export const NamespaceChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('default') }),
  z.object({ kind: z.literal('list'), names: namespaceList.min(1) })
])

/** Replace with a new key: the edited settings of the key that replaces the old one. */
export const ReplaceKeyInputSchema = z.object({
  name: keyName,
  namespaces: NamespaceChoiceSchema.optional(),
  description: z.string().max(RULES.description.max).optional(),
  scopes: scopes.optional(),
  rateLimitPerMinute: z.number().int().positive().max(RULES.rateLimitPerMinute.max).optional(),
  rateLimitPerHour: z.number().int().positive().max(RULES.rateLimitPerHour.max).optional()
})

export const BULK_ACTIONS = ['disable', 'revoke', 'deprecate'] as const
const refs = z.array(KeyRefSchema).min(1).max(RULES.bulkRefs.max)
/** Each action carries what it needs: a revoke its reason, a deprecate its grace period. */
export const BulkInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('disable'), refs }),
  z.object({ action: z.literal('revoke'), refs, reason }),
  z.object({ action: z.literal('deprecate'), refs, graceHours })
])

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

export const keyOperations = {
  /** The cached row only: never waits for the network. */
  'keys.get': op(KeyRefSchema, z.object({
    key: KeyRowSchema,
    /** The key this one replaced (by rotate or Replace), when the cache has it. */
    replaces: z.object({ keyId: uuid, name: z.string() }).nullable()
  })),
  /** The app's action log for the key, merged with the server's revocation record (needs the network for the latter). */
  'keys.history': op(KeyRefSchema, z.object({ entries: z.array(HistoryEntrySchema) })),
  'keys.create': op(z.object({ instanceId: id, tenantId: uuid, input: CreateKeyInputSchema }), IssueResultSchema),
  'keys.update': op(z.object({ ref: KeyRefSchema, input: UpdateKeyInputSchema }), KeyRowSchema),
  'keys.disable': op(KeyRefSchema, KeyRowSchema),
  'keys.enable': op(KeyRefSchema, KeyRowSchema),
  'keys.deprecate': op(z.object({ ref: KeyRefSchema, graceHours }), KeyRowSchema),
  'keys.rotate': op(z.object({ ref: KeyRefSchema, graceHours, newName: keyName.optional() }),
    z.object({ issued: IssueResultSchema, oldKey: KeyRowSchema, deprecateError: z.string().nullable() })),
  /** deprecateError: the new key exists and is stored, but the old one's grace did not reach the server. */
  'keys.replace': op(z.object({ ref: KeyRefSchema, input: ReplaceKeyInputSchema, graceHours }),
    z.object({ issued: IssueResultSchema, oldKey: KeyRowSchema, deprecateError: z.string().nullable() })),
  'keys.finishRotation': op(z.object({ ref: KeyRefSchema, mode: z.enum(['disable', 'revoke']) }), KeyRowSchema),
  'keys.revoke': op(z.object({ ref: KeyRefSchema, reason }), KeyRowSchema),
  'keys.delete': op(z.object({ ref: KeyRefSchema, confirmName: z.string().max(RULES.keyName.max), force: z.boolean() }), z.object({})),
  'keys.copyValue': op(KeyRefSchema, z.object({ clearsAfterSeconds: z.number().int() })),
  'keys.forgetValue': op(KeyRefSchema, KeyRowSchema),
  /** Values the keychain refused, still held by the core (shown again after a reload). */
  'keys.unsaved': op(none, z.object({ values: z.array(z.object({ id: z.string(), ref: KeyRefSchema, keyName: z.string(), unsavedValue: z.string(), warning: z.string() })) })),
  'keys.dismissUnsaved': op(z.object({ id: z.string().min(1).max(100) }), z.object({})),
  'bulk.preview': op(BulkInputSchema, BulkPreviewSchema),
  'bulk.run': op(BulkInputSchema, BulkResultSchema)
} as const

// The shapes that cross the boundary, shared by the operations of several features.
import { z } from 'zod'
import { KEY_STATUSES, UPDATE_SUPPORT } from '../domain'
import { RULE_MESSAGES, RULES } from '../rules'

export const id = z.string().min(1).max(200)
export const uuid = z.guid()
export const iso = z.string().min(1)
/** Operations that take no input. */
export const none = z.object({}).strict()

export const KeyStatusSchema = z.enum(KEY_STATUSES)

export const KeyRefSchema = z.object({ instanceId: id, tenantId: uuid, keyId: uuid })

export const SyncStateSchema = z.discriminatedUnion('kind', [
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
  addedAt: iso,
  insecureTransport: z.boolean(),
  caBundle: z.object({ path: z.string(), fingerprint: z.string() }).nullable(),
  updateSupport: z.enum(UPDATE_SUPPORT),
  updateCheckedAt: iso.nullable()
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
  localReplacedBy: z.string().nullable(),
  revocationReason: z.string().nullable(),
  hasStoredValue: z.boolean(),
  orphan: z.boolean(),
  syncedAt: iso,
  tenantName: z.string(),
  tenantSlug: z.string(),
  instanceLabel: z.string(),
  status: KeyStatusSchema
})

/** A new key's value went to the keychain; only in the failure fallback does the UI see it, once. */
export const IssueResultSchema = z.discriminatedUnion('storedInKeychain', [
  z.object({ storedInKeychain: z.literal(true), key: KeyRowSchema }),
  // `unsavedId`: the core keeps the value until keys.dismissUnsaved, so a reload cannot lose it.
  z.object({ storedInKeychain: z.literal(false), key: KeyRowSchema, unsavedValue: z.string(), warning: z.string(), unsavedId: z.string() })
])

export const AuthInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), email: z.string().email(RULE_MESSAGES.email).max(320), password: z.string().min(1, 'Enter the password.').max(1000) }),
  z.object({ kind: z.literal('token'), token: z.string().min(10, RULE_MESSAGES.token).max(10_000) })
])

/** Whole hours within RULES.graceHours. */
export const graceHours = z.number().int(RULE_MESSAGES.graceHours).min(RULES.graceHours.min, RULE_MESSAGES.graceHours).max(RULES.graceHours.max, RULE_MESSAGES.graceHours)
export const reason = z.string().trim().min(RULES.reason.min, RULE_MESSAGES.reason).max(RULES.reason.max, RULE_MESSAGES.reason)
export const keyName = z.string().trim().min(1, RULE_MESSAGES.keyNameRequired).max(RULES.keyName.max)

// zod schemas of every admin-API answer this client reads, for both server generations
// (reference §3-§5 and Appendix A), and their normalisation to the client's camelCase shapes.
// Unknown fields are tolerated (zod objects strip them); a missing or mistyped required field
// fails validation, and describeIssue() turns that into a sentence naming the field.
import { z } from 'zod'
import type { ApiServiceKey, ApiTenant, IssuedKey, RevocationEntry } from './types'

const optStr = z.string().nullish()
const optInt = z.number().int().nullish()

/** ServiceKey (§5.1). Optional fields are omitted by Go when NULL; some clients send null. */
export const serviceKeySchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: optStr,
  key_prefix: z.string().min(1),
  key_type: optStr, // absent on the legacy server; NULL shown as "service"
  scopes: z.array(z.string()).nullable(),
  allowed_namespaces: z.array(z.string()).nullish(),
  enabled: z.boolean(),
  rate_limit_per_minute: optInt,
  rate_limit_per_hour: optInt,
  created_by: optStr,
  created_at: z.string().min(1),
  last_used_at: optStr,
  expires_at: optStr,
  revoked_at: optStr,
  deprecated_at: optStr,
  grace_period_ends_at: optStr,
  replaced_by: optStr
})
export type ServiceKeyWire = z.infer<typeof serviceKeySchema>

export const serviceKeyWithKeySchema = serviceKeySchema.extend({ key: z.string().min(8) })

export const serviceKeyListSchema = z.array(serviceKeySchema)

/** Legacy rotate: {old_key_id, grace_period_ends, new_key:{...ServiceKey, key}}. */
export const legacyRotateSchema = z.object({
  old_key_id: optStr,
  grace_period_ends: optStr,
  new_key: serviceKeyWithKeySchema
})

/** Current deprecate: {deprecated_at, grace_period_ends_at}; legacy: {success, grace_period_ends, ...}. */
export const deprecateSchema = z.object({
  deprecated_at: optStr,
  grace_period_ends_at: optStr,
  grace_period_ends: optStr
})

/** Legacy update/disable/enable/revoke: {success, message}. */
export const successSchema = z.object({ success: z.boolean(), message: optStr })

export const tenantSchema = z.object({
  id: z.string().min(1),
  slug: z.string().min(1),
  name: z.string(),
  is_default: z.boolean().nullish(),
  status: optStr
})
export const tenantListSchema = z.array(tenantSchema)

/** Current server: one object, the last three fields null when unset (§4.10). */
export const currentRevocationSchema = z.object({
  id: z.string().min(1),
  revoked_at: optStr,
  revoked_by: optStr,
  revocation_reason: optStr
})

/** Legacy server: array of audit rows, newest first (Appendix A). */
export const legacyRevocationSchema = z.object({
  key_id: z.string().min(1),
  revoked_by: optStr,
  reason: optStr,
  revocation_type: optStr,
  created_at: optStr
})
export const legacyRevocationListSchema = z.array(legacyRevocationSchema)

export const loginSchema = z.object({
  access_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).nullish(),
  expires_in: z.number().nonnegative().nullish(),
  requires_2fa: z.boolean().nullish()
})

export const healthSchema = z.object({ status: z.string(), timestamp: optStr })

// ---------------------------------------------------------------------------------------------
// Normalisation

export function toApiServiceKey(w: ServiceKeyWire): ApiServiceKey {
  return {
    id: w.id,
    name: w.name,
    description: w.description ?? null,
    keyPrefix: w.key_prefix,
    keyType: w.key_type ?? 'service',
    scopes: w.scopes ?? [],
    allowedNamespaces: w.allowed_namespaces ?? null,
    enabled: w.enabled,
    rateLimitPerMinute: w.rate_limit_per_minute ?? null,
    rateLimitPerHour: w.rate_limit_per_hour ?? null,
    createdBy: w.created_by ?? null,
    createdAt: w.created_at,
    lastUsedAt: w.last_used_at ?? null,
    expiresAt: w.expires_at ?? null,
    revokedAt: w.revoked_at ?? null,
    deprecatedAt: w.deprecated_at ?? null,
    gracePeriodEndsAt: w.grace_period_ends_at ?? null,
    replacedBy: w.replaced_by ?? null
  }
}

export function toIssuedKey(w: z.infer<typeof serviceKeyWithKeySchema>): IssuedKey {
  return { key: toApiServiceKey(w), value: w.key }
}

export function toApiTenant(w: z.infer<typeof tenantSchema>): ApiTenant {
  return { id: w.id, slug: w.slug, name: w.name, isDefault: w.is_default ?? false, status: w.status ?? 'active' }
}

export function currentRevocationToEntries(w: z.infer<typeof currentRevocationSchema>): RevocationEntry[] {
  if (!w.revoked_at) return []
  return [{ keyId: w.id, revokedAt: w.revoked_at, revokedBy: w.revoked_by ?? null, reason: w.revocation_reason ?? null, type: null }]
}

export function legacyRevocationToEntry(w: z.infer<typeof legacyRevocationSchema>): RevocationEntry {
  return { keyId: w.key_id, revokedAt: w.created_at ?? null, revokedBy: w.revoked_by ?? null, reason: w.reason ?? null, type: w.revocation_type ?? null }
}

// ---------------------------------------------------------------------------------------------
// Validation messages

function pathString(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out || 'the body'
}

/** One clause naming the first offending field, e.g. "[3].key_prefix is missing". Never quotes values. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'its shape is wrong'
  const where = pathString(issue.path)
  if (issue.code === 'invalid_type') {
    // zod 4 reports a missing field as invalid_type "... received undefined" (input not kept).
    const received = /received (\w+)/.exec(issue.message)?.[1] ?? null
    if (received === 'undefined' && issue.path.length > 0) return `${where} is missing`
    return `${where} should be ${issue.expected}${received ? `, got ${received}` : ''}`
  }
  if (issue.code === 'too_small') return `${where} is empty or too small`
  return `${where} is not valid (${issue.code})`
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string }

export function parseWith<S extends z.ZodType>(schema: S, data: unknown): ParseResult<z.infer<S>> {
  const r = schema.safeParse(data)
  if (r.success) return { ok: true, value: r.data }
  return { ok: false, detail: describeIssue(r.error) }
}

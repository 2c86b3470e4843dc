// JSON shapes (§5.1, §3.1, Appendix A). Go's `omitempty` leaves nil pointers out, and nil-or-empty
// slices too, so optional fields are OMITTED, never null. Field order follows the Go structs.
// Timestamps: see time-format.ts (µs + server zone for DB values, ns for Go's time.Now()).
import type { KeyRecord, RevocationRecord, TenantRecord } from './store'
import type { ClientTime, TimeFormat } from './time-format'

export type Profile = 'current' | 'legacy'

/** `ServiceKey` as list/get/update return it (DB-read timestamps). */
export function keyObject(k: KeyRecord, profile: Profile, tf: TimeFormat): Record<string, unknown> {
  const o: Record<string, unknown> = { id: k.id, name: k.name }
  if (k.description !== null) o.description = k.description
  o.key_prefix = k.keyPrefix
  // The legacy server had no key_type column and did not expose allowed_namespaces (Appendix A).
  if (profile === 'current') o.key_type = k.keyType
  o.scopes = k.scopes
  if (profile === 'current' && k.allowedNamespaces && k.allowedNamespaces.length > 0) o.allowed_namespaces = k.allowedNamespaces
  o.enabled = k.enabled
  if (k.rateLimitPerMinute !== null) o.rate_limit_per_minute = k.rateLimitPerMinute
  if (k.rateLimitPerHour !== null) o.rate_limit_per_hour = k.rateLimitPerHour
  if (k.createdBy !== null) o.created_by = k.createdBy
  o.created_at = tf.db(k.createdAt)
  if (k.lastUsedAt !== null) o.last_used_at = tf.db(k.lastUsedAt)
  if (k.expiresAt !== null) o.expires_at = tf.dbExact(k.expiresAt, k.expiresAtMicros ?? 0)
  if (k.revokedAt !== null) o.revoked_at = tf.db(k.revokedAt)
  if (k.deprecatedAt !== null) o.deprecated_at = tf.db(k.deprecatedAt)
  if (k.gracePeriodEndsAt !== null) o.grace_period_ends_at = tf.db(k.gracePeriodEndsAt)
  if (k.replacedBy !== null) o.replaced_by = k.replacedBy
  return o
}

/** Serialised key, cached on the record until it changes (lists of many keys stay cheap). */
export function keyJson(k: KeyRecord, profile: Profile, tf: TimeFormat): string {
  k.json ??= JSON.stringify(keyObject(k, profile, tf))
  return k.json
}

export function keyListJson(keys: readonly KeyRecord[], profile: Profile, tf: TimeFormat): string {
  if (keys.length === 0) return '[]'
  const parts = new Array<string>(keys.length)
  for (let i = 0; i < keys.length; i++) parts[i] = keyJson(keys[i] as KeyRecord, profile, tf)
  return `[${parts.join(',')}]`
}

/**
 * `ServiceKeyWithKey` as the current server's create and rotate build it in memory (§4.3, §4.9):
 * created_at is Go's time.Now() (nanoseconds, server zone); expires_at is the request's own value
 * as Go re-writes it (`echo`: the client's offset and digits), or for rotate the old row's DB value;
 * nothing DB-only (created_by, last_used_at, revoked_at, deprecated_at, grace_period_ends_at,
 * replaced_by) is present.
 */
export function createdKeyObject(k: KeyRecord, key: string, tf: TimeFormat, expiresEcho?: ClientTime | null): Record<string, unknown> {
  const o: Record<string, unknown> = { id: k.id, name: k.name }
  if (k.description !== null) o.description = k.description
  o.key_prefix = k.keyPrefix
  o.key_type = k.keyType
  o.scopes = k.scopes
  if (k.allowedNamespaces && k.allowedNamespaces.length > 0) o.allowed_namespaces = k.allowedNamespaces
  o.enabled = true
  if (k.rateLimitPerMinute !== null) o.rate_limit_per_minute = k.rateLimitPerMinute
  if (k.rateLimitPerHour !== null) o.rate_limit_per_hour = k.rateLimitPerHour
  o.created_at = tf.goNow(k.createdAt)
  if (expiresEcho) o.expires_at = expiresEcho.echo
  else if (k.expiresAt !== null) o.expires_at = tf.dbExact(k.expiresAt, k.expiresAtMicros ?? 0)
  o.key = key
  return o
}

/** `TenantResponse` (§3.1): db_name, metadata and deleted_at omitted when empty. */
export function tenantObject(t: TenantRecord, tf: TimeFormat, myRole?: string): Record<string, unknown> {
  const o: Record<string, unknown> = { id: t.id, slug: t.slug, name: t.name }
  if (t.dbName !== null) o.db_name = t.dbName
  o.status = t.status
  o.is_default = t.isDefault
  if (Object.keys(t.metadata).length > 0) o.metadata = t.metadata
  o.created_at = tf.db(t.createdAt)
  o.updated_at = tf.db(t.updatedAt)
  if (myRole !== undefined) o.my_role = myRole
  return o
}

/** Legacy audit row (Appendix A). */
export function revocationObject(r: RevocationRecord, tf: TimeFormat): Record<string, unknown> {
  return {
    id: r.id,
    key_id: r.keyId,
    key_prefix: r.keyPrefix,
    ...(r.revokedBy !== null ? { revoked_by: r.revokedBy } : {}),
    reason: r.reason,
    revocation_type: r.revocationType,
    created_at: tf.db(r.createdAt)
  }
}

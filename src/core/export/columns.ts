import type { KeyMeta, KeyStatus } from '../../shared/domain'

export type ExportRow = KeyMeta & { tenantName: string; tenantSlug: string; instanceLabel: string; status: KeyStatus }
export type ExportColumn = keyof ExportRow

/**
 * The allowlist: only these fields leave the app, in this order. A new field (say, one that
 * carries a secret) stays out until someone adds it here on purpose.
 */
export const EXPORT_COLUMNS = Object.freeze([
  'instanceLabel', 'tenantName', 'tenantSlug', 'name', 'status', 'keyType', 'keyPrefix', 'scopes',
  'allowedNamespaces', 'enabled', 'description', 'rateLimitPerMinute', 'rateLimitPerHour', 'createdBy',
  'createdAt', 'lastUsedAt', 'expiresAt', 'deprecatedAt', 'gracePeriodEndsAt', 'localGraceEndsAt',
  'revokedAt', 'revocationReason', 'replacedBy', 'localReplacedBy', 'hasStoredValue', 'orphan', 'syncedAt',
  'instanceId', 'tenantId', 'id'
] as const satisfies readonly ExportColumn[])

/** Picks the allowlisted fields, by name, from a row that may carry more. */
export function pickColumns(row: ExportRow): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const column of EXPORT_COLUMNS) out[column] = row[column] ?? null
  return out
}

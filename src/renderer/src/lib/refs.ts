import type { KeyRef } from '../../../shared/domain'

/** A stable string id for a key across instances and tenants. */
export function refId(ref: KeyRef): string {
  return `${ref.instanceId}|${ref.tenantId}|${ref.keyId}`
}

export function rowRef(row: { instanceId: string; tenantId: string; id: string }): KeyRef {
  return { instanceId: row.instanceId, tenantId: row.tenantId, keyId: row.id }
}

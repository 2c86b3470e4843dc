// The facts only this app knows about keys (a grace end it set, a revocation reason the server
// dropped, an orphan flag, a Replace link): the part of the cache that the servers cannot give
// back after a rebuild, read for the safety state file (core/safety/).
import type Database from 'better-sqlite3'
import type { KeyRef } from '../../shared/domain'

export interface KeptLocalFacts {
  ref: KeyRef
  localGraceEndsAt: string | null
  revocationReason: string | null
  orphan: boolean
  localReplacedBy: string | null
}

interface Row {
  instance_id: string
  tenant_id: string
  id: string
  local_grace_ends_at: string | null
  revocation_reason: string | null
  orphan: number
  local_replaced_by: string | null
}

export function createLocalFactsQuery(db: Database.Database) {
  const select = db.prepare<[], Row>(
    `SELECT instance_id, tenant_id, id, local_grace_ends_at, revocation_reason, orphan, local_replaced_by FROM keys
     WHERE local_grace_ends_at IS NOT NULL OR revocation_reason IS NOT NULL OR orphan = 1 OR local_replaced_by IS NOT NULL`
  )
  return {
    keptLocalFacts(): KeptLocalFacts[] {
      return select.all().map((r) => ({
        ref: { instanceId: r.instance_id, tenantId: r.tenant_id, keyId: r.id },
        localGraceEndsAt: r.local_grace_ends_at,
        revocationReason: r.revocation_reason,
        orphan: r.orphan === 1,
        localReplacedBy: r.local_replaced_by
      }))
    }
  }
}

// The sync feature: fetch the selected tenants' key lists into the cache.
import { z } from 'zod'
import { op } from './op'
import { id, none, uuid } from './schemas'

const SyncSummarySchema = z.object({
  tenants: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  cancelled: z.boolean(),
  durationMs: z.number()
})

export const syncOperations = {
  'sync.run': op(z.object({
    instanceId: id.optional(),
    tenantIds: z.array(uuid).optional(),
    /** Tenants the operator is looking at: synced first (a rate-limited server makes the rest wait). */
    firstTenantIds: z.array(uuid).max(5000).optional()
  }), SyncSummarySchema),
  'sync.cancel': op(none, z.object({}))
} as const

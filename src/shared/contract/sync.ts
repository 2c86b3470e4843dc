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
  'sync.run': op(z.object({ instanceId: id.optional(), tenantIds: z.array(uuid).optional() }), SyncSummarySchema),
  'sync.cancel': op(none, z.object({}))
} as const

// The inventory feature: the cached keys of every instance and tenant, filtered and paged.
import { z } from 'zod'
import { RULES } from '../rules'
import { op } from './op'
import { id, KeyRowSchema, KeyStatusSchema, uuid } from './schemas'

/** Every C0 control character and DEL, as a space. */
const controlsToSpaces = (s: string): string => Array.from(s, (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('')

export const SORT_COLUMNS = ['name', 'tenant', 'keyType', 'keyPrefix', 'status', 'createdAt', 'lastUsedAt', 'expiresAt', 'graceEndsAt'] as const

export const InventoryQuerySchema = z.object({
  instanceId: id.optional(),
  tenantIds: z.array(uuid).max(5000).optional(),
  keyTypes: z.array(z.string().max(40)).max(10).optional(),
  statuses: z.array(KeyStatusSchema).optional(),
  // Control characters (a NUL from a paste) mean nothing in a search: they become spaces, so
  // they can neither break the full-text query nor make it match everything.
  text: z.string().max(RULES.searchText.max).transform(controlsToSpaces).optional(),
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

export const inventoryOperations = {
  'inventory.query': op(InventoryQuerySchema, z.object({
    rows: z.array(KeyRowSchema),
    /** Matching keys; when totalExact is false, more than this many match. */
    total: z.number().int(),
    totalExact: z.boolean()
  })),
  'inventory.count': op(InventoryQuerySchema, z.object({ total: z.number().int() }))
} as const

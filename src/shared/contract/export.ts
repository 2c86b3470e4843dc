// The export feature: the inventory (metadata only, never a value) as CSV or JSON.
import { z } from 'zod'
import { InventoryQuerySchema } from './inventory'
import { op } from './op'

export const exportOperations = {
  'export.save': op(z.object({ format: z.enum(['csv', 'json']), query: InventoryQuerySchema }), z.object({ path: z.string().nullable(), rows: z.number().int() }))
} as const

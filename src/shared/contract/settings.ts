// The settings feature.
import { z } from 'zod'
import { op } from './op'
import { none } from './schemas'

export const SettingsSchema = z.object({
  graceLeadsMinutes: z.array(z.number().int().positive()).max(10),
  expiryLeadsMinutes: z.array(z.number().int().positive()).max(10),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  syncConcurrency: z.number().int().min(1).max(64),
  requestTimeoutSeconds: z.number().int().min(1).max(300)
})

export const settingsOperations = {
  'settings.get': op(none, SettingsSchema),
  'settings.set': op(SettingsSchema.partial(), SettingsSchema)
} as const

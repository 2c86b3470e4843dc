// The IPC contract: every operation the UI may ask of the core (input and output schemas),
// every event the core pushes, the error shape, and window.api built from them. Main
// registers one handler per operation, the preload and the e2e harness build `window.api`
// with buildApi. Nothing here carries a secret, except the one-time `unsavedValue` of the
// keychain-failure fallback (see IssueResultSchema).
import type { z } from 'zod'
import type { AppStatusSchema } from './app'
import type { TenantOverviewSchema } from './instances'
import type { InventoryQuerySchema } from './inventory'
import type { HistoryEntrySchema } from './keys'
import type { IssueResultSchema, KeyRowSchema } from './schemas'
import type { SettingsSchema } from './settings'
import type { WarningEventSchema } from './events'

export * from './operations'
export * from './events'
export * from './errors'
export * from './api'
export { KeyRefSchema, KeyRowSchema, KeyStatusSchema, IssueResultSchema, InstanceSchema, TenantSchema } from './schemas'
export { AppStatusSchema } from './app'
export { TenantOverviewSchema, emptyStatusCounts } from './instances'
export { InventoryQuerySchema, SORT_COLUMNS } from './inventory'
export { BULK_ACTIONS, BulkInputSchema, CreateKeyInputSchema, HistoryEntrySchema, NamespaceChoiceSchema, ReplaceKeyInputSchema, UpdateKeyInputSchema } from './keys'
export { SettingsSchema } from './settings'
export { LockStatusSchema } from './lock'

export type KeyRow = z.infer<typeof KeyRowSchema>
export type TenantOverview = z.infer<typeof TenantOverviewSchema>
export type InventoryQueryInput = z.infer<typeof InventoryQuerySchema>
export type IssueResult = z.infer<typeof IssueResultSchema>
export type Settings = z.infer<typeof SettingsSchema>
export type AppStatus = z.infer<typeof AppStatusSchema>
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>
export type WarningEvent = z.infer<typeof WarningEventSchema>

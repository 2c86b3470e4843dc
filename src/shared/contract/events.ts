// Events the core pushes to the UI, and the one channel name each travels on.
import { z } from 'zod'
import { id, iso, KeyRefSchema, SyncStateSchema, uuid } from './schemas'
import { AppStatusSchema } from './app'

export const WarningEventSchema = z.object({
  id: z.string(), kind: z.enum(['grace_ending', 'grace_ended', 'expiring', 'expired', 'summary']),
  ref: KeyRefSchema.nullable(), title: z.string(), body: z.string(), eventAt: iso.nullable()
})

export const events = {
  'sync.progress': z.object({ done: z.number().int(), total: z.number().int(), current: z.object({ instanceId: id, tenantId: uuid, name: z.string(), state: SyncStateSchema }).nullable() }),
  'inventory.changed': z.object({ reason: z.string() }),
  'app.status': AppStatusSchema,
  'warning': WarningEventSchema,
  'key.open': KeyRefSchema,
  'clipboard.cleared': z.object({ ref: KeyRefSchema, cleared: z.boolean() })
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = z.infer<Events[K]>

export const EVENT_NAMES = Object.keys(events) as EventName[]
const eventNames: ReadonlySet<string> = new Set(EVENT_NAMES)
export const isEventName = (name: unknown): name is EventName => typeof name === 'string' && eventNames.has(name)

/** The IPC channel an event travels on (main sends on it, the preload listens on it). */
export const eventChannel = (name: EventName): string => `event:${name}`

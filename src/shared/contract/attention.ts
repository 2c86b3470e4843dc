// The attention feature: one "Needs attention" inbox instead of a pile of warnings. Each item is
// a fact about the cache or the app's state right now (a grace period that ended, a server that
// cannot be reached, ...) with its one obvious next action; it goes away when it stops being true.
import { z } from 'zod'
import { op } from './op'
import { id, iso, KeyRefSchema, KeyStatusSchema, none, uuid } from './schemas'

/** In the order the inbox lists them (most urgent first). */
export const ATTENTION_KINDS = [
  /** A server could not be reached at the last attempt: its keys are as of its last good sync. */
  'instance_unreachable',
  /** A server refused the stored credential: nothing of it syncs until someone signs in again. */
  'sign_in',
  /** A deprecated key the server still accepts: its grace ended (or none was set). Finish the rotation. */
  'grace_ended',
  /** Issued by an action whose answer never arrived: nobody has its value. */
  'orphan',
  /** A grace period ends within the warning lead time. */
  'grace_ending',
  /** A key expires within the warning lead time. */
  'expiring',
  /** A key expired recently (requests with it are rejected now). */
  'expired',
  /** Tenants of a reachable server whose last sync failed, grouped by instance and reason. */
  'tenant_failing',
  /** Tenants not synced for a day (or never), per instance. */
  'tenants_outdated',
  /** Active keys not used for the configured number of days, per instance. */
  'unused',
  /** Keys that expired long ago and are still listed, per instance. */
  'expired_old'
] as const
export type AttentionKind = (typeof ATTENTION_KINDS)[number]

export const ATTENTION_SEVERITIES = ['critical', 'warning', 'info'] as const

/** The severity of each kind: fixed, so counts by severity are exact whatever is listed. */
export const ATTENTION_SEVERITY: Record<AttentionKind, (typeof ATTENTION_SEVERITIES)[number]> = {
  instance_unreachable: 'critical',
  sign_in: 'critical',
  grace_ended: 'critical',
  orphan: 'critical',
  grace_ending: 'warning',
  expiring: 'warning',
  expired: 'warning',
  tenant_failing: 'warning',
  tenants_outdated: 'info',
  unused: 'info',
  expired_old: 'info'
}

/** The one obvious next step of an item. */
export const ATTENTION_ACTIONS = ['finish_rotation', 'open_key', 'retry_instance', 'resync_tenants', 'sign_in', 'show_keys'] as const

/** The inventory filter that lists an aggregate item's keys (show_keys). */
export const AttentionFilterSchema = z.object({
  instanceId: id.optional(),
  statuses: z.array(KeyStatusSchema).optional(),
  unusedForDays: z.number().int().positive().optional(),
  expiringWithinMs: z.number().int().positive().optional(),
  orphansOnly: z.boolean().optional()
})

export const AttentionItemSchema = z.object({
  /** Stable while the fact holds (kind and what it is about). */
  id: z.string(),
  kind: z.enum(ATTENTION_KINDS),
  severity: z.enum(ATTENTION_SEVERITIES),
  instanceId: id,
  instanceLabel: z.string(),
  tenantId: uuid.nullable(),
  tenantName: z.string().nullable(),
  /** The key, for items about one key. */
  ref: KeyRefSchema.nullable(),
  keyName: z.string().nullable(),
  /** Short, without relative times (the UI renders those from the dates below, live). */
  title: z.string(),
  detail: z.string(),
  /** The date that orders the item: a deadline (grace end, expiry) or since when (an outage). */
  at: iso.nullable(),
  /** Data shown is as of this sync (outages, failing tenants). */
  asOf: iso.nullable(),
  /** The key's last use (when to finish a rotation: once the old key is no longer used). */
  lastUsedAt: iso.nullable(),
  /** The key that replaced this one, by name, when the cache has it. */
  replacedByName: z.string().nullable(),
  action: z.enum(ATTENTION_ACTIONS),
  /** Tenants a resync_tenants or sign_in item is about. */
  tenantIds: z.array(uuid),
  /** For show_keys: the filter that lists the keys the item counts. */
  filter: AttentionFilterSchema.nullable(),
  /** Keys or tenants the item stands for (1 for an item about one key). */
  count: z.number().int().nonnegative()
})

const CountsSchema = z.object({
  /** What a badge shows: critical and warning items (info items are hygiene, not alarms). */
  badge: z.number().int().nonnegative(),
  critical: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative()
})

export const AttentionSettingsSchema = z.object({
  /** Flag active keys unused for this many days; 0 turns the item off. */
  unusedForDays: z.number().int().min(0).max(3650)
})

export const attentionOperations = {
  /** Computed from the cache and the app's state, never the network. */
  'attention.list': op(
    z.object({ limitPerKind: z.number().int().positive().max(1000).optional() }),
    CountsSchema.extend({
      items: z.array(AttentionItemSchema),
      /** Exact items of each kind; `items` holds at most limitPerKind of each. */
      byKind: z.record(z.enum(ATTENTION_KINDS), z.number().int().nonnegative()),
      unusedForDays: z.number().int()
    })
  ),
  /** The counts alone (the tray badge, the window title): critical and warning only, `info` is 0 here. */
  'attention.count': op(none, CountsSchema),
  'attention.getSettings': op(none, AttentionSettingsSchema),
  'attention.setSettings': op(AttentionSettingsSchema, AttentionSettingsSchema)
} as const

// What each command prints with --json: the contract's own output schemas where a command
// answers one operation, and small wrappers built from them where it combines several. Every
// --json answer is parsed through its schema before printing, so only these fields leave.
import { z } from 'zod'
import { AppStatusSchema, KeyRefSchema, KeyRowSchema, operations } from '../shared/contract'

const output = <K extends keyof typeof operations>(name: K): (typeof operations)[K]['output'] => operations[name].output

/** A newly issued key: its row, whether the value reached the keychain; the value only with --reveal-once. */
export const IssuedJson = z.object({
  key: KeyRowSchema,
  storedInKeychain: z.boolean(),
  /** The keychain refused the value (the app's unsaved-value fallback): what to do now. */
  warning: z.string().optional(),
  /** Present only with --reveal-once (and stdout not a terminal), or when the keychain refused it. */
  value: z.string().optional()
})

const BulkChanges = output('bulk.preview').shape.changes
const BulkResults = output('bulk.run').shape.results

export const CLI_JSON = {
  'status': AppStatusSchema.extend({ dataDir: z.string() }),
  'instances list': output('instances.list'),
  'instances add': output('instances.add'),
  'instances test': output('instances.test'),
  'instances remove': output('instances.remove'),
  'tenants': output('tenants.list'),
  'sync': output('sync.run'),
  'ls': output('inventory.query'),
  'show': output('keys.get'),
  'history': output('keys.history'),
  'create': IssuedJson,
  /** update, disable, enable, deprecate, finish, revoke of one key: the key as it is now. */
  'key': KeyRowSchema,
  /** rotate, and update --replace: the new key and the old one, now in its grace period. */
  'rotate': z.object({ issued: IssuedJson, oldKey: KeyRowSchema }),
  'delete': z.object({ deleted: KeyRefSchema, name: z.string() }),
  /** A bulk form with --dry-run: what would change (or be skipped, and why). */
  'bulk dry-run': z.object({ action: z.string(), dryRun: z.literal(true), changes: BulkChanges }),
  'bulk': z.object({
    action: z.string(),
    dryRun: z.literal(false),
    results: z.array(BulkResults.element.extend({ newKey: KeyRowSchema.optional() }))
  }),
  'export': output('export.save'),
  'settings': output('settings.get'),
  'copy': z.object({ key: KeyRefSchema, clearsAfterSeconds: z.number().int(), cleared: z.boolean() }),
  'check': z.object({
    ok: z.boolean(),
    withinMs: z.number().int(),
    checkedAt: z.string(),
    lastSyncAt: z.string().nullable(),
    graceEnding: z.array(KeyRowSchema),
    expiring: z.array(KeyRowSchema),
    overdue: z.array(KeyRowSchema),
    staleTenants: z.array(z.object({ instanceId: z.string(), tenantId: z.string(), name: z.string(), reason: z.string() }))
  }),
  /** Every failure, on stderr. */
  'error': z.object({ error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean(), exitCode: z.number().int() }) })
} as const

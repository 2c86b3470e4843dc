// The --json shapes the README documents, stated here from the contract's schemas (strict: no
// field beyond these), independently of src/cli/json.ts, so a drift on either side fails.
import { z } from 'zod'
import { AppStatusSchema, InstanceSchema, KeyRefSchema, KeyRowSchema, operations, SettingsSchema, TenantOverviewSchema } from '../../src/shared/contract'

const Key = KeyRowSchema.strict()
const Issued = z.strictObject({ key: Key, storedInKeychain: z.boolean(), warning: z.string().optional(), value: z.string().optional() })
const change = z.strictObject({
  ref: KeyRefSchema.strict(), name: z.string(), tenantName: z.string(),
  from: KeyRowSchema.shape.status, to: KeyRowSchema.shape.status.nullable(), skip: z.string().nullable()
})
const result = z.strictObject({ ref: KeyRefSchema.strict(), name: z.string(), ok: z.boolean(), skipped: z.boolean(), error: z.string().nullable(), newKey: Key.optional() })

export const JSON_SHAPES = {
  status: AppStatusSchema.extend({ dataDir: z.string() }).strict(),
  instancesList: z.array(InstanceSchema.strict()),
  instancesAdd: z.strictObject({ instance: InstanceSchema.strict(), tenants: operations['instances.add'].output.shape.tenants }),
  instancesTest: operations['instances.test'].output.strict(),
  instancesRemove: z.strictObject({ removedSecrets: z.number().int() }),
  tenants: z.array(TenantOverviewSchema.strict()),
  sync: operations['sync.run'].output.strict(),
  ls: z.strictObject({ rows: z.array(Key), total: z.number().int(), totalExact: z.literal(true) }),
  show: operations['keys.get'].output.extend({ key: Key }).strict(),
  history: operations['keys.history'].output.strict(),
  create: Issued,
  key: Key,
  rotate: z.strictObject({ issued: Issued, oldKey: Key }),
  delete: z.strictObject({ deleted: KeyRefSchema.strict(), name: z.string() }),
  dryRun: z.strictObject({ action: z.string(), dryRun: z.literal(true), changes: z.array(change) }),
  bulk: z.strictObject({ action: z.string(), dryRun: z.literal(false), results: z.array(result) }),
  export: z.strictObject({ path: z.string(), rows: z.number().int() }),
  settings: SettingsSchema.strict(),
  copy: z.strictObject({ key: KeyRefSchema.strict(), clearsAfterSeconds: z.number().int(), cleared: z.boolean() }),
  check: z.strictObject({
    ok: z.boolean(), withinMs: z.number().int(), checkedAt: z.string(), lastSyncAt: z.string().nullable(),
    graceEnding: z.array(Key), expiring: z.array(Key), overdue: z.array(Key),
    staleTenants: z.array(z.strictObject({ instanceId: z.string(), tenantId: z.string(), name: z.string(), reason: z.string() }))
  }),
  error: z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), retryable: z.boolean(), exitCode: z.number().int() }) })
} as const

/** Parses with the shape; the failure names the first wrong field. */
export function shaped<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new Error(`--json output does not match its documented shape: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`)
  return parsed.data
}

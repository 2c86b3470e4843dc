// The instances feature: Fluxbase servers, their credentials (kept in the keychain) and their
// tenants (which are synced, and whether their rotations finish automatically).
import { z } from 'zod'
import { KEY_STATUSES, UPDATE_SUPPORT } from '../domain'
import { RULE_MESSAGES, RULES } from '../rules'
import { op } from './op'
import { AuthInputSchema, id, InstanceSchema, KeyStatusSchema, none, TenantSchema, uuid } from './schemas'

const TransportChoice = {
  /** Plain http to a host other than loopback: only when the operator chooses it, for this instance. */
  insecureTransport: z.boolean().optional(),
  /** A PEM file with the private CA this server's certificate chains to. */
  caBundlePath: z.string().min(1).max(4096).optional()
}

const ConnectionInputSchema = z.object({
  baseUrl: z.string().url(RULE_MESSAGES.baseUrl).max(2000),
  auth: AuthInputSchema,
  ...TransportChoice
})

const DiscoveredTenantSchema = z.object({ id: uuid, slug: z.string(), name: z.string(), isDefault: z.boolean() })

export const TenantOverviewSchema = TenantSchema.extend({
  instanceLabel: z.string(),
  counts: z.record(KeyStatusSchema, z.number().int().nonnegative()),
  total: z.number().int().nonnegative()
})

export const instanceOperations = {
  'instances.list': op(none, z.array(InstanceSchema)),
  'instances.test': op(ConnectionInputSchema, z.object({ tenants: z.array(DiscoveredTenantSchema), role: z.string() })),
  'instances.add': op(ConnectionInputSchema.extend({ label: z.string().max(RULES.instanceLabel.max).optional(), tenantIds: z.array(uuid).optional() }),
    z.object({ instance: InstanceSchema, tenants: z.array(TenantSchema) })),
  'instances.updateCredential': op(z.object({ instanceId: id, auth: AuthInputSchema }), z.object({})),
  'instances.remove': op(z.object({ instanceId: id }), z.object({ removedSecrets: z.number().int() })),
  'instances.rediscover': op(z.object({ instanceId: id }), z.array(TenantSchema)),
  /** Changes how an instance is reached: the insecure-transport choice, the CA bundle (null: none). */
  'instances.setTransport': op(z.object({ instanceId: id, insecureTransport: z.boolean().optional(), caBundlePath: z.string().min(1).max(4096).nullable().optional() }), InstanceSchema),
  /** Asks the server again whether it can update a key (Edit asks before the operator types). */
  'instances.checkUpdateSupport': op(z.object({ instanceId: id, force: z.boolean().optional() }), z.object({ updateSupport: z.enum(UPDATE_SUPPORT) })),
  'tenants.list': op(none, z.array(TenantOverviewSchema)),
  'tenants.select': op(z.object({ instanceId: id, tenantIds: z.array(uuid), selected: z.boolean() }), z.object({})),
  'tenants.setAutoFinishRotation': op(z.object({ instanceId: id, tenantId: uuid, on: z.boolean() }), z.object({}))
} as const

/** Every status with a count, zeros included (what tenants.list answers per tenant). */
export const emptyStatusCounts = (): Record<(typeof KEY_STATUSES)[number], number> =>
  Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<(typeof KEY_STATUSES)[number], number>

// The inventory filters of the app's toolbar as options (ls, export, check and the bulk forms):
// status, expiring within, grace ending within, unused for, tenant, instance, type, text, orphans.
import { InvalidArgumentError, Option, type Command } from 'commander'
import { SORT_COLUMNS, type InventoryQueryInput, type KeyRow } from '../shared/contract'
import { KEY_STATUSES, type KeyStatus } from '../shared/domain'
import { durationOption, toDays } from './duration'
import { resolveInstance, resolveTenants } from './resolve'
import type { Session } from './session'

export interface FilterOptions {
  status?: KeyStatus[]
  expiringWithin?: number
  graceEndingWithin?: number
  unusedFor?: number
  tenant?: string[]
  instance?: string
  type?: string[]
  text?: string
  orphans?: boolean
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

function statusList(value: string, previous: KeyStatus[] = []): KeyStatus[] {
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean)
  for (const p of parts) {
    if (!(KEY_STATUSES as readonly string[]).includes(p)) throw new InvalidArgumentError(`Use one or more of ${KEY_STATUSES.join(', ')} (comma-separated).`)
  }
  return [...new Set([...previous, ...(parts as KeyStatus[])])]
}

/** Adds the filter options; `--instance` and `--tenant` also narrow a single key's lookup. */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--status <list>', `only keys in these statuses: ${KEY_STATUSES.join(', ')} (comma-separated, repeatable)`).argParser(statusList))
    .addOption(new Option('--expiring-within <duration>', 'only keys that expire within this time (e.g. 7d)').argParser(durationOption()))
    .addOption(new Option('--grace-ending-within <duration>', 'only keys whose grace period ends within this time (e.g. 48h)').argParser(durationOption()))
    .addOption(new Option('--unused-for <duration>', 'only keys not used for this long (e.g. 90d; a bare number counts in days)').argParser(durationOption('d')))
    .addOption(new Option('--tenant <tenant>', 'only this tenant: id, slug or name (repeatable)').argParser(collect))
    .addOption(new Option('--instance <instance>', 'only this instance: id, label or URL'))
    .addOption(new Option('--type <type>', 'only keys of this type, e.g. service or anon (repeatable)').argParser(collect))
    .addOption(new Option('--text <text>', "only keys whose name, prefix or description contains this text"))
    .addOption(new Option('--orphans', 'only keys issued by an action whose answer never arrived'))
}

/** --instance and --tenant: which key a name means (a name may be used in several tenants). */
export function addKeyScope(cmd: Command): Command {
  return cmd
    .option('--instance <instance>', 'look for the key on this instance: id, label or URL')
    .addOption(new Option('--tenant <tenant>', 'look for the key in this tenant: id, slug or name').argParser(collect))
}

/** Whether any filter was given (a bulk action needs one, or --all). */
export function hasFilter(o: FilterOptions): boolean {
  return Boolean(o.status?.length || o.expiringWithin || o.graceEndingWithin || o.unusedFor || o.tenant?.length || o.instance || o.type?.length || o.text || o.orphans)
}

/** The options as the contract's inventory query (tenants and instance resolved to ids). */
export async function toQuery(s: Session, o: FilterOptions): Promise<InventoryQueryInput> {
  const instanceId = o.instance === undefined ? undefined : (await resolveInstance(s, o.instance)).id
  const tenants = await resolveTenants(s, o.tenant ?? [], instanceId)
  return {
    ...(instanceId ? { instanceId } : {}),
    ...(tenants.length > 0 ? { tenantIds: tenants.map((t) => t.id) } : {}),
    ...(o.status?.length ? { statuses: o.status } : {}),
    ...(o.type?.length ? { keyTypes: o.type } : {}),
    ...(o.text ? { text: o.text } : {}),
    ...(o.expiringWithin ? { expiringWithinMs: o.expiringWithin } : {}),
    ...(o.graceEndingWithin ? { graceEndingWithinMs: o.graceEndingWithin } : {}),
    ...(o.unusedFor ? { unusedForDays: toDays(o.unusedFor) } : {}),
    ...(o.orphans ? { orphansOnly: true } : {})
  }
}

export const SORT_HELP = `${SORT_COLUMNS.join(', ')}; add :desc to reverse (e.g. graceEndsAt or lastUsedAt:desc)`

export function parseSort(value: string): NonNullable<InventoryQueryInput['sort']> {
  const [column, direction = 'asc'] = value.split(':')
  if (!(SORT_COLUMNS as readonly string[]).includes(column ?? '') || (direction !== 'asc' && direction !== 'desc')) {
    throw new InvalidArgumentError(`Sort by one of ${SORT_HELP}.`)
  }
  return { column: column as (typeof SORT_COLUMNS)[number], direction }
}

/** Every matching row (pages of 1,000), up to `limit`; the exact total of matches. */
export async function queryAll(s: Session, query: InventoryQueryInput, limit = Number.POSITIVE_INFINITY): Promise<{ rows: KeyRow[]; total: number }> {
  const rows: KeyRow[] = []
  let total = 0
  for (let offset = 0; rows.length < limit; offset += 1000) {
    const page = await s.call('inventory.query', { ...query, offset, limit: Math.min(1000, limit - rows.length), count: offset === 0 ? 'exact' : 'capped' })
    if (offset === 0) total = page.total
    rows.push(...page.rows)
    if (page.rows.length < 1000) break
  }
  return { rows, total }
}

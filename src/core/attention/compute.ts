// What needs the operator's attention now, computed from the cache and the app's state (never the
// network): each item is a fact that holds at `now`, with its one obvious next action. Nothing is
// remembered: an item disappears as soon as what it says stops being true.
import {
  ATTENTION_KINDS, ATTENTION_SEVERITY, type AttentionKind
} from '../../shared/contract/attention'
import type { AppStatus, OpOutput } from '../../shared/contract'
import type { Instance, KeyStatus, Tenant } from '../../shared/domain'
import { effectiveGraceEnd } from '../../shared/status'
import type { Cache, InventoryQuery, InventoryRow } from '../cache'

export type AttentionItem = OpOutput<'attention.list'>['items'][number]
export type AttentionList = OpOutput<'attention.list'>

export type AttentionCache = Pick<Cache, 'queryInventory' | 'countInventory' | 'listTenants' | 'listInstances' | 'getKey'>

export interface AttentionInput {
  now: number
  status: Pick<AppStatus, 'unreachable'>
  /** Warning lead times (ms): a deadline is listed once one of them has passed. */
  graceLeadsMs: readonly number[]
  expiryLeadsMs: readonly number[]
  /** 0: the "unused" item is off. */
  unusedForDays: number
  limitPerKind: number
  /**
   * false: only what a badge counts (critical and warning kinds). The info kinds (unused keys,
   * long-expired keys, outdated tenants) count large ranges of the inventory: they are worked
   * out for the inbox itself, not for every badge update.
   */
  includeInfo?: boolean
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Expired keys are listed one by one for this long; older ones are one item per instance. */
export const RECENTLY_EXPIRED_MS = 30 * DAY
/** A selected tenant whose last good sync is older than this is out of date. */
export const OUTDATED_AFTER_MS = DAY
const PAGE = 1000
/** Pages read for one kind at most (keys with a deadline within days are few; this is a bound). */
const MAX_PAGES = 10
/** Statuses in which a key still authenticates. */
const ACCEPTED: KeyStatus[] = ['active', 'grace', 'grace_ended']

const parse = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isFinite(t) ? t : null
}

/**
 * The deadline is within a lead time that began after `start` (the deprecation, the key's
 * creation): a grace period or expiry the operator has just set raises nothing until its first
 * lead time inside its own life has passed, as with the desktop notifications.
 */
export function leadPassed(deadline: number, start: number | null, leads: readonly number[], now: number): boolean {
  return leads.some((lead) => lead > 0 && deadline - lead <= now && (start === null || deadline - lead > start))
}

/**
 * The pages of a query, bounded; in sorted order, up to the first row `keep` refuses. Counted
 * exactly: with the exact number of matches the cache fetches a sparse filter through its own
 * index instead of walking the sort index past every key without a deadline (100x faster at
 * 100,000 keys for "expired, newest first").
 */
function rowsOf(cache: AttentionCache, query: InventoryQuery, now: number, keep: (r: InventoryRow) => boolean = () => true, pageSize = PAGE,
  count: 'exact' | 'capped' = 'exact'): InventoryRow[] {
  const rows: InventoryRow[] = []
  for (let p = 0; p < MAX_PAGES; p++) {
    const page = cache.queryInventory({ ...query, offset: p * pageSize, limit: pageSize, count }, now)
    for (const r of page.rows) {
      if (!keep(r)) return rows
      rows.push(r)
    }
    if (page.rows.length < pageSize) break
  }
  return rows
}

/**
 * Keys with a deadline within the longest lead, counted and listed without reading them all.
 * Only a key whose life began within that lead (`startedAt` recent) can have a deadline the
 * operator has just set, so only those are read one by one (newest first, few) and taken off
 * the exact count; the rest are listed from one page in deadline order.
 */
function deadlines(cache: AttentionCache, input: AttentionInput, query: InventoryQuery, sortBy: 'expiresAt' | 'graceEndsAt',
  deadline: (r: InventoryRow) => number | null, startedAt: (r: InventoryRow) => number | null, leads: readonly number[]): { total: number; rows: InventoryRow[] } {
  const { now } = input
  const maxLead = Math.max(0, ...leads)
  const total = cache.countInventory(query, now)
  if (total === 0) return { total, rows: [] }
  const passes = (r: InventoryRow): boolean => {
    const at = deadline(r)
    return at !== null && leadPassed(at, startedAt(r), leads, now)
  }
  // Deprecation has no sort of its own: with a grace deadline, every key is read (they are few).
  const fresh = sortBy === 'expiresAt'
    ? rowsOf(cache, { ...query, sort: { column: 'createdAt', direction: 'desc' } }, now, (r) => (startedAt(r) ?? 0) > now - maxLead, 100)
    : rowsOf(cache, query, now)
  const held = new Set(fresh.filter((r) => !passes(r)).map((r) => `${r.instanceId}|${r.id}`))
  const page = cache.queryInventory({ ...query, sort: { column: sortBy, direction: 'asc' }, limit: Math.min(1000, input.limitPerKind + held.size), count: 'exact' }, now)
  return { total: total - held.size, rows: page.rows.filter((r) => !held.has(`${r.instanceId}|${r.id}`)).slice(0, input.limitPerKind) }
}

const refOf = (r: InventoryRow) => ({ instanceId: r.instanceId, tenantId: r.tenantId, keyId: r.id })

function keyItem(kind: AttentionKind, r: InventoryRow, fields: Pick<AttentionItem, 'title' | 'detail' | 'at' | 'action'> & { replacedByName?: string | null }): AttentionItem {
  return {
    id: `${kind}:${r.instanceId}:${r.tenantId}:${r.id}`,
    kind, severity: ATTENTION_SEVERITY[kind],
    instanceId: r.instanceId, instanceLabel: r.instanceLabel,
    tenantId: r.tenantId, tenantName: r.tenantName,
    ref: refOf(r), keyName: r.name,
    title: fields.title, detail: fields.detail, at: fields.at,
    asOf: r.syncedAt, lastUsedAt: r.lastUsedAt, replacedByName: fields.replacedByName ?? null,
    action: fields.action, tenantIds: [], filter: null, count: 1
  }
}

function groupItem(kind: AttentionKind, instance: Instance, fields: Partial<AttentionItem> & Pick<AttentionItem, 'title' | 'detail' | 'action' | 'count'>): AttentionItem {
  return {
    id: `${kind}:${instance.id}${fields.id ? `:${fields.id}` : ''}`,
    kind, severity: ATTENTION_SEVERITY[kind],
    instanceId: instance.id, instanceLabel: instance.label,
    tenantId: null, tenantName: null, ref: null, keyName: null,
    at: null, asOf: null, lastUsedAt: null, replacedByName: null, tenantIds: [], filter: null,
    ...fields
  }
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

function lastGood(t: Tenant): string | null {
  const s = t.sync
  return s.kind === 'fresh' ? s.at : s.kind === 'never' ? null : s.lastGoodAt
}

/** The oldest of the tenants' last good syncs (what "as of" means for all of them). */
function oldestGood(tenants: readonly Tenant[]): string | null {
  let oldest: number | null = null
  for (const t of tenants) {
    const at = parse(lastGood(t))
    if (at === null) return null
    oldest = oldest === null ? at : Math.min(oldest, at)
  }
  return oldest === null ? null : new Date(oldest).toISOString()
}

export function computeAttention(cache: AttentionCache, input: AttentionInput): AttentionList {
  const { now } = input
  const items: Record<AttentionKind, AttentionItem[]> = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, []])) as unknown as Record<AttentionKind, AttentionItem[]>
  const exact: Partial<Record<AttentionKind, number>> = {}
  const instances = cache.listInstances()
  const byInstance = new Map(instances.map((i) => [i.id, i]))
  const tenants = cache.listTenants().filter((t) => t.selected && byInstance.has(t.instanceId))

  // Servers and tenants: one item per outage, never one per tenant of it.
  const unreachable = new Map(input.status.unreachable.map((u) => [u.instanceId, u]))
  for (const instance of instances) {
    const own = tenants.filter((t) => t.instanceId === instance.id)
    const down = unreachable.get(instance.id)
    if (down) {
      items.instance_unreachable.push(groupItem('instance_unreachable', instance, {
        title: `${instance.label} cannot be reached`,
        detail: `${down.reason} Its keys are shown as they were at its last good sync; changes to them wait until it answers again.`,
        at: down.since, asOf: oldestGood(own), action: 'retry_instance', tenantIds: own.map((t) => t.id), count: own.length
      }))
      continue
    }
    const login = own.filter((t) => t.sync.kind === 'needs_login')
    if (login.length > 0) {
      const first = login[0]?.sync
      items.sign_in.push(groupItem('sign_in', instance, {
        title: `Sign in to ${instance.label} again`,
        detail: first && first.kind === 'needs_login' ? first.reason : 'The server refused the stored credential.',
        asOf: oldestGood(login), action: 'sign_in', tenantIds: login.map((t) => t.id), count: login.length
      }))
    }
    // Failing tenants of a server that answers: one item per reason, naming the tenant when alone.
    const failing = new Map<string, Tenant[]>()
    for (const t of own) {
      if (t.sync.kind !== 'stale') continue
      const list = failing.get(t.sync.reason) ?? []
      list.push(t)
      failing.set(t.sync.reason, list)
    }
    let n = 0
    for (const [reason, list] of failing) {
      const one = list.length === 1 ? list[0] : undefined
      items.tenant_failing.push(groupItem('tenant_failing', instance, {
        id: String(n++),
        title: one ? `${one.name} could not be synced` : `${plural(list.length, 'tenant')} on ${instance.label} could not be synced`,
        detail: reason, tenantId: one?.id ?? null, tenantName: one?.name ?? null,
        at: list.map((t) => (t.sync.kind === 'stale' ? t.sync.failedAt : null)).find((x) => x) ?? null,
        asOf: oldestGood(list), action: 'resync_tenants', tenantIds: list.map((t) => t.id), count: list.length
      }))
    }
    const outdated = own.filter((t) => {
      if (t.sync.kind === 'never') return true
      if (t.sync.kind !== 'fresh') return false
      const at = parse(t.sync.at)
      return at !== null && now - at > OUTDATED_AFTER_MS
    })
    if (outdated.length > 0 && input.includeInfo !== false) {
      const never = outdated.filter((t) => t.sync.kind === 'never').length
      items.tenants_outdated.push(groupItem('tenants_outdated', instance, {
        title: never === outdated.length
          ? `${plural(outdated.length, 'tenant')} on ${instance.label} never synced`
          : `${plural(outdated.length, 'tenant')} on ${instance.label} not synced for over a day`,
        detail: 'Their keys may have changed on the server since.',
        asOf: oldestGood(outdated), action: 'resync_tenants', tenantIds: outdated.map((t) => t.id), count: outdated.length
      }))
    }
  }

  // Rotations to finish: deprecated keys the server still accepts, their grace over (or never set).
  const successorName = (r: InventoryRow): string | null => {
    const next = r.replacedBy ?? r.localReplacedBy
    return next ? cache.getKey({ instanceId: r.instanceId, tenantId: r.tenantId, keyId: next })?.name ?? null : null
  }
  exact.grace_ended = cache.countInventory({ statuses: ['grace_ended'] }, now)
  const ended = cache.queryInventory({ statuses: ['grace_ended'], sort: { column: 'graceEndsAt', direction: 'asc' }, limit: input.limitPerKind, count: 'exact' }, now).rows
  for (const r of ended) {
    const end = effectiveGraceEnd(r)
    const next = successorName(r)
    items.grace_ended.push(keyItem('grace_ended', r, {
      title: end ? 'Grace period ended' : 'Rotation not finished',
      detail: `${next ? `Replaced by ${next}. ` : ''}The server still accepts this key until you disable or revoke it.`,
      at: end, action: 'finish_rotation', replacedByName: next
    }))
  }

  // Orphans are few and have an index of their own: read them all, drop the revoked ones here
  // (a status predicate beside it makes the cache scan every key).
  const orphans = rowsOf(cache, { orphansOnly: true }, now).filter((r) => r.status !== 'revoked')
  exact.orphan = orphans.length
  for (const r of orphans.slice(0, input.limitPerKind)) {
    items.orphan.push(keyItem('orphan', r, {
      title: 'Nobody has this key’s value',
      detail: 'It was issued by an action whose answer never arrived. Revoke it unless you know where it is used.',
      at: r.createdAt, action: 'open_key'
    }))
  }

  if (Math.max(0, ...input.graceLeadsMs) > 0) {
    const ending = deadlines(cache, input, { statuses: ['grace'], graceEndingWithinMs: Math.max(...input.graceLeadsMs) }, 'graceEndsAt',
      (r) => parse(effectiveGraceEnd(r)), (r) => parse(r.deprecatedAt), input.graceLeadsMs)
    exact.grace_ending = ending.total
    for (const r of ending.rows) {
      const next = successorName(r)
      items.grace_ending.push(keyItem('grace_ending', r, {
        title: 'Grace period ends soon',
        detail: `${next ? `Replaced by ${next}. ` : ''}Deploy the new key before then; finish the rotation once this one is no longer used.`,
        at: effectiveGraceEnd(r), action: 'open_key', replacedByName: next
      }))
    }
  }

  if (Math.max(0, ...input.expiryLeadsMs) > 0) {
    const expiring = deadlines(cache, input, { statuses: ACCEPTED, expiringWithinMs: Math.max(...input.expiryLeadsMs) }, 'expiresAt',
      (r) => parse(r.expiresAt), (r) => parse(r.createdAt), input.expiryLeadsMs)
    exact.expiring = expiring.total
    for (const r of expiring.rows) {
      items.expiring.push(keyItem('expiring', r, {
        title: 'Key expires soon',
        detail: 'Requests with it will be rejected from then on: issue a replacement and deploy it first.',
        at: r.expiresAt, action: 'open_key'
      }))
    }
  }

  // Expired keys: one by one while it is news (the last 30 days), then one item per instance.
  // "Expired within the last 30 days" is "not expired 30 days ago, expiring within 30 days" as
  // of then: the cache answers it from its expiry index, as of any moment it is given.
  const then = now - RECENTLY_EXPIRED_MS
  const recentQuery: InventoryQuery = { statuses: ACCEPTED, expiringWithinMs: RECENTLY_EXPIRED_MS }
  exact.expired = cache.countInventory(recentQuery, then)
  const recent = exact.expired === 0 ? []
    : cache.queryInventory({ ...recentQuery, sort: { column: 'expiresAt', direction: 'desc' }, limit: input.limitPerKind, count: 'exact' }, then).rows
  for (const r of recent) {
    items.expired.push(keyItem('expired', r, {
      title: 'Key expired',
      detail: 'Requests with it are rejected. Replace it where it is still deployed, then revoke or delete it.',
      at: r.expiresAt, action: 'open_key'
    }))
  }

  for (const instance of input.includeInfo === false ? [] : instances) {
    const old = cache.countInventory({ instanceId: instance.id, statuses: ['expired'] }, now) -
      cache.countInventory({ ...recentQuery, instanceId: instance.id }, then)
    if (old > 0) {
      items.expired_old.push(groupItem('expired_old', instance, {
        title: `${plural(old, 'key')} on ${instance.label} expired over 30 days ago`,
        detail: 'They reject every request; revoke or delete them to tidy the inventory.',
        action: 'show_keys', filter: { instanceId: instance.id, statuses: ['expired'] }, count: old
      }))
    }
    if (input.unusedForDays > 0) {
      // "Never used" only counts once the key has existed that long: a key issued this morning is not idle.
      const query: InventoryQuery = { instanceId: instance.id, statuses: ['active'], unusedForDays: input.unusedForDays }
      const since = now - input.unusedForDays * DAY
      // Newest first, walking the creation index (a capped count keeps it a walk): a few rows.
      const young = rowsOf(cache, { ...query, sort: { column: 'createdAt', direction: 'desc' } }, now, (r) => (parse(r.createdAt) ?? 0) > since, 200, 'capped').length
      const unused = cache.countInventory(query, now) - young
      if (unused > 0) {
        items.unused.push(groupItem('unused', instance, {
          title: `${plural(unused, 'active key')} on ${instance.label} unused for ${input.unusedForDays}+ days`,
          detail: 'Keys nobody uses only add risk: disable them, or revoke them once you are sure.',
          action: 'show_keys', filter: { instanceId: instance.id, statuses: ['active'], unusedForDays: input.unusedForDays }, count: unused
        }))
      }
    }
  }

  const byKind = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, exact[k] ?? items[k].length])) as Record<AttentionKind, number>
  const counts = { critical: 0, warning: 0, info: 0 }
  for (const k of ATTENTION_KINDS) counts[ATTENTION_SEVERITY[k]] += byKind[k]
  return {
    items: ATTENTION_KINDS.flatMap((k) => items[k]),
    byKind,
    badge: counts.critical + counts.warning,
    ...counts,
    unusedForDays: input.unusedForDays
  }
}

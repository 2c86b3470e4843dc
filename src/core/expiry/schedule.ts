// The warning schedule, as a pure function of (now, keys, already sent).
//
// Each event (a key's grace end or expiry) has stages: one per lead, then the event itself.
// A stage is due once its time has passed, unless it or a MORE urgent stage of the same
// event was already sent. Only the most urgent passed stage is sent, so after two days
// offline an event yields one warning, and a clock that jumps back never repeats one.
// Ids include the event time, so a moved grace end starts a fresh series.
import type { KeyRef } from '../../shared/domain'
import type { ScheduledKey, ScheduleHorizon } from '../cache'
import { effectiveGraceEnd, keyStatus } from '../../shared/status'
import { summarize, texts } from './messages'
import { DEFAULT_EXPIRY_SETTINGS, type ExpirySettings, type PlanOptions, type SchedulePlan, type Warning, type WarningKind } from './types'

/** Keys may carry their tenant's name for friendlier texts. */
export type PlanKey = ScheduledKey & { tenantName?: string }

interface Stage { kind: WarningKind; at: number; leadMs: number }

const parse = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isFinite(t) ? t : null
}

/** Positive, distinct, longest first (earliest stage first). */
const normaliseLeads = (leads: readonly number[]): number[] =>
  [...new Set(leads.filter((l) => Number.isFinite(l) && l > 0))].sort((a, b) => b - a)

// Leads that reach back before the key's life began (a 2 h grace with a 24 h lead) are
// dropped: the operator just made that change and needs no warning about it.
function stages(endKind: WarningKind, leadKind: WarningKind, end: number, start: number | null, leads: number[]): Stage[] {
  const out: Stage[] = leads
    .map((leadMs) => ({ kind: leadKind, at: end - leadMs, leadMs }))
    .filter((s) => start === null || s.at >= start)
  out.push({ kind: endKind, at: end, leadMs: 0 })
  return out
}

const refOf = (k: ScheduledKey): KeyRef => ({ instanceId: k.instanceId, tenantId: k.tenantId, keyId: k.id })

export const warningId = (kind: WarningKind, ref: KeyRef, eventAt: string, leadMs: number): string =>
  `${kind}:${ref.instanceId}:${ref.tenantId}:${ref.keyId}:${eventAt}:${leadMs}`

/**
 * The latest deadlines a plan made at `now` can need: an event further out has its first stage
 * (the longest lead before it) more than `withinMs` after now even on the clock furthest ahead
 * (`aheadMs`), so it is neither due nor the next wake-up of a runner that looks again within
 * `withinMs`. Keys beyond it are left unread (at 200,000 keys, most expire months out).
 */
export function planHorizon(now: number, settings: ExpirySettings, aheadMs: number, withinMs: number): ScheduleHorizon {
  const reach = now + Math.max(0, aheadMs) + withinMs
  const longest = (leads: readonly number[]): number => normaliseLeads(leads)[0] ?? 0
  return { expiresMs: reach + longest(settings.expiryLeadsMs), graceEndMs: reach + longest(settings.graceLeadsMs) }
}

export function planWarnings(
  now: number,
  keys: Iterable<PlanKey>,
  sent: ReadonlySet<string>,
  settings: ExpirySettings = DEFAULT_EXPIRY_SETTINGS,
  options: PlanOptions = {}
): SchedulePlan {
  const graceLeads = normaliseLeads(settings.graceLeadsMs)
  const expiryLeads = normaliseLeads(settings.expiryLeadsMs)
  const due: Warning[] = []
  let nextWakeAt: number | null = null

  /** Each key's deadlines are read on its server's clock (options.serverNow), when it is known. */
  const consider = (key: PlanKey, end: number, series: Stage[], keyNow: number): void => {
    const ref = refOf(key)
    const eventAt = new Date(end).toISOString()
    const idAt = (i: number): string | undefined => {
      const s = series[i]
      return s && warningId(s.kind, ref, eventAt, s.leadMs)
    }
    // The most urgent stage already sent, looked for from the event itself backwards: a key
    // whose event was announced (most past deadlines) costs one id, not one per stage.
    let done = -1
    for (let i = series.length - 1; i >= 0; i--) {
      const id = idAt(i)
      if (id !== undefined && sent.has(id)) { done = i; break }
    }
    let pick = -1
    for (let i = done + 1; i < series.length; i++) {
      const stage = series[i]
      if (!stage) continue
      if (stage.at <= keyNow) pick = i
      else {
        // The timer runs on this computer's clock.
        const localAt = stage.at - (keyNow - now)
        nextWakeAt = nextWakeAt === null ? localAt : Math.min(nextWakeAt, localAt)
        break
      }
    }
    const stage = series[pick]
    const id = idAt(pick)
    if (!stage || !id) return
    const { title, body } = texts(stage.kind, key.name, key.tenantName, end, keyNow, options.timeZone)
    due.push({ id, kind: stage.kind, ref, keyName: key.name, eventAt, leadMs: stage.leadMs, title, body })
  }

  for (const key of keys) {
    const keyNow = options.serverNow?.(key.instanceId) ?? now
    const status = keyStatus(key, keyNow)
    const graceEnd = parse(effectiveGraceEnd(key))
    // Revoked, disabled and expired keys reject traffic already: their grace no longer matters.
    if (key.deprecatedAt && graceEnd !== null && (status === 'grace' || status === 'grace_ended')) {
      consider(key, graceEnd, stages('grace_ended', 'grace_ending', graceEnd, parse(key.deprecatedAt), graceLeads), keyNow)
    }
    const expiresAt = parse(key.expiresAt)
    if (expiresAt !== null && !key.revokedAt) {
      consider(key, expiresAt, stages('expired', 'expiring', expiresAt, parse(key.createdAt), expiryLeads), keyNow)
    }
  }

  due.sort((a, b) => Date.parse(a.eventAt) - Date.parse(b.eventAt) || a.id.localeCompare(b.id))
  const coalesceAbove = options.coalesceAbove ?? 3
  const [first, ...rest] = due
  return {
    due,
    summary: first && due.length > coalesceAbove ? summarize([first, ...rest], now) : null,
    graceEnded: due.filter((w) => w.kind === 'grace_ended').map((w) => w.ref),
    nextWakeAt
  }
}

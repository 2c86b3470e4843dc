// Human texts for warnings. Only names and times go in: a value never reaches this file.
import { formatDistanceStrict } from 'date-fns'
import type { Warning, WarningKind } from './types'

const MIN = 60_000

/** "1 hour", "7 days", "10 minutes": the unit picked so a late wake-up doesn't read "60 minutes". */
export function humanDuration(ms: number): string {
  const unit = ms >= 23.5 * 60 * MIN ? 'day' : ms >= 59.5 * MIN ? 'hour' : 'minute'
  return formatDistanceStrict(0, Math.max(ms, 1), { unit, roundingMethod: unit === 'minute' ? 'ceil' : 'round' })
}

// One pair of formatters per time zone, made once: each Intl.DateTimeFormat holds native ICU
// state (~50 KB) that V8's GC does not see, so a first sync that plans thousands of warnings
// grew the process by ~170 MB and blocked it for ~0.8 s when they were made per call.
const formatters = new Map<string, { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>()

function formattersFor(timeZone: string | undefined): { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat } {
  const key = timeZone ?? ''
  let f = formatters.get(key)
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      day: new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' })
    }
    formatters.set(key, f)
  }
  return f
}

/** "14:05" today, else "Tue 3 Dec, 14:05", in the given zone. */
export function clockTime(at: number, now: number, timeZone?: string): string {
  const { time, day } = formattersFor(timeZone)
  const atDay = day.format(at)
  return atDay === day.format(now) ? time.format(at) : `${atDay}, ${time.format(at)}`
}

export function texts(kind: WarningKind, keyName: string, tenantName: string | undefined, eventAt: number, now: number, timeZone?: string): { title: string; body: string } {
  const who = tenantName ? `"${keyName}" (${tenantName})` : `"${keyName}"`
  const at = clockTime(eventAt, now, timeZone)
  switch (kind) {
    case 'grace_ending':
      return { title: `Grace period ends in ${humanDuration(eventAt - now)}`, body: `${who}: its replacement must be deployed before ${at}.` }
    case 'grace_ended':
      return { title: 'Grace period ended', body: `${who}: the grace period ended at ${at}. The server still accepts the old key until you disable or revoke it.` }
    case 'expiring':
      return { title: `Key expires in ${humanDuration(eventAt - now)}`, body: `${who}: requests with it will be rejected from ${at}; issue a replacement before then.` }
    case 'expired':
      return { title: 'Key expired', body: `${who} expired at ${at}; requests with it are now rejected.` }
  }
}

const PHRASES: Record<WarningKind, [string, string]> = {
  grace_ending: ['grace period ending', 'grace periods ending'],
  grace_ended: ['grace period ended', 'grace periods ended'],
  expiring: ['key expiring', 'keys expiring'],
  expired: ['key expired', 'keys expired']
}

/** One notification for many; `due` is non-empty and sorted, most urgent first. */
export function summarize(due: readonly [Warning, ...Warning[]], now: number): Warning {
  const counts = new Map<WarningKind, number>()
  for (const w of due) counts.set(w.kind, (counts.get(w.kind) ?? 0) + 1)
  const parts = (Object.keys(PHRASES) as WarningKind[])
    .filter((k) => counts.has(k))
    .map((k) => {
      const n = counts.get(k) ?? 0
      return `${n} ${PHRASES[k][n === 1 ? 0 : 1]}`
    })
  const [first] = due
  return {
    id: `summary:${new Date(now).toISOString()}`,
    kind: first.kind,
    ref: first.ref,
    keyName: `${due.length} keys`,
    eventAt: first.eventAt,
    leadMs: 0,
    title: `${due.length} key warnings`,
    body: `${parts.join(', ')}. Open Fluxbase Keys to review them.`
  }
}

import { format, formatDistanceStrict } from 'date-fns'

/** "3 days ago", "in 2 hours"; '—' for null. */
export function relative(iso: string | null, now: number): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  if (Math.abs(t - now) < 45_000) return 'just now'
  return formatDistanceStrict(t, now, { addSuffix: true })
}

/** Exact local time with the zone offset, for title attributes and detail views. */
export function exact(iso: string | null): string {
  if (!iso) return ''
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  return format(t, 'yyyy-MM-dd HH:mm:ss xxx')
}

/** Short date for table cells. */
export function shortDate(iso: string | null): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  return format(t, 'yyyy-MM-dd')
}

/** "2d 03:04:05" / "03:04:05" countdown text for a remaining duration. */
export function countdown(ms: number): string {
  if (ms <= 0) return 'ended'
  const total = Math.floor(ms / 1000)
  const d = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
  return d > 0 ? `${d}d ${hms}` : hms
}

export function hoursLabel(hours: number): string {
  if (hours % 24 === 0) return hours === 24 ? '24 hours' : `${hours / 24} days`
  return hours === 1 ? '1 hour' : `${hours} hours`
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? word : many}`
}

/** "14:05" today, "3 Dec 14:05" another day: when a cached row was last confirmed. */
export function shortTime(iso: string | null, now: number): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  return format(t, 'yyyy-MM-dd') === format(now, 'yyyy-MM-dd') ? format(t, 'HH:mm') : format(t, 'd MMM HH:mm')
}

/** Minutes as a person says them: "7 days", "1 hour", "90 minutes" (whole units only). */
export function durationLabel(minutes: number): string {
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day')
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour')
  return plural(minutes, 'minute')
}

/** "7 days, 1 day, 1 hour" → minutes; null for what cannot be read (with the part that could not). */
export function parseDurations(text: string): { minutes: number[] } | { problem: string } {
  const parts = text.split(/[,;]+/).map((p) => p.trim()).filter(Boolean)
  const minutes: number[] = []
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i.exec(part)
    if (!m) return { problem: `"${part}" is not a duration: write it as "7 days", "1 hour" or "10 minutes".` }
    const n = Number(m[1])
    const unit = (m[2] ?? '').toLowerCase()
    const factor = unit.startsWith('w') ? 10080 : unit.startsWith('d') ? 1440 : unit.startsWith('h') ? 60 : 1
    const value = Math.round(n * factor)
    if (value <= 0) return { problem: `"${part}" is too short: the shortest warning time is 1 minute.` }
    minutes.push(value)
  }
  return { minutes: [...new Set(minutes)].sort((a, b) => b - a) }
}

/** How far two clocks differ, as a person says it: "25 h", "40 min", "3 days" (rounded). */
export function skewLabel(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000)
  if (minutes < 1) return 'less than a minute'
  if (minutes < 90) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  if (hours < 72) return `${hours} h`
  return plural(Math.round(hours / 24), 'day')
}

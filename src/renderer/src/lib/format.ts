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

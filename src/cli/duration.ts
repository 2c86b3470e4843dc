// Durations as people type them: 48h, 2d, 1w, 90m, 1d12h, or a bare number in the option's
// own unit. Used for grace periods, "expiring within", "unused for" and check's window.
import { InvalidArgumentError } from 'commander'

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
export type DurationUnit = keyof typeof UNIT_MS

const PART = /(\d+(?:\.\d+)?)\s*([smhdw])/gy

/** Milliseconds, or null when the text is not a duration. */
export function parseDuration(text: string, bareUnit?: DurationUnit): number | null {
  const t = text.trim().toLowerCase()
  if (t === '') return null
  if (/^\d+(?:\.\d+)?$/.test(t)) return bareUnit ? Math.round(Number(t) * UNIT_MS[bareUnit]) : null
  let total = 0
  let at = 0
  PART.lastIndex = 0
  for (let m = PART.exec(t); m; m = PART.exec(t)) {
    total += Number(m[1]) * UNIT_MS[m[2] as DurationUnit]
    at = PART.lastIndex
  }
  return at === t.length && total > 0 ? Math.round(total) : null
}

/** A commander argument parser for a duration option; the bare unit is named in the error. */
export function durationOption(bareUnit?: DurationUnit): (value: string) => number {
  return (value) => {
    const ms = parseDuration(value, bareUnit)
    if (ms === null) {
      throw new InvalidArgumentError(`Write a duration such as 48h, 2d, 1w or 1d12h${bareUnit ? ` (a bare number counts in ${bareUnit})` : ''}.`)
    }
    return ms
  }
}

/** Hours for a grace period: the core checks they are whole and within its limits. */
export const toHours = (ms: number): number => ms / UNIT_MS.h

/** Whole days for "unused for" (rounded up: "unused for 36h" asks for 2 days). */
export const toDays = (ms: number): number => Math.ceil(ms / UNIT_MS.d)

/** A compact duration: 2d 3h, 5h 10m, 45m, 12s. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < UNIT_MS.m) return `${Math.round(abs / UNIT_MS.s)}s`
  const d = Math.floor(abs / UNIT_MS.d)
  const h = Math.floor((abs % UNIT_MS.d) / UNIT_MS.h)
  const m = Math.floor((abs % UNIT_MS.h) / UNIT_MS.m)
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`
  return `${m}m`
}

/** "in 2d 3h" / "5h ago" relative to now. */
export function relativeTo(iso: string, now: number): string {
  const delta = Date.parse(iso) - now
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`
}

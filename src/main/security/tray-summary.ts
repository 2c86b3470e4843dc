// The tray's words, from the cached inventory. Pure, so it is unit-tested.

export interface TraySummary {
  /** Keys in their grace period (old keys of a rotation, still accepted until grace ends). */
  inGrace: number
  /** Active keys whose expires_at falls within the look-ahead window. */
  expiringSoon: number
}

export const EXPIRING_SOON_MS = 7 * 24 * 60 * 60 * 1000

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

export function trayTooltip(summary: TraySummary | null): string {
  if (!summary) return 'Fluxbase Keys'
  if (summary.inGrace === 0 && summary.expiringSoon === 0) return 'Fluxbase Keys: nothing ending soon'
  const parts: string[] = []
  if (summary.inGrace > 0) parts.push(`${plural(summary.inGrace, 'key', 'keys')} in grace`)
  if (summary.expiringSoon > 0) parts.push(`${plural(summary.expiringSoon, 'key', 'keys')} expiring within 7 days`)
  return `Fluxbase Keys: ${parts.join(', ')}`
}

/** Sum of the `grace` counts over the tenant overviews of `tenants.list`. */
export function countInGrace(tenants: ReadonlyArray<{ counts: Partial<Record<string, number>> }>): number {
  return tenants.reduce((sum, tenant) => sum + (tenant.counts.grace ?? 0), 0)
}

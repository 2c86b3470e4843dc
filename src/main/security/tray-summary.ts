// The tray's words and badge, from the core's "Needs attention" counts. Pure, so it is unit-tested.

export type TraySummary =
  /** The app is locked: the tray says so and nothing else (the core answers no counts then). */
  | { locked: true }
  | {
      locked: false
      /** attention.count's badge: critical and warning items of the "Needs attention" view. */
      needAttention: number
      critical: number
      /** Keys in their grace period (old keys of a rotation, still accepted until grace ends). */
      inGrace: number
    }

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

export function trayTooltip(summary: TraySummary | null): string {
  if (!summary) return 'Fluxbase Keys'
  if (summary.locked) return 'Fluxbase Keys: locked'
  if (summary.needAttention === 0 && summary.inGrace === 0) return 'Fluxbase Keys: nothing needs attention'
  const parts: string[] = []
  if (summary.needAttention > 0) {
    const critical = summary.critical > 0 ? ` (${summary.critical} critical)` : ''
    parts.push(`${summary.needAttention} ${summary.needAttention === 1 ? 'item needs' : 'items need'} attention${critical}`)
  }
  if (summary.inGrace > 0) parts.push(`${plural(summary.inGrace, 'key', 'keys')} in grace`)
  return `Fluxbase Keys: ${parts.join(', ')}`
}

/** The number on the dock / launcher badge and beside the macOS menu-bar icon; 0 shows none. */
export function trayBadge(summary: TraySummary | null): number {
  return summary && !summary.locked ? summary.needAttention : 0
}

/** Sum of the `grace` counts over the tenant overviews of `tenants.list`. */
export function countInGrace(tenants: ReadonlyArray<{ counts: Partial<Record<string, number>> }>): number {
  return tenants.reduce((sum, tenant) => sum + (tenant.counts.grace ?? 0), 0)
}

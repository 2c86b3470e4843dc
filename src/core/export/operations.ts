// export.*: the inventory (metadata only, through the export column allowlist) to a file the
// operator chooses.
import { writeFileSync } from 'node:fs'
import type { Cache, InventoryRow } from '../cache'
import type { Log } from '../app/logger'
import type { FeatureHandlers } from '../operation'
import type { ExportTargetPort } from '../ports'
import type { InventoryQueryInput } from '../../shared/contract'
import { toCsv, toJson } from './index'

const PAGE = 1000

export interface ExportDeps {
  cache: Pick<Cache, 'queryInventory'>
  target: ExportTargetPort
  now: () => number
  log: Log
}

function allRows(cache: ExportDeps['cache'], query: InventoryQueryInput, now: number): InventoryRow[] {
  const rows: InventoryRow[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = cache.queryInventory({ ...query, offset, limit: PAGE }, now)
    rows.push(...page.rows)
    if (page.rows.length < PAGE) return rows
  }
}

export function exportHandlers({ cache, target, now, log }: ExportDeps) {
  return {
    'export.save': async ({ format, query }) => {
      const at = now()
      const rows = allRows(cache, query, at)
      const stamp = new Date(at).toISOString().slice(0, 10)
      const path = await target.choosePath(`fluxbase-keys-${stamp}.${format}`)
      if (path === null) return { path: null, rows: rows.length }
      const text = format === 'csv' ? toCsv(rows) : toJson(rows, { exportedAt: new Date(at).toISOString(), filters: query })
      writeFileSync(path, text, { mode: 0o600 })
      log(`export: ${rows.length} rows as ${format}`)
      return { path, rows: rows.length }
    }
  } satisfies FeatureHandlers<'export'>
}

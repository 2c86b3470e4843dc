import { EXPORT_COLUMNS, pickColumns, type ExportRow } from './columns'

export const JSON_EXPORT_FORMAT = 'fluxbase-keys.inventory/1'

/** A self-describing document: what was exported, when, with which filters; rows keep their types. */
export function toJson(rows: Iterable<ExportRow>, meta: { exportedAt: string; filters: unknown }): string {
  const picked = Array.from(rows, pickColumns)
  return JSON.stringify(
    { format: JSON_EXPORT_FORMAT, exportedAt: meta.exportedAt, filters: meta.filters ?? null, columns: EXPORT_COLUMNS, count: picked.length, rows: picked },
    null,
    2
  ) + '\n'
}

// Inventory export: metadata only, through an explicit column allowlist.
export { EXPORT_COLUMNS, type ExportColumn, type ExportRow } from './columns'
export { toCsv } from './csv'
export { JSON_EXPORT_FORMAT, toJson } from './json'

// RFC 4180 CSV (CRLF, quotes doubled) with a guard against formula injection: a cell a
// spreadsheet would evaluate (= + - @, or a leading tab/CR) gets a leading apostrophe.
import { EXPORT_COLUMNS, type ExportRow } from './columns'

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(text).join(' ')
  return String(value)
}

export function csvCell(value: unknown): string {
  let cell = text(value)
  if (FORMULA_START.test(cell)) cell = `'${cell}`
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
}

export function toCsv(rows: Iterable<ExportRow>): string {
  const lines = [EXPORT_COLUMNS.join(',')]
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(','))
  return lines.join('\r\n') + '\r\n'
}

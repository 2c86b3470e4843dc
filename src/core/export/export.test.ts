import { describe, expect, it } from 'vitest'
import { EXPORT_COLUMNS, JSON_EXPORT_FORMAT, toCsv, toJson, type ExportRow } from './index'

const row = (over: Partial<ExportRow> = {}): ExportRow => ({
  instanceId: 'inst-1', tenantId: '00000000-0000-4000-8000-000000000001', id: '00000000-0000-4000-8000-0000000000aa',
  name: 'billing-worker', description: null, keyPrefix: 'fbk_ab12', keyType: 'service', scopes: ['tables:read', 'storage:write'],
  allowedNamespaces: null, enabled: true, rateLimitPerMinute: 60, rateLimitPerHour: null, createdBy: 'ops@example.com',
  createdAt: '2026-01-01T00:00:00.000Z', lastUsedAt: null, expiresAt: '2026-06-01T00:00:00.000Z', revokedAt: null,
  deprecatedAt: null, gracePeriodEndsAt: null, replacedBy: null, localGraceEndsAt: null, revocationReason: null,
  hasStoredValue: true, orphan: false, localReplacedBy: null, syncedAt: '2026-03-01T00:00:00.000Z',
  tenantName: 'Acme', tenantSlug: 'acme', instanceLabel: 'Prod', status: 'active', ...over
})

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(csv: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') { record.push(field); field = '' }
    else if (c === '\r' && csv[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++ }
    else field += c
  }
  expect(field).toBe('') // ends with CRLF
  return records
}
const column = (name: string): number => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number])

describe('toCsv', () => {
  it('writes a header and one record per row, CRLF-terminated', () => {
    const csv = toCsv([row(), row({ name: 'second' })])
    expect(csv.endsWith('\r\n')).toBe(true)
    const [header, ...records] = parseCsv(csv)
    expect(header).toEqual([...EXPORT_COLUMNS])
    expect(records).toHaveLength(2)
    expect(records[0]?.[column('name')]).toBe('billing-worker')
    expect(records[0]?.[column('scopes')]).toBe('tables:read storage:write')
    expect(records[0]?.[column('allowedNamespaces')]).toBe('')
    expect(records[0]?.[column('enabled')]).toBe('true')
    expect(records[0]?.[column('rateLimitPerMinute')]).toBe('60')
    expect(records[0]?.[column('rateLimitPerHour')]).toBe('')
  })

  it('has every column for every row', () => {
    for (const record of parseCsv(toCsv([row(), row({ description: 'a, b' })]))) expect(record).toHaveLength(EXPORT_COLUMNS.length)
  })

  it('quotes commas, quotes, CR and LF', () => {
    const csv = toCsv([row({ name: 'a,b', description: 'say "hi"\r\nline two\nthree' })])
    expect(csv).toContain('"a,b"')
    expect(csv).toContain('"say ""hi""\r\nline two\nthree"')
    const [, rec] = parseCsv(csv)
    expect(rec?.[column('name')]).toBe('a,b')
    expect(rec?.[column('description')]).toBe('say "hi"\r\nline two\nthree')
  })

  it('guards against formula injection', () => {
    const cases = ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR']
    const [, ...recs] = parseCsv(toCsv(cases.map((name) => row({ name }))))
    expect(recs.map((r) => r[column('name')])).toEqual(cases.map((c) => `'${c}`))
    const plain = parseCsv(toCsv([row({ name: 'a=b', description: 'safe - fine' })]))[1]
    expect(plain?.[column('name')]).toBe('a=b')
    expect(plain?.[column('description')]).toBe('safe - fine')
  })

  it('guards scopes and namespaces too', () => {
    const [, rec] = parseCsv(toCsv([row({ allowedNamespaces: ['=cmd', 'ok'] })]))
    expect(rec?.[column('allowedNamespaces')]).toBe("'=cmd ok")
  })

  it('keeps unicode as is', () => {
    const [, rec] = parseCsv(toCsv([row({ name: 'clé 🔑 鍵', tenantName: 'Zürich GmbH' })]))
    expect(rec?.[column('name')]).toBe('clé 🔑 鍵')
    expect(rec?.[column('tenantName')]).toBe('Zürich GmbH')
  })

  it('accepts any iterable, including an empty one', () => {
    function* gen(): Generator<ExportRow> { yield row(); yield row() }
    expect(parseCsv(toCsv(gen()))).toHaveLength(3)
    expect(toCsv([])).toBe(EXPORT_COLUMNS.join(',') + '\r\n')
  })
})

describe('toJson', () => {
  it('writes meta, columns and typed rows', () => {
    const doc = JSON.parse(toJson([row()], { exportedAt: '2026-03-02T12:00:00.000Z', filters: { statuses: ['active'] } })) as {
      format: string; exportedAt: string; filters: unknown; columns: string[]; count: number; rows: Record<string, unknown>[]
    }
    expect(doc.format).toBe(JSON_EXPORT_FORMAT)
    expect(doc.exportedAt).toBe('2026-03-02T12:00:00.000Z')
    expect(doc.filters).toEqual({ statuses: ['active'] })
    expect(doc.columns).toEqual([...EXPORT_COLUMNS])
    expect(doc.count).toBe(1)
    expect(Object.keys(doc.rows[0] ?? {})).toEqual([...EXPORT_COLUMNS])
    expect(doc.rows[0]).toMatchObject({ scopes: ['tables:read', 'storage:write'], enabled: true, rateLimitPerHour: null, tenantName: 'Acme' })
  })

  it('round-trips unicode and awkward text without spreadsheet escaping', () => {
    const doc = JSON.parse(toJson([row({ name: '=clé "🔑"\n' })], { exportedAt: 'x', filters: undefined })) as { filters: unknown; rows: { name: string }[] }
    expect(doc.rows[0]?.name).toBe('=clé "🔑"\n')
    expect(doc.filters).toBeNull()
  })
})

describe('allowlist', () => {
  const leaky = { ...row(), value: 'fbk_SECRET_VALUE_1', key: 'fbk_SECRET_VALUE_2', password: 'hunter2', unsavedValue: 'fbk_SECRET_VALUE_3' } as ExportRow

  it('does not export extra properties such as value or key', () => {
    for (const out of [toCsv([leaky]), toJson([leaky], { exportedAt: 'now', filters: {} })]) {
      expect(out).not.toMatch(/SECRET_VALUE|hunter2/)
      expect(out).not.toMatch(/\b(value|password|unsavedValue)\b/)
    }
    const [header] = parseCsv(toCsv([leaky]))
    expect(header).not.toContain('key')
  })

  it('covers every KeyMeta field plus the row context, and nothing else', () => {
    expect([...EXPORT_COLUMNS].sort()).toEqual(Object.keys(row()).sort())
  })
})

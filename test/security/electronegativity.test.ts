// Security gate: run electronegativity over the Electron shell's sources and fail on any finding
// that security/electronegativity-exceptions.json does not justify (and on stale exceptions).
// electronegativity exits 0 even with HIGH findings, so the CSV report is what is gated.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, it } from 'vitest'

const root = join(__dirname, '../..')
const ELECTRON_VERSION = '45.5.0'
/** What is scanned: the shell's sources (the bundled renderer fails to parse harmlessly; sources are the point). */
const SCANNED = ['src/main', 'src/preload', 'src/renderer/index.html']

interface Finding { check: string; severity: string; confidence: string; file: string; location: string; sample: string; description: string }
interface Exception { check: string; file: string; sample?: string; reason: string; reviewed: string }

/** RFC 4180-ish CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field.trim() === '') { field = ''; quoted = true } else if (c === ',') { row.push(field.trim()); field = '' } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field.trim()); field = ''
      if (row.some((cell) => cell !== '')) rows.push(row)
      row = []
    } else field += c
  }
  row.push(field.trim())
  if (row.some((cell) => cell !== '')) rows.push(row)
  return rows
}

function runElectronegativity(scanDir: string, report: string): { status: number | null; output: string } {
  const local = join(root, 'node_modules/.bin/electronegativity')
  const args = ['-i', scanDir, '-e', ELECTRON_VERSION, '-r', '-o', report]
  const [command, commandArgs] = existsSync(local) ? [local, args] : ['npx', ['-y', '@doyensec/electronegativity@1.10.3', ...args]]
  const result = spawnSync(command, commandArgs, { encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_UPDATE_NOTIFIER: '1' } })
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` }
}

it('electronegativity finds nothing that is not a reviewed exception', () => {
  // Copy the scanned paths into one tree, so global checks (CSP, permission handler) see them
  // together and reported filenames are repo-relative (src/main/window.ts).
  const work = mkdtempSync(join(tmpdir(), 'fk-electronegativity-'))
  const scanDir = join(work, 'scan')
  for (const path of SCANNED) {
    mkdirSync(join(scanDir, dirname(path)), { recursive: true })
    cpSync(join(root, path), join(scanDir, path), { recursive: true })
  }
  const report = join(work, 'report.csv')
  const run = runElectronegativity(scanDir, report)
  expect(existsSync(report), `electronegativity produced no report (exit ${run.status}). Output:\n${run.output}`).toBe(true)

  const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'))
  expect(header?.slice(0, 6)).toEqual(['issue', 'severity', 'confidence', 'filename', 'location', 'sample'])
  const findings: Finding[] = rows.map(([check = '', severity = '', confidence = '', file = '', location = '', sample = '', description = '']) =>
    ({ check, severity, confidence, file: file.replace(/\\/g, '/').replace(/^\.?\//, ''), location, sample, description }))

  const { exceptions } = JSON.parse(readFileSync(join(root, 'security/electronegativity-exceptions.json'), 'utf8')) as { exceptions: Exception[] }
  for (const exception of exceptions) {
    expect(exception.reason?.length ?? 0, `exception ${exception.check} ${exception.file} needs a reason`).toBeGreaterThan(40)
    expect(exception.reviewed, `exception ${exception.check} ${exception.file} needs a review note`).toBeTruthy()
  }
  const covers = (e: Exception, f: Finding): boolean => e.check === f.check && e.file === f.file && (!e.sample || f.sample.includes(e.sample))

  const unjustified = findings.filter((finding) => !exceptions.some((e) => covers(e, finding)))
  const stale = exceptions.filter((e) => !findings.some((finding) => covers(e, finding)))
  console.log(`electronegativity ${ELECTRON_VERSION}: ${findings.length} finding(s), ${findings.length - unjustified.length} reviewed exception(s) applied`)

  const describeFinding = (f: Finding): string => `${f.severity}/${f.confidence} ${f.check} at ${f.file}:${f.location}: ${f.sample}\n    ${f.description}`
  expect(unjustified.map(describeFinding), 'unjustified electronegativity findings: fix them or review them into security/electronegativity-exceptions.json').toEqual([])
  expect(stale.map((e) => `${e.check} ${e.file}`), 'stale exceptions (no longer match a finding): remove them').toEqual([])
}, 300_000)

// Figures, targets and the printed table shared by every benchmark.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'

export type BenchName = 'sync' | 'rate' | 'cache' | 'ui'

export interface Target {
  /** 'max': the value must stay below `limit`; 'min': it must reach at least `limit`. */
  kind: 'max' | 'min'
  limit: number
}

export interface Figure {
  bench: BenchName
  figure: string
  /** null when the measurement could not be taken (see `note`). */
  value: number | null
  unit: string
  target: Target | null
  /** null when there is no target or no value. */
  met: boolean | null
  note?: string
}

export interface BenchResult {
  bench: BenchName
  figures: Figure[]
  /** Detail lines: wall times of project and baseline, ratios, set-up facts. */
  details: string[]
  /** Raw numbers (samples, settings) for latest.json. */
  raw: Record<string, unknown>
  durationMs: number
  error?: string
}

export const RESULTS_DIR = join(__dirname, '..', 'results')

export function figure(bench: BenchName, name: string, value: number | null, unit: string, target: Target | null = null, note?: string): Figure {
  const met = target === null || value === null ? null : target.kind === 'max' ? value < target.limit : value >= target.limit
  return { bench, figure: name, value, unit, target, met, ...(note ? { note } : {}) }
}

export function fmt(value: number | null, unit: string): string {
  if (value === null) return 'n/a'
  const abs = Math.abs(value)
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2
  const n = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
  return unit === '' ? n : unit === 'x' ? `${n}x` : `${n} ${unit}`
}

function targetText(f: Figure): string {
  if (!f.target) return '-'
  return `${f.target.kind === 'max' ? '<' : '>='} ${fmt(f.target.limit, f.unit)}`
}

function metText(f: Figure): string {
  if (f.met === null) return f.target ? 'n/a' : '-'
  return f.met ? 'yes' : 'NO'
}

export function renderTable(figures: Figure[]): string {
  const header = ['benchmark', 'figure', 'value', 'target', 'met?']
  const rows = figures.map((f) => [f.bench, f.figure, fmt(f.value, f.unit), targetText(f), metText(f)])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')
  const sep = widths.map((w) => '-'.repeat(w)).join('-|-')
  return [line(header), sep, ...rows.map(line)].join('\n')
}

export function renderResult(r: BenchResult): string {
  const out = [`== ${r.bench} (${(r.durationMs / 1000).toFixed(1)} s) ==`]
  if (r.error) out.push(`ERROR: ${r.error}`)
  out.push(...r.details.map((d) => `  ${d}`))
  return out.join('\n')
}

export function writeJson(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, name)
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}

/** Standalone entry: print the detail lines and the table, write results/<bench>.json. */
export function printStandalone(r: BenchResult): void {
  process.stdout.write(`${renderResult(r)}\n\n${renderTable(r.figures)}\n`)
  const file = writeJson(`${r.bench}.json`, { generatedAt: new Date().toISOString(), machine: machineInfo(), results: [r] })
  process.stdout.write(`\nwrote ${file}\n`)
}

export function machineInfo(): Record<string, unknown> {
  return { node: process.version, platform: `${platform()} ${release()}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memMB: Math.round(totalmem() / 2 ** 20) }
}

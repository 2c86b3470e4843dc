// `npm run bench`: the sync, cache and UI benchmarks in one run, one table of every figure
// with its target, and bench/results/latest.json. Each benchmark runs in its own process
// (so one's memory or native state cannot colour another's), inside one keyring session.
// Options: `npm run bench -- sync ui` runs only those; BENCH_RATE_LIMIT=0 leaves out the
// rate-limited case ('rate', ~5 min of waiting for the server's windows), which otherwise runs
// beside the others from the start. At the end: the scaling series (sync and cache at 250 to
// 2,000 tenants) as a table and bench/results/scaling.png.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TSX_NODE_ARGS } from './support/child'
import { ensureKeyring, REPO_ROOT } from './support/keyring'
import { machineInfo, renderResult, renderTable, writeJson, type BenchName, type BenchResult } from './support/report'
import { fitsOf, renderSeries, writeSeriesChart, type SeriesLine } from './support/scaling'

const ALL: BenchName[] = ['rate', 'sync', 'cache', 'ui']
/** A benchmark that runs longer than this is stopped (keeps the whole run bounded). */
const BENCH_TIMEOUT_MS = 10 * 60_000

/** Runs bench/<name>/entry.ts in a child; its result comes back as a JSON file. */
function runChild(name: BenchName): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fbk-bench-run-'))
  const out = join(dir, 'result.json')
  const started = performance.now()
  return new Promise<BenchResult>((resolve) => {
    const child = spawn(process.execPath, [...TSX_NODE_ARGS, join(__dirname, 'support', 'entry.ts'), name, out], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] })
    const timer = setTimeout(() => child.kill('SIGKILL'), BENCH_TIMEOUT_MS)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')) as BenchResult)
      } catch {
        resolve({ bench: name, figures: [], details: [], raw: {}, durationMs: performance.now() - started,
          error: signal === 'SIGKILL' ? `stopped after ${BENCH_TIMEOUT_MS / 1000} s` : `exited (${String(code ?? signal)}) without a result` })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
}

interface SyncPoint { tenants: number; floorMs: number; firstMs: number; resyncMs: number; peakRssMB: number }
interface CachePoint { tenants: number; fillMs: number; resyncMs: number }

/** The series lines from the sync and cache results (each carries raw.series). */
function seriesLines(results: BenchResult[]): SeriesLine[] {
  const sync = (results.find((r) => r.bench === 'sync')?.raw.series ?? []) as SyncPoint[]
  const cache = (results.find((r) => r.bench === 'cache')?.raw.series ?? []) as CachePoint[]
  const line = <T extends { tenants: number }>(name: string, unit: SeriesLine['unit'], pts: T[], pick: (p: T) => number): SeriesLine =>
    ({ name, unit, points: pts.map((p) => ({ tenants: p.tenants, value: pick(p) })) })
  return [
    line('sync: first sync into an empty cache', 'ms', sync, (p) => p.firstMs),
    line('sync: re-sync, every last use changed', 'ms', sync, (p) => p.resyncMs),
    line('sync: network floor', 'ms', sync, (p) => p.floorMs),
    line('cache: first fill, writes alone', 'ms', cache, (p) => p.fillMs),
    line('cache: full re-sync, writes alone', 'ms', cache, (p) => p.resyncMs),
    line('sync: peak RSS', 'MB', sync, (p) => p.peakRssMB)
  ].filter((l) => l.points.length > 0)
}

async function main(): Promise<void> {
  ensureKeyring()
  const asked = process.argv.slice(2).filter((a): a is BenchName => (ALL as string[]).includes(a))
  const names = (asked.length > 0 ? asked : ALL).filter((n) => n !== 'rate' || process.env.BENCH_RATE_LIMIT !== '0')
  const started = performance.now()
  // The rate-limited case mostly waits: it runs beside the others instead of adding 5 minutes.
  const beside = names.includes('rate') && names.length > 1 ? runChild('rate') : null
  if (beside) process.stderr.write('\n-- bench rate (beside the others) --\n')
  const results: BenchResult[] = []
  for (const name of names.filter((n) => !(beside && n === 'rate'))) {
    process.stderr.write(`\n-- bench ${name} --\n`)
    results.push(await runChild(name))
  }
  if (beside) results.unshift(await beside)
  const totalMs = performance.now() - started
  const figures = results.flatMap((r) => r.figures)
  process.stdout.write(`\n${results.map(renderResult).join('\n\n')}\n\n${renderTable(figures)}\n`)
  const targeted = figures.filter((f) => f.target)
  const met = targeted.filter((f) => f.met === true).length
  const lines = seriesLines(results)
  let chart: { file: string | null; note: string } = { file: null, note: 'no series' }
  if (lines.length > 0) {
    process.stdout.write(`\nScaling series (100 keys per tenant; per tenant = least-squares slope, R² = how straight; growth = last / first for the size ratio):\n${renderSeries(lines)}\n`)
    chart = await writeSeriesChart(lines, `npm run bench, ${new Date().toISOString().slice(0, 16)}Z, ${machineInfo().cpus as number} cores; dashed: least-squares lines`)
      .catch((e: unknown) => ({ file: null, note: `no chart: ${e instanceof Error ? e.message : String(e)}` }))
    process.stdout.write(`${chart.note}\n`)
  }
  process.stdout.write(`\n${met} of ${targeted.length} targets met; total ${(totalMs / 1000).toFixed(0)} s\n`)
  const file = writeJson('latest.json', { generatedAt: new Date().toISOString(), totalMs, machine: machineInfo(), figures, series: { lines, fits: fitsOf(lines), chart: chart.file }, results })
  process.stdout.write(`wrote ${file}\n`)
  if (results.some((r) => r.error)) process.exitCode = 1
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})

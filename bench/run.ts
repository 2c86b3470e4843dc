// `npm run bench`: the sync, cache and UI benchmarks in one run, one table of every figure
// with its target, and bench/results/latest.json. Each benchmark runs in its own process
// (so one's memory or native state cannot colour another's), inside one keyring session.
// Options: `npm run bench -- sync ui` runs only those.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TSX_NODE_ARGS } from './support/child'
import { ensureKeyring, REPO_ROOT } from './support/keyring'
import { machineInfo, renderResult, renderTable, writeJson, type BenchName, type BenchResult } from './support/report'

const ALL: BenchName[] = ['sync', 'cache', 'ui']
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

async function main(): Promise<void> {
  ensureKeyring()
  const asked = process.argv.slice(2).filter((a): a is BenchName => (ALL as string[]).includes(a))
  const names = asked.length > 0 ? asked : ALL
  const started = performance.now()
  const results: BenchResult[] = []
  for (const name of names) {
    process.stderr.write(`\n-- bench ${name} --\n`)
    results.push(await runChild(name))
  }
  const totalMs = performance.now() - started
  const figures = results.flatMap((r) => r.figures)
  process.stdout.write(`\n${results.map(renderResult).join('\n\n')}\n\n${renderTable(figures)}\n`)
  const targeted = figures.filter((f) => f.target)
  const met = targeted.filter((f) => f.met === true).length
  process.stdout.write(`\n${met} of ${targeted.length} targets met; total ${(totalMs / 1000).toFixed(0)} s\n`)
  const file = writeJson('latest.json', { generatedAt: new Date().toISOString(), totalMs, machine: machineInfo(), figures, results })
  process.stdout.write(`wrote ${file}\n`)
  if (results.some((r) => r.error)) process.exitCode = 1
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exitCode = 1
})

// Sync benchmark: the emulator (own process) seeded with 500 tenants x 40 keys and 20 ms of
// server-side latency per request.
//   Project:  a full sync of every tenant through the real core (keytar, SQLite, HTTP) at the
//             default concurrency (DEFAULT_SETTINGS), in its own process (core-worker.ts) whose RSS is sampled.
//   Baseline: what an operator's script does today: a sequential loop fetching each tenant's
//             key list with plain fetch, writing nothing (in this process, same run).
//   Floor:    ceil(tenants / concurrency) x latency.
// Run alone: npx tsx bench/sync/index.ts
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SETTINGS } from '../../src/core/settings/store'
import { spawnTs } from '../support/child'
import { compileForNode } from '../support/compile'
import { ensureKeyring } from '../support/keyring'
import { figure, printStandalone, type BenchResult, type Figure } from '../support/report'
import { median, round } from '../support/stats'
import type { WorkerInput, WorkerOutput } from './core-worker'
import { runRateLimitedSync } from './rate-limited'

const TENANTS = Number(process.env.BENCH_SYNC_TENANTS ?? 500)
const KEYS_PER_TENANT = 40
const LATENCY_MS = 20
const CONCURRENCY = DEFAULT_SETTINGS.syncConcurrency
const SYNC_REPS = 5
const BASELINE_REPS = Number(process.env.BENCH_SYNC_BASELINE_REPS ?? 3)
/** Extra concurrencies, one sync each (not the default). */
const SWEEP = [8, 32].filter((c) => c !== CONCURRENCY)

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN
  }
}

interface EmulatorInfo { url: string; email: string; password: string; tenantIds: string[] }

async function baselineOnce(em: EmulatorInfo, token: string, tenantIds: string[]): Promise<{ ms: number; keys: number }> {
  let keys = 0
  const t0 = performance.now()
  for (const id of tenantIds) {
    const res = await fetch(`${em.url}/api/v1/admin/service-keys`, { headers: { Authorization: `Bearer ${token}`, 'X-FB-Tenant': id } })
    if (!res.ok) throw new Error(`baseline: GET service-keys for ${id} answered ${res.status}`)
    const list = (await res.json()) as unknown[]
    keys += list.length
  }
  return { ms: performance.now() - t0, keys }
}

export async function runSyncBench(): Promise<BenchResult> {
  const started = performance.now()
  const figures: Figure[] = []
  const details: string[] = []
  const raw: Record<string, unknown> = { tenants: TENANTS, keysPerTenant: KEYS_PER_TENANT, latencyMs: LATENCY_MS, concurrency: CONCURRENCY }
  const f = (name: string, value: number | null, unit: string, target: Figure['target'] = null, note?: string) =>
    figures.push(figure('sync', name, value === null ? null : round(value), unit, target, note))
  const emulator = spawnTs<EmulatorInfo>(join(__dirname, '..', 'support', 'emulator-child.ts'),
    [String(TENANTS), String(KEYS_PER_TENANT), '1', String(LATENCY_MS)], { timeoutMs: 60_000 })
  try {
    const em = await emulator.first
    // The server lists active tenants only (reference §1.5): the seed's few others are not synced.
    if (em.tenantIds.length < TENANTS * 0.9) throw new Error(`the emulator lists ${em.tenantIds.length} tenants, expected about ${TENANTS}`)
    const listed = em.tenantIds.length
    const floorMs = Math.ceil(listed / CONCURRENCY) * LATENCY_MS

    // Baseline: log in once, warm up on a few tenants, then the full sequential loop.
    process.stderr.write(`sync: baseline, ${BASELINE_REPS} x ${listed} sequential fetches\n`)
    const login = await fetch(`${em.url}/api/v1/admin/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: em.email, password: em.password })
    })
    if (!login.ok) throw new Error(`baseline: admin login answered ${login.status}`)
    const token = ((await login.json()) as { access_token: string }).access_token
    await baselineOnce(em, token, em.tenantIds.slice(0, 20))
    const baseline: number[] = []
    let baselineKeys = 0
    const emCpu0 = cpuSeconds(emulator.proc.pid)
    for (let i = 0; i < BASELINE_REPS; i++) {
      const r = await baselineOnce(em, token, em.tenantIds)
      baseline.push(r.ms)
      baselineKeys = r.keys
    }

    const emCpuPerReqMs = ((cpuSeconds(emulator.proc.pid) - emCpu0) * 1000) / (BASELINE_REPS * listed)
    process.stderr.write(`sync: core, 1 cold + ${SYNC_REPS} syncs at concurrency ${CONCURRENCY}\n`)
    const input: WorkerInput = { url: em.url, email: em.email, password: em.password, concurrency: CONCURRENCY, reps: SYNC_REPS, sweep: SWEEP }
    // Compiled JavaScript under bare node, as the app ships it (see compile.ts).
    const workerJs = await compileForNode(['src/core', 'src/shared', 'bench/sync', 'bench/support'], join(__dirname, 'core-worker.ts'))
    const worker = spawnTs<WorkerOutput>(workerJs, [JSON.stringify(input)], { timeoutMs: 180_000, nodeArgs: ['--expose-gc'], plain: true })
    let out: WorkerOutput
    const emCpuSync0 = cpuSeconds(emulator.proc.pid)
    let emCpuSync = Number.NaN
    try {
      out = await worker.first
      emCpuSync = cpuSeconds(emulator.proc.pid) - emCpuSync0
      // Let it clean up (keychain items, data dir) before anything is killed.
      if (worker.proc.exitCode === null) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 15_000)
          worker.proc.once('exit', () => { clearTimeout(t); r() })
        })
      }
    } finally {
      worker.kill()
    }
    if (out.error) throw new Error(`core worker: ${out.error}\n${worker.stderr()}`)

    const syncMs = median(out.syncMs)
    const baseMs = median(baseline)
    const speedup = baseMs / syncMs
    f(`full sync wall time (core, concurrency ${CONCURRENCY})`, syncMs, 'ms')
    f('baseline wall time (sequential fetch)', baseMs, 'ms')
    f('speed-up over baseline', speedup, 'x', { kind: 'min', limit: 10 })
    f('efficiency (floor / actual)', floorMs / syncMs, '', { kind: 'min', limit: 0.6 })
    f('requests/s (core)', listed / (syncMs / 1000), 'req/s')
    f('peak RSS of the syncing process', out.rssPeakMB, 'MB', { kind: 'max', limit: 200 })

    const perReqBase = baseMs / listed
    details.push(`emulator: ${listed} tenants x ${KEYS_PER_TENANT} keys, ${LATENCY_MS} ms server latency, own process at ${em.url}`)
    details.push(`core sync (concurrency ${CONCURRENCY}): ${out.syncMs.map((m) => m.toFixed(0)).join(' / ')} ms -> median ${syncMs.toFixed(0)} ms; cold first sync (inserts every key) ${out.coldSyncMs.toFixed(0)} ms`)
    details.push(`baseline (sequential fetch + JSON parse, ${baselineKeys.toLocaleString()} keys, no writes): ${baseline.map((m) => m.toFixed(0)).join(' / ')} ms -> median ${baseMs.toFixed(0)} ms = ${perReqBase.toFixed(1)} ms per request (${LATENCY_MS} ms latency + ${(perReqBase - LATENCY_MS).toFixed(1)} ms overhead)`)
    details.push(`floor ceil(${listed}/${CONCURRENCY}) x ${LATENCY_MS} ms = ${floorMs} ms; efficiency ${(floorMs / syncMs).toFixed(2)}; speed-up ${speedup.toFixed(1)}x`)
    details.push(`speed-up ceiling at concurrency ${CONCURRENCY}: baseline / floor = ${(baseMs / floorMs).toFixed(1)}x (a sync AT the floor would reach only this)`)
    details.push(`requests/s: core ${(listed / (syncMs / 1000)).toFixed(0)}, baseline ${(listed / (baseMs / 1000)).toFixed(0)}`)
    for (const s of out.sweep) {
      const fl = Math.ceil(listed / s.concurrency) * LATENCY_MS
      details.push(`sweep: concurrency ${s.concurrency}: ${s.ms.toFixed(0)} ms, speed-up ${(baseMs / s.ms).toFixed(1)}x, floor ${fl} ms, efficiency ${(fl / s.ms).toFixed(2)}`)
    }
    details.push(`memory: RSS before the measured syncs ${out.rssBeforeMB.toFixed(0)} MB, peak during them ${out.rssPeakMB.toFixed(0)} MB (${out.rssSamples} samples every 50 ms), heap used after ${out.heapUsedAfterMB.toFixed(0)} MB`)
    details.push(`why: during the measured syncs this process used ${(out.cpuShare * 100).toFixed(0)}% of a core (CPU time / wall time); event-loop delay p50 ${out.loopDelay.p50.toFixed(1)} ms, p99 ${out.loopDelay.p99.toFixed(1)} ms, max ${out.loopDelay.max.toFixed(0)} ms`)
    const syncsInWorker = 1 + SYNC_REPS + 1 + SWEEP.length
    details.push(`why: the emulator (own process) spends ${emCpuPerReqMs.toFixed(2)} ms CPU per key-list request in the baseline; over the worker's ${syncsInWorker} syncs it used ${(emCpuSync * 1000 / syncsInWorker).toFixed(0)} ms CPU per sync; the core process ${(out.cpuShare * syncMs).toFixed(0)} ms CPU per sync; 2 cores`)
    details.push(`why: CPU profile of one more sync (self time): ${out.profile.map((p) => `${p.where} ${(p.share * 100).toFixed(0)}%`).join(', ')}`)
    for (const st of out.steps) details.push(`memory step: ${st.step.padEnd(52)} rss ${st.rss} MB (anon ${st.rssAnon}, file ${st.rssFile}), JS heap used ${st.heapUsed} / total ${st.heapTotal} MB, external ${st.external} MB`)
    raw.floorMs = floorMs
    raw.baselineMs = baseline
    raw.worker = out
    if (process.env.BENCH_RATE_LIMIT !== '0') {
      const limited = await runRateLimitedSync()
      figures.push(...limited.figures)
      details.push(...limited.details)
      raw.rateLimited = limited.raw
    }
    return { bench: 'sync', figures, details, raw, durationMs: performance.now() - started }
  } catch (error) {
    return { bench: 'sync', figures, details, raw, durationMs: performance.now() - started, error: error instanceof Error ? error.stack ?? error.message : String(error) }
  } finally {
    emulator.kill()
  }
}

if (require.main === module) {
  ensureKeyring()
  runSyncBench().then((r) => {
    printStandalone(r)
    if (r.error) process.exitCode = 1
  }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  })
}

// Sync benchmark at the design scale: the emulator (own process) seeded with 2,000 tenants x
// 100 keys (1,960 listed: the server hides the few that are not active) and 20 ms of
// server-side latency per request.
//   Project:  the real core (keytar, SQLite, HTTP) at the default concurrency, in its own
//             process (core-worker.ts) whose RSS is sampled: a first sync into an empty cache,
//             then 4 re-syncs, each after every key was used again (every last_used_at changed).
//             Sync wall time is sync.run's, the cache writes included.
//   Baseline: an operator's script: a sequential loop fetching each tenant's key list with
//             plain fetch, writing nothing; timed on a sample of tenants, per request.
//   Floor:    ceil(tenants / concurrency) x latency (the network alone, at the concurrency).
//   Series:   the same first sync and one re-sync at 250, 500 and 1,000 tenants (the first N
//             listed), each in a fresh process and cache: does the cost grow linearly?
// Run alone: npx tsx bench/sync/index.ts
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SETTINGS } from '../../src/core/settings/store'
import { spawnTs } from '../support/child'
import { ensureKeyring } from '../support/keyring'
import { figure, printStandalone, type BenchResult, type Figure } from '../support/report'
import { fitLine, median, round } from '../support/stats'
import type { WorkerInput, WorkerOutput } from './core-worker'
import { compileCoreWorker, runCoreWorker } from './run-worker'

const TENANTS = Number(process.env.BENCH_SYNC_TENANTS ?? 2000)
const KEYS_PER_TENANT = Number(process.env.BENCH_SYNC_KEYS ?? 100)
const LATENCY_MS = 20
const CONCURRENCY = DEFAULT_SETTINGS.syncConcurrency
const RESYNCS = 4
const SERIES = process.env.BENCH_SYNC_SERIES === '0' ? [] : [250, 500, 1000].filter((n) => n < TENANTS)
/** Extra V8 flags for the syncing process (experiments: BENCH_SYNC_NODE_ARGS='--max-semi-space-size=32'). */
const WORKER_NODE_ARGS = (process.env.BENCH_SYNC_NODE_ARGS ?? '').split(' ').filter(Boolean)
/** Sequential requests the baseline is timed on (the full loop would take ~1 min at 2,000). */
const BASELINE_SAMPLE = Number(process.env.BENCH_SYNC_BASELINE_SAMPLE ?? 300)

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

interface EmulatorInfo { url: string; email: string; password: string; tenantIds: string[]; touchUrl: string }

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

export interface SyncSeriesPoint {
  tenants: number
  keys: number
  floorMs: number
  firstMs: number
  resyncMs: number
  firstCpuMs: number
  resyncCpuMs: number
  peakRssMB: number
  /** The emulator's CPU over this point's syncs (ms). */
  serverCpuMs: number
}

export async function runSyncBench(): Promise<BenchResult> {
  const started = performance.now()
  const figures: Figure[] = []
  const details: string[] = []
  const raw: Record<string, unknown> = { tenants: TENANTS, keysPerTenant: KEYS_PER_TENANT, latencyMs: LATENCY_MS, concurrency: CONCURRENCY }
  const f = (name: string, value: number | null, unit: string, target: Figure['target'] = null, note?: string) =>
    figures.push(figure('sync', name, value === null ? null : round(value), unit, target, note))
  const emulator = spawnTs<EmulatorInfo>(join(__dirname, '..', 'support', 'emulator-child.ts'),
    [String(TENANTS), String(KEYS_PER_TENANT), '1', String(LATENCY_MS)], { timeoutMs: 120_000 })
  try {
    const em = await emulator.first
    // The server lists active tenants only (reference §1.5): the seed's few others are not synced.
    if (em.tenantIds.length < TENANTS * 0.9) throw new Error(`the emulator lists ${em.tenantIds.length} tenants, expected about ${TENANTS}`)
    const listed = em.tenantIds.length
    const floorOf = (n: number) => Math.ceil(n / CONCURRENCY) * LATENCY_MS
    const floorMs = floorOf(listed)

    // Baseline: log in once, warm up on a few tenants, then a sequential loop over a sample.
    process.stderr.write(`sync: baseline, ${BASELINE_SAMPLE} sequential fetches\n`)
    const login = await fetch(`${em.url}/api/v1/admin/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: em.email, password: em.password })
    })
    if (!login.ok) throw new Error(`baseline: admin login answered ${login.status}`)
    const token = ((await login.json()) as { access_token: string }).access_token
    await baselineOnce(em, token, em.tenantIds.slice(0, 20))
    const sample = em.tenantIds.slice(0, Math.min(BASELINE_SAMPLE, listed))
    const emCpu0 = cpuSeconds(emulator.proc.pid)
    const base = await baselineOnce(em, token, sample)
    const perRequestMs = base.ms / sample.length
    const emCpuPerReqMs = ((cpuSeconds(emulator.proc.pid) - emCpu0) * 1000) / sample.length
    const baselineMs = perRequestMs * listed

    const workerJs = await compileCoreWorker()
    const runWorker = async (input: Omit<WorkerInput, 'url' | 'email' | 'password' | 'concurrency' | 'touchUrl' | 'dataDir'>): Promise<{ out: WorkerOutput; serverCpuMs: number }> => {
      const cpu0 = cpuSeconds(emulator.proc.pid)
      const out = await runCoreWorker(workerJs, { url: em.url, email: em.email, password: em.password, concurrency: CONCURRENCY, touchUrl: em.touchUrl, ...input },
        { timeoutMs: 300_000, nodeArgs: ['--expose-gc', ...WORKER_NODE_ARGS] })
      return { out, serverCpuMs: (cpuSeconds(emulator.proc.pid) - cpu0) * 1000 }
    }

    const series: SyncSeriesPoint[] = []
    for (const n of SERIES) {
      process.stderr.write(`sync: series, ${n} tenants: first sync + 1 re-sync\n`)
      const { out, serverCpuMs } = await runWorker({ tenantIds: em.tenantIds.slice(0, n), resyncs: 1 })
      const [first, re] = out.syncs
      if (!first || !re) throw new Error('series: a sync is missing')
      series.push({ tenants: n, keys: n * KEYS_PER_TENANT, floorMs: floorOf(n), firstMs: first.ms, resyncMs: re.ms, firstCpuMs: first.cpuMs, resyncCpuMs: re.cpuMs, peakRssMB: out.rssPeakMB, serverCpuMs })
    }

    process.stderr.write(`sync: ${listed} tenants: first sync into an empty cache + ${RESYNCS} re-syncs (every last use changed), concurrency ${CONCURRENCY}\n`)
    const { out, serverCpuMs } = await runWorker({ resyncs: RESYNCS, profile: true })
    const first = out.syncs[0]
    const resyncs = out.syncs.slice(1)
    if (!first || resyncs.length !== RESYNCS) throw new Error('core worker: syncs missing')
    const resyncMs = median(resyncs.map((s) => s.ms))
    series.push({
      tenants: TENANTS, keys: listed * KEYS_PER_TENANT, floorMs, firstMs: first.ms, resyncMs, firstCpuMs: first.cpuMs,
      resyncCpuMs: median(resyncs.map((s) => s.cpuMs)), peakRssMB: out.rssPeakMB, serverCpuMs: serverCpuMs / out.syncs.length
    })
    const rssAfter = out.syncs.map((s) => s.rssAfterMB)
    const growth = (rssAfter[4] ?? Number.NaN) - (rssAfter[1] ?? Number.NaN)

    const label = `${listed.toLocaleString()} tenants x ${KEYS_PER_TENANT}`
    f(`first sync, ${label} keys, empty cache (writes included)`, first.ms, 'ms', { kind: 'max', limit: 4000 })
    f('first sync: efficiency (floor / actual)', floorMs / first.ms, '', { kind: 'min', limit: 0.8 })
    f('re-sync, every last_used_at changed (median of 4)', resyncMs, 'ms')
    f('re-sync: efficiency (floor / actual)', floorMs / resyncMs, '', { kind: 'min', limit: 0.8 })
    f('re-sync: speed-up over the sequential script', baselineMs / resyncMs, 'x', { kind: 'min', limit: 10 })
    f('peak RSS of the syncing process over 5 back-to-back syncs', out.rssPeakMB, 'MB', { kind: 'max', limit: 150 })
    f('RSS growth from sync 2 to sync 5', growth, 'MB', { kind: 'max', limit: 5 })
    f('tenants.list through the host after the syncs', out.tenantsListMs, 'ms', null, 'extra')
    f('longest the core was busy at once during the 5 syncs', Math.max(...out.syncs.map((s) => s.loopMaxMs)), 'ms', null, 'extra')

    details.push(`emulator: ${listed} tenants x ${KEYS_PER_TENANT} keys, ${LATENCY_MS} ms server latency, own process at ${em.url}`)
    details.push(`floor ceil(${listed}/${CONCURRENCY}) x ${LATENCY_MS} ms = ${floorMs} ms`)
    details.push(`first sync into an empty cache: ${first.ms.toFixed(0)} ms (efficiency ${(floorMs / first.ms).toFixed(2)}), core CPU ${first.cpuMs.toFixed(0)} ms`)
    details.push(`re-syncs, every last_used_at changed before each: ${resyncs.map((s) => s.ms.toFixed(0)).join(' / ')} ms -> median ${resyncMs.toFixed(0)} ms (efficiency ${(floorMs / resyncMs).toFixed(2)}); core CPU ${resyncs.map((s) => s.cpuMs.toFixed(0)).join(' / ')} ms; the server's touch before each ${resyncs.map((s) => s.touchMs.toFixed(0)).join(' / ')} ms (not timed)`)
    details.push(`baseline: ${sample.length} sequential fetches + JSON parse in ${base.ms.toFixed(0)} ms = ${perRequestMs.toFixed(1)} ms per request (${LATENCY_MS} ms latency + ${(perRequestMs - LATENCY_MS).toFixed(1)} ms), so ${(baselineMs / 1000).toFixed(1)} s for all ${listed}; speed-up of a re-sync ${(baselineMs / resyncMs).toFixed(1)}x (ceiling at the floor: ${(baselineMs / floorMs).toFixed(1)}x)`)
    details.push(`memory: RSS before the syncs ${out.rssBeforeMB.toFixed(0)} MB; after each sync ${rssAfter.map((r) => r.toFixed(0)).join(' / ')} MB (RssAnon ${out.syncs.map((s) => s.rssAnonMB).join(' / ')}; JS heap used ${out.syncs.map((s) => s.heapUsedAfterMB.toFixed(0)).join(' / ')}); peak ${out.rssPeakMB.toFixed(0)} MB (${out.rssSamples} samples every 50 ms); peak during each sync ${out.syncs.map((s) => s.rssPeakMB.toFixed(0)).join(' / ')} MB`)
    for (const st of out.steps) details.push(`memory step: ${st.step.padEnd(48)} rss ${st.rss} MB (anon ${st.rssAnon}, file ${st.rssFile}), JS heap used ${st.heapUsed} / total ${st.heapTotal} MB, external ${st.external} MB`)
    details.push(`responsiveness: the longest the core's thread was busy at once (a call from the window waited that long) per sync: ${out.syncs.map((s) => s.loopMaxMs.toFixed(0)).join(' / ')} ms; the longest garbage-collection pause in each: ${out.syncs.map((s) => s.gcMaxMs.toFixed(0)).join(' / ')} ms`)
    details.push(`why: event-loop delay during the syncs p50 ${out.loopDelay.p50.toFixed(1)} ms, p99 ${out.loopDelay.p99.toFixed(1)} ms, max ${out.loopDelay.max.toFixed(0)} ms`)
    details.push(`why: CPU per sync: the core ${first.cpuMs.toFixed(0)} ms (first) / ${median(resyncs.map((s) => s.cpuMs)).toFixed(0)} ms (re-sync), the server (emulator, own process) ${(serverCpuMs / out.syncs.length).toFixed(0)} ms on average (${emCpuPerReqMs.toFixed(2)} ms per request in the baseline); both on 2 cores: a CPU floor of max(network floor, core CPU, (core + server CPU) / 2)`)
    details.push(`why: CPU profile of one more re-sync (self time): ${out.profile.map((p) => `${p.where} ${(p.share * 100).toFixed(0)}%`).join(', ')}`)
    const fit = (pick: (p: SyncSeriesPoint) => number) => fitLine(series.map((p) => p.tenants), series.map(pick))
    const firstFit = fit((p) => p.firstMs)
    const reFit = fit((p) => p.resyncMs)
    details.push(`series (${series.map((p) => p.tenants).join(', ')} tenants): first sync ${series.map((p) => p.firstMs.toFixed(0)).join(' / ')} ms, re-sync ${series.map((p) => p.resyncMs.toFixed(0)).join(' / ')} ms, floor ${series.map((p) => p.floorMs).join(' / ')} ms`)
    details.push(`series fit: first sync ${firstFit.slope.toFixed(2)} ms per tenant + ${firstFit.intercept.toFixed(0)} ms (R² ${firstFit.r2.toFixed(3)}); re-sync ${reFit.slope.toFixed(2)} ms per tenant + ${reFit.intercept.toFixed(0)} ms (R² ${reFit.r2.toFixed(3)}); the floor grows ${(LATENCY_MS / CONCURRENCY).toFixed(2)} ms per tenant`)
    raw.floorMs = floorMs
    raw.baseline = { sample: sample.length, ms: base.ms, perRequestMs, emCpuPerReqMs }
    raw.worker = out
    raw.series = series
    raw.fits = { first: firstFit, resync: reFit }
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

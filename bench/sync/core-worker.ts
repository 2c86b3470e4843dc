// The syncing process: the real core host (keytar keychain, SQLite cache, HTTP client, sync
// with its default concurrency) against the emulator, alone in this process so that its
// memory is measured without the benchmark's or the server's. Prints one JSON line.
// Usage: node --import tsx bench/sync/core-worker.ts '<json WorkerInput>'; the benchmark runs
// its compiled form under bare node instead (bench/support/compile.ts).
//
// The first sync fills an empty cache; each later one follows a POST to the emulator's touch
// listener (every key used again since: every last_used_at changed). RSS is sampled over all
// of them and read after each.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { createCoreHost } from '../../src/core/host'
import { createKeytarStore } from '../../src/core/secrets'
import { startProfile } from '../support/profile'
import { MB, rssSampler } from '../support/stats'

export interface WorkerInput {
  url: string
  email: string
  password: string
  concurrency: number
  /** Sync only these tenants (the first N the server lists); every selected one when absent. */
  tenantIds?: string[]
  /** The data folder, made (and removed after the worker has gone) by the caller; a new one when absent. */
  dataDir?: string
  /** Syncs after the first, each after `touchUrl` moved every key's last use. */
  resyncs: number
  touchUrl?: string
  /** One more re-sync under the CPU profiler (not in the figures). */
  profile?: boolean
  /** Only add the instance and run the first sync (the rate-limited case). */
  coldOnly?: boolean
}

export interface SyncRun {
  kind: 'first' | 'resync'
  ms: number
  /** CPU time of this process during the sync (user + system). */
  cpuMs: number
  /** Peak RSS during this sync (sampled every 50 ms). */
  rssPeakMB: number
  /** RSS and heap right after the sync answered. */
  rssAfterMB: number
  heapUsedAfterMB: number
  /** Of rssAfterMB: RssAnon (malloc'd, JS heap) and RssFile (mapped files) from /proc/self/status. */
  rssAnonMB: number
  /** The emulator's work before this sync (the touch), not in `ms`. */
  touchMs: number
  /** The longest the core's thread was busy at once during this sync (event-loop delay max, ms): how long a call from the window could wait. */
  loopMaxMs: number
  /** The longest garbage-collection pause during this sync (ms): how much of loopMaxMs the collector explains. */
  gcMaxMs: number
}

export interface WorkerOutput {
  tenants: number
  /** instances.add: sign-in, tenant list, update probe. */
  addMs: number
  syncs: SyncRun[]
  failed: number
  rssBeforeMB: number
  /** Peak RSS over every sync (sampled every 50 ms). */
  rssPeakMB: number
  rssSamples: number
  /** Event-loop delay during the syncs (ms). */
  loopDelay: { p50: number; p99: number; max: number }
  /** tenants.list through the host after the syncs (ms, median of 5): status counts + tenants + the contract's output check. */
  tenantsListMs: number
  /** Where the CPU went during one extra re-sync (self time). */
  profile: Array<{ where: string; ms: number; share: number }>
  /** process.memoryUsage() at each step, in MB: where the resident memory comes from. */
  steps: Array<{ step: string; rss: number; heapUsed: number; heapTotal: number; external: number; rssAnon: number; rssFile: number }>
  error?: string
}

const steps: WorkerOutput['steps'] = []
/** RssAnon / RssFile of /proc/self/status in MB (malloc'd memory vs mapped files). */
function procRss(): { anon: number; file: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const kb = (k: string) => Number(new RegExp(`${k}:\\s*(\\d+)`).exec(status)?.[1] ?? Number.NaN)
    return { anon: Math.round(kb('RssAnon') / 1024), file: Math.round(kb('RssFile') / 1024) }
  } catch {
    return { anon: Number.NaN, file: Number.NaN }
  }
}

function step(name: string): void {
  const m = process.memoryUsage()
  const p = procRss()
  steps.push({ step: name, rss: Math.round(m.rss / MB), heapUsed: Math.round(m.heapUsed / MB), heapTotal: Math.round(m.heapTotal / MB), external: Math.round(m.external / MB), rssAnon: p.anon, rssFile: p.file })
}

async function touch(url: string | undefined): Promise<number> {
  if (!url) return 0
  const t0 = performance.now()
  const res = await fetch(url, { method: 'POST' })
  if (!res.ok) throw new Error(`touch answered ${res.status}`)
  await res.json()
  return performance.now() - t0
}

async function main(): Promise<void> {
  step('process start (node, compiled JS)')
  const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput
  const dataDir = input.dataDir ?? mkdtempSync(join(tmpdir(), 'fbk-bench-sync-'))
  // A keychain service of its own: the run never sees other items (and removes its own).
  const secrets = createKeytarStore({ service: `Fluxbase Keys bench ${randomUUID()}` })
  const host = await createCoreHost({
    dataDir,
    shell: 'browser-harness',
    version: 'bench',
    clipboard: { writeText: () => undefined, readText: () => '', clear: () => undefined },
    notifier: { show: () => undefined },
    exportTarget: { choosePath: async () => null },
    secrets,
    log: () => undefined,
    ...(process.env.BENCH_SYNC_NO_SCHEDULE === '1' ? { runSchedule: false } : {})
  })
  step('core host created (modules, keytar, SQLite opened)')
  const call = async (name: Parameters<typeof host.dispatch>[0], arg: unknown): Promise<unknown> => {
    const r = await host.dispatch(name, arg)
    if (!r.ok) throw new Error(`${name} failed: [${r.error.code}] ${r.error.message}`)
    return r.value
  }
  let failed = 0
  /** One sync as measured: wall time, this process's CPU, its longest busy stretch and GC pause. */
  type SyncMeasure = { ms: number; cpuMs: number; loopMaxMs: number; gcMaxMs: number }
  let gcMaxMs = 0
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, e.duration)
  })
  gc.observe({ entryTypes: ['gc'] })
  const runSync = async (): Promise<SyncMeasure> => {
    gcMaxMs = 0
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const r = (await call('sync.run', input.tenantIds ? { tenantIds: input.tenantIds } : {})) as { ok: number; failed: number; tenants: number }
    const ms = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    loop.disable()
    failed += r.failed
    if (r.ok !== r.tenants) throw new Error(`sync: ${r.failed} of ${r.tenants} tenants failed`)
    // GC entries are delivered a tick late.
    await new Promise((resolve) => setImmediate(resolve))
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, loopMaxMs: loop.max / 1e6, gcMaxMs }
  }
  let sampler: ReturnType<typeof rssSampler> | null = null
  const record = (kind: SyncRun['kind'], r: SyncMeasure, touchMs: number): SyncRun => {
    const m = process.memoryUsage()
    return { kind, ms: r.ms, cpuMs: r.cpuMs, loopMaxMs: r.loopMaxMs, gcMaxMs: r.gcMaxMs, rssPeakMB: (sampler?.lap() ?? 0) / MB, rssAfterMB: m.rss / MB, heapUsedAfterMB: m.heapUsed / MB, rssAnonMB: procRss().anon, touchMs }
  }
  try {
    const addStarted = performance.now()
    const added = (await call('instances.add', { baseUrl: input.url, auth: { kind: 'password', email: input.email, password: input.password } })) as { tenants: unknown[] }
    const addMs = performance.now() - addStarted
    step('instance added')
    await call('settings.set', { syncConcurrency: input.concurrency })
    const rssBefore = process.memoryUsage().rss
    sampler = rssSampler(50)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    const syncs: SyncRun[] = []
    syncs.push(record('first', await runSync(), 0))
    step('after the first sync (empty cache filled)')
    if (input.coldOnly) {
      const peak = sampler.stop()
      loop.disable()
      process.stdout.write(`${JSON.stringify({
        tenants: input.tenantIds?.length ?? added.tenants.length, addMs, syncs, failed, rssBeforeMB: rssBefore / MB, rssPeakMB: peak.peak / MB, rssSamples: peak.samples,
        loopDelay: { p50: 0, p99: 0, max: 0 }, tenantsListMs: Number.NaN, steps, profile: []
      } satisfies WorkerOutput)}\n`)
      return
    }
    for (let i = 0; i < input.resyncs; i++) {
      const touchMs = await touch(input.touchUrl)
      syncs.push(record('resync', await runSync(), touchMs))
      step(`after re-sync ${i + 1} (every last use changed)`)
    }
    loop.disable()
    const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
    const peak = sampler.stop()
    const listMs: number[] = []
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      await call('tenants.list', {})
      listMs.push(performance.now() - t0)
    }
    listMs.sort((a, b) => a - b)
    let profile: WorkerOutput['profile'] = []
    if (input.profile) {
      await touch(input.touchUrl)
      const stopProfile = await startProfile()
      await runSync()
      profile = await stopProfile()
    }
    gc.disconnect()
    global.gc?.()
    step('after the syncs + forced GC')
    const out: WorkerOutput = {
      tenants: input.tenantIds?.length ?? added.tenants.length, addMs, syncs, failed,
      rssBeforeMB: rssBefore / MB, rssPeakMB: peak.peak / MB, rssSamples: peak.samples, loopDelay, tenantsListMs: listMs[2] ?? Number.NaN, steps, profile
    }
    process.stdout.write(`${JSON.stringify(out)}\n`)
  } finally {
    for (const account of await secrets.list().catch(() => [] as string[])) await secrets.delete(account).catch(() => false)
    await host.close().catch(() => undefined)
    // Background writers (log file) may still be closing: remove the directory last, twice.
    rmSync(dataDir, { recursive: true, force: true })
    await new Promise((r) => setTimeout(r, 200))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: e instanceof Error ? e.message : String(e) })}\n`)
  process.exit(1)
})

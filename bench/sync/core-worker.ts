// The syncing process: the real core host (keytar keychain, SQLite cache, HTTP client, sync
// with its default concurrency) against the emulator, alone in this process so that its
// memory is measured without the benchmark's or the server's. Prints one JSON line.
// Usage: node --import tsx bench/sync/core-worker.ts '<json WorkerInput>'; the benchmark runs
// its compiled form under bare node instead (bench/support/compile.ts).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCoreHost } from '../../src/core/host'
import { createKeytarStore } from '../../src/core/secrets'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startProfile } from '../support/profile'
import { MB, rssSampler } from '../support/stats'

export interface WorkerInput {
  url: string
  email: string
  password: string
  concurrency: number
  reps: number
  /** Extra concurrencies, one sync each, after the measured ones (not in the memory figure). */
  sweep: number[]
  /** Only add the instance and run the cold sync (the rate-limited case). */
  coldOnly?: boolean
}

export interface WorkerOutput {
  tenants: number
  /** instances.add: sign-in, tenant list, update probe. */
  addMs: number
  coldSyncMs: number
  syncMs: number[]
  failed: number
  rssBeforeMB: number
  rssPeakMB: number
  rssSamples: number
  heapUsedAfterMB: number
  sweep: Array<{ concurrency: number; ms: number }>
  /** CPU time of this process during the measured syncs / their wall time (1 = one core busy). */
  cpuShare: number
  /** Event-loop delay during the measured syncs (ms). */
  loopDelay: { p50: number; p99: number; max: number }
  /** Where the CPU went during one extra sync at the same concurrency (self time). */
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

async function main(): Promise<void> {
  step('process start (node, compiled JS)')
  const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput
  const dataDir = mkdtempSync(join(tmpdir(), 'fbk-bench-sync-'))
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
    log: () => undefined
  })
  step('core host created (modules, keytar, SQLite opened)')
  const call = async (name: Parameters<typeof host.dispatch>[0], arg: unknown): Promise<unknown> => {
    const r = await host.dispatch(name, arg)
    if (!r.ok) throw new Error(`${name} failed: [${r.error.code}] ${r.error.message}`)
    return r.value
  }
  let failed = 0
  const sync = async (): Promise<number> => {
    const t0 = performance.now()
    const r = (await call('sync.run', {})) as { ok: number; failed: number; tenants: number }
    const ms = performance.now() - t0
    failed += r.failed
    if (r.ok !== r.tenants) throw new Error(`sync: ${r.failed} of ${r.tenants} tenants failed`)
    return ms
  }
  try {
    const addStarted = performance.now()
    const added = (await call('instances.add', { baseUrl: input.url, auth: { kind: 'password', email: input.email, password: input.password } })) as { tenants: unknown[] }
    const addMs = performance.now() - addStarted
    step('instance added')
    await call('settings.set', { syncConcurrency: input.concurrency })
    // Cold: the first sync inserts every key; it also warms up the client, JIT and statements.
    const coldSyncMs = await sync()
    if (input.coldOnly) {
      const m = process.memoryUsage()
      process.stdout.write(`${JSON.stringify({
        tenants: added.tenants.length, addMs, coldSyncMs, syncMs: [], failed, rssBeforeMB: m.rss / MB, rssPeakMB: m.rss / MB, rssSamples: 0,
        heapUsedAfterMB: m.heapUsed / MB, sweep: [], steps, cpuShare: 0, loopDelay: { p50: 0, p99: 0, max: 0 }, profile: []
      } satisfies WorkerOutput)}\n`)
      return
    }
    step('after the cold sync')
    global.gc?.()
    step('after the cold sync + forced GC')
    const rssBefore = process.memoryUsage().rss
    const sampler = rssSampler(50)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    const cpu0 = process.cpuUsage()
    const wall0 = performance.now()
    const syncMs: number[] = []
    for (let i = 0; i < input.reps; i++) syncMs.push(await sync())
    const cpu = process.cpuUsage(cpu0)
    const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0)
    loop.disable()
    const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
    const peak = sampler.stop()
    const heapUsedAfter = process.memoryUsage().heapUsed
    step('after the measured syncs')
    const stopProfile = await startProfile()
    await sync()
    const profile = await stopProfile()
    const sweep: WorkerOutput['sweep'] = []
    for (const c of input.sweep) {
      await call('settings.set', { syncConcurrency: c })
      sweep.push({ concurrency: c, ms: await sync() })
    }
    const out: WorkerOutput = {
      tenants: added.tenants.length, addMs, coldSyncMs, syncMs, failed,
      rssBeforeMB: rssBefore / MB, rssPeakMB: peak.peak / MB, rssSamples: peak.samples, heapUsedAfterMB: heapUsedAfter / MB, sweep, steps, cpuShare, loopDelay, profile
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

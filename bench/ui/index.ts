// Inventory UI benchmark: the built renderer in Debian Chromium (the e2e harness's pieces:
// renderer server, window.api bridge, Chromium flags) with the real core host behind it and
// 100,000 keys in its SQLite cache (written with openCache + replaceTenantKeys beforehand).
//   Project:  open -> first rows painted; search keystroke -> painted result (20 keystrokes);
//             row elements in the DOM while scrolling; JS heap after load and after scrolling.
//   Baseline: the same rows as a plain, non-virtualized <table> in a blank page of the same
//             Chromium (the largest count that builds in reasonable time), filtered on each
//             keystroke by re-rendering.
// Run alone: npx tsx bench/ui/index.ts
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test'
import { openCache } from '../../src/core/cache'
import { createCoreHost, type CoreHost } from '../../src/core/host'
import { createKeytarStore } from '../../src/core/secrets'
import type { KeyRow } from '../../src/shared/contract'
import { installBridge } from '../../e2e/harness/bridge'
import { CHROMIUM_ARGS, chromiumPath } from '../../e2e/harness/chromium'
import { serveRenderer, type RendererServer } from '../../e2e/harness/server'
import { makeKeys, makeTenants } from '../support/data'
import { ensureKeyring, REPO_ROOT } from '../support/keyring'
import { figure, printStandalone, type BenchResult, type Figure } from '../support/report'
import { median, MB, percentile, round } from '../support/stats'
import {
  ARM_PLAIN_KEYSTROKE, armAppKeystroke, AWAIT_APP_KEYSTROKE, AWAIT_PLAIN_KEYSTROKE, buildPlainTable, FIRST_ROWS_INIT, scrollGrid, type PlainRow
} from './page-scripts'

const TENANTS = Number(process.env.BENCH_UI_TENANTS ?? 1000)
const KEYS_PER_TENANT = 100
const INSTANCE_ID = 'bench-ui-instance'
const LOADS = 3
const SEARCH = 'billing-wo'
const KEYSTROKE_TIMEOUT_MS = 10_000
/** The plain table is built at the largest size predicted to paint within this. */
const BASELINE_BUILD_BUDGET_MS = 8_000
const BASELINE_KEYSTROKE_BUDGET_MS = 12_000
/** Building a table is superlinear in its rows: the 5,000-row probe is scaled up by this much. */
const BASELINE_GROWTH = 1.6

const progress = (line: string): void => { process.stderr.write(`${line}\n`) }
/** Profile the renderer during the keystrokes (an unminified build: load figures are then not comparable). */
const PROFILE = process.env.BENCH_UI_PROFILE === '1'
/** How many of the keystrokes the profile covers (BENCH_UI_PROFILE_STROKES=2: the first two, the slowest). */
const PROFILE_STROKES = Number(process.env.BENCH_UI_PROFILE_STROKES ?? 1000)

interface CpuProfile { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] }
/** Self time per function (name, file:line), the largest first. */
function topSelfTime(profile: CpuProfile, n: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)?.callFrame
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    const key = f ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}` : '?'
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms (${((us / total) * 100).toFixed(0)}%)`).join('; ')
}

async function buildRendererTo(outDir: string): Promise<void> {
  const { build } = await import('vite')
  const { svelte } = await import('@sveltejs/vite-plugin-svelte')
  // The same settings as e2e/harness/build-renderer.ts, into a directory of our own.
  await build({
    configFile: false, logLevel: 'warn', root: resolve(REPO_ROOT, 'src/renderer'), base: './',
    // BENCH_UI_PROFILE=1: unminified, so the keystroke profile names functions.
    plugins: [svelte()], build: { outDir, emptyOutDir: true, minify: !PROFILE }
  })
}

/** 100,000 keys written the way a first sync writes them (a bulk load, groups of tenants per commit). */
async function fillCache(dataDir: string, now: number): Promise<number> {
  const cache = openCache(join(dataDir, 'inventory.sqlite'))
  try {
    cache.upsertInstance({ id: INSTANCE_ID, label: 'bench.example', baseUrl: 'http://127.0.0.1:9', authKind: 'password', email: 'bench@example.invalid', addedAt: new Date(now).toISOString(), insecureTransport: false, caBundle: null })
    const tenants = makeTenants(TENANTS, 11)
    cache.upsertTenants(INSTANCE_ID, tenants)
    const at = new Date(now).toISOString()
    let rows = 0
    cache.beginBulkLoad()
    for (let i = 0; i < tenants.length; i += 64) {
      const items = tenants.slice(i, i + 64).map((t, j) => {
        cache.setTenantSelected(INSTANCE_ID, t.id, true)
        const keys = makeKeys(KEYS_PER_TENANT, 5000 + i + j, now)
        rows += keys.length
        return { instanceId: INSTANCE_ID, tenantId: t.id, keys, syncedAt: at, withinCommit: () => cache.setTenantSync(INSTANCE_ID, t.id, { kind: 'fresh', at }) }
      })
      for (const o of cache.replaceManyTenantKeys(items)) if (!o.ok) throw o.error
    }
    await cache.finishBulkLoad()
    return rows
  } finally {
    await cache.close()
  }
}

async function heapMB(cdp: CDPSession): Promise<{ used: number; total: number }> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN
  return { used: get('JSHeapUsedSize') / MB, total: get('JSHeapTotalSize') / MB }
}

async function openApp(page: Page, url: string): Promise<{ firstRowsMs: number }> {
  await page.goto(url)
  // A function, not a string: the app's CSP forbids string evaluation in the page.
  const handle = await page.waitForFunction(() => (globalThis as unknown as { __bench: { firstRows: number | null } }).__bench.firstRows, null, { timeout: 60_000, polling: 50 })
  return { firstRowsMs: (await handle.jsonValue()) as number }
}

/** The keystrokes: SEARCH typed one character at a time, then erased one at a time. */
function keystrokes(): Array<{ key: string; text: string }> {
  const out: Array<{ key: string; text: string }> = []
  for (let i = 1; i <= SEARCH.length; i++) out.push({ key: SEARCH[i - 1] as string, text: SEARCH.slice(0, i) })
  for (let i = SEARCH.length - 1; i >= 0; i--) out.push({ key: 'Backspace', text: SEARCH.slice(0, i) })
  return out
}

function plainRow(r: KeyRow): PlainRow {
  return [r.tenantName, r.name, r.keyType, r.keyPrefix, r.scopes.join(', '), r.status, r.lastUsedAt ?? 'never', r.expiresAt ?? 'never', r.gracePeriodEndsAt ?? r.localGraceEndsAt ?? '—']
}

export async function runUiBench(): Promise<BenchResult> {
  const started = performance.now()
  const figures: Figure[] = []
  const details: string[] = []
  const raw: Record<string, unknown> = { keys: TENANTS * KEYS_PER_TENANT }
  const f = (name: string, value: number | null, unit: string, target: Figure['target'] = null, note?: string) =>
    figures.push(figure('ui', name, value === null ? null : round(value), unit, target, note))
  const cleanups: Array<() => Promise<unknown> | unknown> = []
  try {
    const now = Date.now()
    let rendererDir = process.env.BENCH_UI_RENDERER_DIR
    if (!rendererDir) {
      rendererDir = mkdtempSync(join(tmpdir(), 'fbk-bench-renderer-'))
      const dir = rendererDir
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
      progress('ui: building the renderer')
      const t = performance.now()
      await buildRendererTo(rendererDir)
      details.push(`renderer built from src/renderer in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
    const dataDir = mkdtempSync(join(tmpdir(), 'fbk-bench-ui-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    progress(`ui: writing ${(TENANTS * KEYS_PER_TENANT).toLocaleString()} keys into the cache`)
    const t1 = performance.now()
    const rows = await fillCache(dataDir, now)
    details.push(`cache: ${rows.toLocaleString()} keys in ${TENANTS} tenants written as a first sync writes them in ${((performance.now() - t1) / 1000).toFixed(1)} s`)

    const secrets = createKeytarStore({ service: `Fluxbase Keys bench ${randomUUID()}` })
    const host: CoreHost = await createCoreHost({
      dataDir, shell: 'browser-harness', version: 'bench',
      clipboard: { writeText: () => undefined, readText: () => '', clear: () => undefined },
      notifier: { show: () => undefined },
      exportTarget: { choosePath: async () => null },
      secrets, log: () => undefined
    })
    cleanups.push(() => host.close())
    const server: RendererServer = await serveRenderer(rendererDir)
    cleanups.push(() => server.close())

    progress('ui: Chromium')
    const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--headless', ...CHROMIUM_ARGS] })
    cleanups.push(() => browser.close())
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', reducedMotion: 'reduce' })
    await context.route('**/*', (route) => {
      const url = route.request().url()
      return url.startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient')
    })
    await context.addInitScript({ content: FIRST_ROWS_INIT })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    // Every call from the page, timed (what the first paint waits for).
    const calls: Array<{ name: string; at: number; ms: number }> = []
    let busy = 0
    let lastCallEnd = 0
    const timedHost: CoreHost = {
      ...host,
      dispatch: async (name, input) => {
        const t = performance.now()
        busy++
        try {
          const r = await host.dispatch(name, input)
          calls.push({ name, at: t, ms: performance.now() - t })
          return r
        } finally {
          busy--
          lastCallEnd = performance.now()
        }
      }
    }
    // A person opens the app once: each measured load starts from a blank page and an idle core,
    // not while the previous load's follow-up calls (tenant counts, the inbox) still hold it.
    const settle = async (): Promise<void> => {
      await page.goto('about:blank')
      const until = performance.now() + 10_000
      while (performance.now() < until && (busy > 0 || performance.now() - lastCallEnd < 500)) await new Promise((r) => setTimeout(r, 50))
    }
    const bridge = await installBridge(context, page, timedHost)
    cleanups.push(() => bridge.detach())
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')

    // Open: one warm-up load, then LOADS measured ones (median).
    progress('ui: open -> first rows')
    await openApp(page, server.url)
    const loads: number[] = []
    let loadCalls: typeof calls = []
    let nav: Record<string, number> = {}
    for (let i = 0; i < LOADS; i++) {
      await settle()
      calls.length = 0
      loads.push((await openApp(page, server.url)).firstRowsMs)
      loadCalls = [...calls]
      nav = await page.evaluate(() => {
        const e = (globalThis as unknown as { performance: { getEntriesByType(t: string): Array<Record<string, number>> } }).performance.getEntriesByType('navigation')[0] ?? {}
        return { responseEnd: e.responseEnd ?? 0, domContentLoaded: e.domContentLoadedEventEnd ?? 0, load: e.loadEventEnd ?? 0 }
      })
    }
    const firstRows = median(loads)
    const countText = (await page.locator('.count[aria-live="polite"]').textContent()) ?? ''
    await page.waitForTimeout(500)
    const heapLoad = await heapMB(cdp)

    progress('ui: scrolling')
    calls.length = 0
    const scroll = await page.evaluate<{ maxRows: number; maxDataRows: number; scrollHeight: number; settleMs: number; loadedAtEnd: number }>(scrollGrid(40))
    const heapScroll = await heapMB(cdp)
    const scrollQueries = calls.filter((c) => c.name === 'inventory.query').map((c) => c.ms)

    progress('ui: search keystrokes')
    const search = page.getByLabel('Search keys')
    await search.click()
    const strokes = keystrokes()
    const keyMs: number[] = []
    const loadingMs: number[] = []
    calls.length = 0
    // Where the renderer's time goes during the keystrokes (Chromium's own counters, in seconds).
    await cdp.send('Performance.enable')
    const metrics = async (): Promise<Map<string, number>> =>
      new Map(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]))
    const before = await metrics()
    if (PROFILE) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
      await cdp.send('Profiler.start')
    }
    let profile: CpuProfile | null = null
    for (const s of strokes) {
      await page.evaluate(armAppKeystroke(KEYSTROKE_TIMEOUT_MS))
      await page.keyboard.press(s.key)
      const r = await page.evaluate<{ total: number; loading: number }>(AWAIT_APP_KEYSTROKE)
      keyMs.push(r.total)
      loadingMs.push(r.loading)
      if (PROFILE && keyMs.length === PROFILE_STROKES) profile = ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
    }
    const after = await metrics()
    const spent = (name: string): string => `${(((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000 / strokes.length).toFixed(1)} ms`
    details.push(`why: per keystroke the renderer spent: script ${spent('ScriptDuration')}, style ${spent('RecalcStyleDuration')}, layout ${spent('LayoutDuration')}, all tasks ${spent('TaskDuration')} (Chromium's Performance metrics)`)
    if (PROFILE) {
      profile ??= ((await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile }).profile
      details.push(`why: renderer self time during the first ${Math.min(PROFILE_STROKES, strokes.length)} keystrokes (unminified build): ${topSelfTime(profile, 15)}`)
    }
    const heapSearch = await heapMB(cdp)
    const searchCalls = calls.filter((c) => c.name.startsWith('inventory.'))
    // The search box is empty again: the capped "1,000+" must have become the exact total.
    await page.waitForTimeout(600)
    const settledCount = (await page.locator('.count[aria-live="polite"]').textContent()) ?? ''
    details.push(`app: 600 ms after the last keystroke the count reads "${settledCount.trim()}" (exact total asked ${searchCalls.filter((c) => c.name === 'inventory.count').length === 0 ? 'once the typing stopped' : 'during the typing'})`)
    // What one call costs through the harness bridge (a Playwright binding; Electron's IPC is
    // another path): round trips of a call whose core work is nil.
    const bridgeMs = await page.evaluate(async () => {
      const api = (globalThis as unknown as { api: { settings: { get(): Promise<unknown> } } }).api
      const out: number[] = []
      for (let i = 0; i < 20; i++) {
        const t = performance.now()
        await api.settings.get()
        out.push(performance.now() - t)
      }
      return out
    })
    details.push(`app: bridge round trip of a call with no core work: p50 ${percentile(bridgeMs, 50).toFixed(1)} ms, max ${Math.max(...bridgeMs).toFixed(1)} ms (n=20)`)
    raw.project = { loads, keystrokes: strokes.map((s, i) => ({ text: s.text, ms: keyMs[i] })), scroll, heapLoad, heapScroll, heapSearch, pageErrors: errors }

    // The data for the baseline: the same rows in the same order, read through the same core.
    const all: PlainRow[] = []
    for (let offset = 0; ; offset += 1000) {
      const r = await host.dispatch('inventory.query', { offset, limit: 1000 })
      if (!r.ok) throw new Error(`inventory.query failed: ${r.error.message}`)
      const pageRows = (r.value as { rows: KeyRow[] }).rows
      all.push(...pageRows.map(plainRow))
      if (pageRows.length < 1000) break
    }
    await cdp.detach()
    await page.close()

    progress('ui: baseline plain table')
    const plain = await context.newPage()
    await plain.setContent('<!doctype html><html><head><title>plain table</title><style>td,th{padding:2px 8px;white-space:nowrap;font:13px sans-serif}</style></head><body></body></html>')
    const pcdp = await context.newCDPSession(plain)
    await pcdp.send('Performance.enable')
    await plain.evaluate((data) => { (globalThis as unknown as { __rows: unknown }).__rows = data }, all)
    // Size: time 5,000 rows, then go to the largest count predicted to fit the budget.
    const probeMs = await plain.evaluate<number>(buildPlainTable(5000))
    const predicted = (probeMs / 5000) * all.length * BASELINE_GROWTH
    const n = predicted <= BASELINE_BUILD_BUDGET_MS ? all.length
      : Math.max(5000, Math.floor((BASELINE_BUILD_BUDGET_MS / (probeMs * BASELINE_GROWTH)) * 5000 / 1000) * 1000)
    const plainFirst = await plain.evaluate<number>(buildPlainTable(n))
    const plainDomRows = await plain.evaluate<number>("document.querySelectorAll('tr').length")
    const plainHeap = await heapMB(pcdp)
    await plain.locator('input').click()
    const plainKeys: number[] = []
    const kt0 = performance.now()
    for (const s of strokes) {
      await plain.evaluate(ARM_PLAIN_KEYSTROKE)
      await plain.keyboard.press(s.key)
      plainKeys.push(await plain.evaluate<number>(AWAIT_PLAIN_KEYSTROKE))
      if (performance.now() - kt0 > BASELINE_KEYSTROKE_BUDGET_MS && plainKeys.length >= 3) break
    }
    raw.baseline = { rows: n, probeMs, firstPaintMs: plainFirst, domRows: plainDomRows, heap: plainHeap, keystrokes: plainKeys }

    const k50 = percentile(keyMs, 50)
    const k95 = percentile(keyMs, 95)
    f('open -> first rows painted (median of 3)', firstRows, 'ms', { kind: 'max', limit: 300 })
    f('search keystroke -> painted result p50', k50, 'ms')
    f('search keystroke -> painted result p95', k95, 'ms', { kind: 'max', limit: 50 })
    f('max row elements in the DOM while scrolling', scroll.maxRows, 'rows', { kind: 'max', limit: 150 })
    f('JS heap after load', heapLoad.used, 'MB', { kind: 'max', limit: 150 })
    f('JS heap after scrolling', heapScroll.used, 'MB', { kind: 'max', limit: 150 })

    details.push(`app: "${countText.trim()}" in the inventory; first rows painted ${loads.map((m) => m.toFixed(0)).join(' / ')} ms after navigation start (after one warm-up load)`)
    const t0Calls = loadCalls[0]?.at ?? 0
    details.push(`app: last load: DOMContentLoaded ${nav.domContentLoaded?.toFixed(0)} ms; core calls during it (start +ms after the first call, duration): ` +
      loadCalls.map((c) => `${c.name} +${(c.at - t0Calls).toFixed(0)} ${c.ms.toFixed(0)} ms`).join(', '))
    details.push(`app: keystroke split (keydown -> query issued ["Loading…" shown] / -> rows painted): ${strokes.map((s, i) => `${(loadingMs[i] ?? 0).toFixed(0)}/${(keyMs[i] ?? 0).toFixed(0)}`).join(', ')} ms`)
    {
      const ms = (name: string) => searchCalls.filter((c) => c.name === name).map((c) => c.ms)
      const q = ms('inventory.query')
      const n = ms('inventory.count')
      details.push(`app: core time during the keystrokes: ${q.length} inventory.query p50 ${percentile(q, 50).toFixed(1)} ms max ${Math.max(0, ...q).toFixed(1)} ms; ` +
        `${n.length} inventory.count (exact total, after the rows) p50 ${percentile(n, 50).toFixed(1)} ms max ${Math.max(0, ...n).toFixed(1)} ms`)
    }
    details.push(`app: keystrokes ${strokes.map((s, i) => `"${s.text}" ${(keyMs[i] ?? 0).toFixed(0)}`).join(', ')} ms`)
    details.push(`app: scrolling the whole ${scroll.scrollHeight.toLocaleString()} px grid: at most ${scroll.maxRows} role=row elements (${scroll.maxDataRows} data rows + header); where the scrolling stopped, rows were loaded ${scroll.settleMs.toFixed(0)} ms later${scroll.settleMs >= 20_000 ? ' (gave up at 20 s)' : ''} (${scroll.loadedAtEnd} rows on screen)`)
    details.push(`app: scrolling issued ${scrollQueries.length} inventory.query calls (${(scrollQueries.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s of core time in all; each p50 ${percentile(scrollQueries, 50).toFixed(0)} ms, max ${Math.max(0, ...scrollQueries).toFixed(0)} ms)`)
    details.push(`app: JS heap used after GC: load ${heapLoad.used.toFixed(1)} MB, after scrolling ${heapScroll.used.toFixed(1)} MB, after the searches ${heapSearch.used.toFixed(1)} MB`)
    details.push(`baseline: plain <table> of ${n.toLocaleString()} rows${n < all.length ? ` (of ${all.length.toLocaleString()}: 5,000 took ${probeMs.toFixed(0)} ms, so all would take ~${(predicted / 1000).toFixed(0)} s or more)` : ''}: painted in ${plainFirst.toFixed(0)} ms (data already in the page), ${plainDomRows.toLocaleString()} <tr>, heap ${plainHeap.used.toFixed(1)} MB`)
    details.push(`baseline: filter keystroke -> painted p50 ${percentile(plainKeys, 50).toFixed(0)} ms p95 ${percentile(plainKeys, 95).toFixed(0)} ms (n=${plainKeys.length}, re-render per keystroke, no debounce)`)
    details.push(`ratios (baseline / app): first paint ${(plainFirst / firstRows).toFixed(1)}x, keystroke p50 ${(percentile(plainKeys, 50) / k50).toFixed(2)}x, keystroke p95 ${(percentile(plainKeys, 95) / k95).toFixed(1)}x, DOM rows ${(plainDomRows / scroll.maxRows).toFixed(0)}x, heap ${(plainHeap.used / heapLoad.used).toFixed(1)}x`)
    if (errors.length > 0) details.push(`page errors: ${errors.slice(0, 3).join(' | ')}`)
    await pcdp.detach()
    return { bench: 'ui', figures, details, raw, durationMs: performance.now() - started }
  } catch (error) {
    return { bench: 'ui', figures, details, raw, durationMs: performance.now() - started, error: error instanceof Error ? error.stack ?? error.message : String(error) }
  } finally {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => undefined)
  }
}

if (require.main === module) {
  ensureKeyring()
  runUiBench().then((r) => {
    printStandalone(r)
    if (r.error) process.exitCode = 1
  }, (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  })
}

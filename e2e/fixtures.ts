// Playwright fixtures for the chromium-harness project: each test gets the real renderer in
// Chromium with the real core and an in-process emulator, plus clock, screenshot and leak helpers.
import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { startEmulator, type RunningEmulator } from '../emulator/index'
import type { CoreHost } from '../src/core/host'
import type { OperationName, OpInput, OpOutput } from '../src/shared/contract'
import { startHarness, type HarnessOptions, type HarnessRun } from './harness/harness'
import { LeakScanner } from './harness/leaks'

export const SCREENSHOT_DIR = join(__dirname, '..', 'test-results', 'screenshots')
const HOUR = 3_600_000

/** One instance of the fleet: its label, its id in the app, its emulator. */
export interface FleetInstance { id: string; label: string; emulator: RunningEmulator }

/**
 * The operator at scale: 3 instances (emulators) whose tenant names overlap (seeds 1, 9 and 17
 * all draw their names with the suffix "Media"), 80 synced tenants and 2,080 keys. The harness's
 * own emulator is the first ("Prod EU"): a journey that uses `fleet` sets FLEET_HARNESS.
 */
export interface Fleet {
  instances: FleetInstance[]
  tenants: number
  keys: number
}

const FLEET_SEEDS = [
  { label: 'Prod EU', seed: { tenants: 30, keysPerTenant: 26, seed: 1 } },
  { label: 'Prod US', seed: { tenants: 30, keysPerTenant: 26, seed: 9 } },
  { label: 'Staging', seed: { tenants: 29, keysPerTenant: 26, seed: 17 } }
] as const

/** Starting and syncing the fleet takes a while: journeys on it get this long. */
export const FLEET_TIMEOUT_MS = 180_000

export const FLEET_HARNESS: HarnessOptions = { emulator: { seed: { ...FLEET_SEEDS[0].seed } } }

interface Fixtures {
  /** Three instances with overlapping tenant names, 80 tenants, 2,000+ keys, added and synced (see Fleet). */
  fleet: Fleet
  harnessOptions: HarnessOptions
  /** Set false only in the journey where a value must be shown (unsaved fallback). */
  leakCheck: boolean
  harness: HarnessRun
  page: Page
  emulator: RunningEmulator
  host: CoreHost
  /** Calls the core directly (test set-up), throwing on `{ok:false}`. */
  call: <K extends OperationName>(name: K, input: OpInput<K>) => Promise<OpOutput<K>>
  clock: { advance(ms: number): Promise<void>; advanceHours(h: number): Promise<void>; now(): number }
  shot: (step: string) => Promise<string>
  leaks: LeakScanner
}

export const test = base.extend<Fixtures>({
  harnessOptions: [{}, { option: true }],
  leakCheck: [true, { option: true }],
  harness: async ({ harnessOptions }, use) => {
    const run = await startHarness({ clipboardClearSeconds: 5, ...harnessOptions })
    await use(run)
    await run.close()
  },
  page: async ({ harness }, use) => { await use(harness.page) },
  fleet: async ({ harness }, use) => {
    if (!harness.emulator) throw new Error('the fleet starts from the harness emulator')
    const extra: RunningEmulator[] = []
    try {
      for (const f of FLEET_SEEDS.slice(1)) extra.push(await startEmulator({ controlRoutes: true, seed: { ...f.seed }, now: harness.clock.now() }))
      // The clocks move together: the harness's, its emulator's and these.
      const advance = harness.advance.bind(harness)
      harness.advance = async (ms) => {
        for (const e of extra) e.clock.advance(ms)
        await advance(ms)
      }
      const emulators = [harness.emulator, ...extra]
      const instances: FleetInstance[] = []
      for (const [i, emulator] of emulators.entries()) {
        const { email, password } = emulator.credentials.instanceAdmin
        const label = FLEET_SEEDS[i]?.label ?? `Instance ${i + 1}`
        const added = await harness.host.dispatch('instances.add', { baseUrl: emulator.url, label, auth: { kind: 'password', email, password } })
        if (!added.ok) throw new Error(`instances.add ${label} failed: ${added.error.message}`)
        instances.push({ id: added.value.instance.id, label, emulator })
      }
      const synced = await harness.host.dispatch('sync.run', {})
      if (!synced.ok) throw new Error(`sync.run failed: ${synced.error.message}`)
      const tenants = await harness.host.dispatch('tenants.list', {})
      if (!tenants.ok) throw new Error('tenants.list failed')
      const selected = tenants.value.filter((t) => t.selected)
      await harness.page.reload()
      await expect(harness.page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
      // Progress events of the sync above may still be on their way to the page.
      await harness.bridge.flush()
      await expect(harness.page.getByText(/^Syncing /)).toHaveCount(0)
      await use({ instances, tenants: selected.length, keys: selected.reduce((n, t) => n + t.total, 0) })
    } finally {
      for (const e of extra) await e.close().catch(() => undefined)
    }
  },
  emulator: async ({ harness }, use) => {
    if (!harness.emulator) throw new Error('this harness has no in-process emulator')
    await use(harness.emulator)
  },
  host: async ({ harness }, use) => { await use(harness.host) },
  call: async ({ harness }, use) => {
    await use(async (name, input) => {
      const r = await harness.host.dispatch(name, input)
      if (!r.ok) throw new Error(`${name} failed: [${r.error.code}] ${r.error.message}`)
      return r.value as never
    })
  },
  clock: async ({ harness }, use) => {
    await use({
      advance: (ms) => harness.advance(ms),
      advanceHours: (h) => harness.advance(h * HOUR),
      now: () => harness.clock.now()
    })
  },
  shot: async ({ harness }, use, testInfo) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    const journey = basename(testInfo.file).replace(/\.spec\.ts$/, '')
    let n = 0
    await use(async (step) => {
      n++
      const path = join(SCREENSHOT_DIR, `${journey}-${String(n).padStart(2, '0')}-${step}.png`)
      await harness.page.screenshot({ path })
      await testInfo.attach(step, { path, contentType: 'image/png' })
      return path
    })
  },
  leaks: async ({ harness, leakCheck }, use) => {
    const scanner = new LeakScanner(harness)
    await use(scanner)
    // Every journey ends with a scan, whatever it asserted itself.
    if (leakCheck) await scanner.assertClean()
  }
})

export { expect }

/** Adds the in-process emulator through the UI's first-run form and waits for the synced inventory. */
export async function onboardThroughUi(page: Page, emulator: RunningEmulator, leaks: LeakScanner): Promise<void> {
  const { email, password } = emulator.credentials.instanceAdmin
  leaks.track(password)
  await page.getByLabel('Server URL').fill(emulator.url)
  await page.getByLabel('Label').fill('Emulator')
  await page.getByLabel('Admin e-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByText('Pick the tenants to manage')).toBeVisible()
  await page.getByRole('button', { name: /^Add and sync/ }).click()
  await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  await expect(page.getByRole('banner').getByText(/^Synced /)).toBeVisible({ timeout: 20_000 })
}

/** Faster set-up for journeys that are not about onboarding: the core api, then the page reloads. */
export async function onboardThroughApi(harness: HarnessRun): Promise<{ instanceId: string }> {
  const emulator = harness.emulator
  if (!emulator) throw new Error('no emulator')
  const { email, password } = emulator.credentials.instanceAdmin
  const added = await harness.host.dispatch('instances.add', { baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email, password } })
  if (!added.ok) throw new Error(`instances.add failed: ${added.error.message}`)
  const synced = await harness.host.dispatch('sync.run', {})
  if (!synced.ok) throw new Error(`sync.run failed: ${synced.error.message}`)
  await harness.page.reload()
  await expect(harness.page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  return { instanceId: (added.value as { instance: { id: string } }).instance.id }
}

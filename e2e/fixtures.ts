// Playwright fixtures for the chromium-harness project: each test gets the real renderer in
// Chromium with the real core and an in-process emulator, plus clock, screenshot and leak helpers.
import { mkdirSync } from 'node:fs'
import { basename, join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import type { RunningEmulator } from '../emulator/index'
import type { CoreHost } from '../src/core/host'
import type { OperationName, OpInput, OpOutput } from '../src/shared/contract'
import { startHarness, type HarnessOptions, type HarnessRun } from './harness/harness'
import { LeakScanner } from './harness/leaks'

export const SCREENSHOT_DIR = join(__dirname, '..', 'test-results', 'screenshots')
const HOUR = 3_600_000

interface Fixtures {
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
  await expect(page.getByText(/^Synced /)).toBeVisible({ timeout: 20_000 })
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

// Small helpers shared by the journeys (test process only).
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import type { HarnessRun } from './harness/harness'
import { accounts } from '../src/core/secrets'
import type { KeyRef } from '../src/shared/domain'

/** The test process may read the keychain; the page never can. */
export async function storedValue(harness: HarnessRun, ref: KeyRef): Promise<string | null> {
  return harness.secrets.get(accounts.keyValue(ref.instanceId, ref.tenantId, ref.keyId))
}

/** The emulator's data plane: does this key value authenticate? */
export async function whoami(baseUrl: string, value: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/whoami`, { headers: { 'X-Service-Key': value } })
  await res.arrayBuffer()
  return res.status
}

/** Types into the search box and opens the first matching row. */
export async function openKeyByName(page: Page, name: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(name)
  const row = page.getByRole('grid', { name: 'Service keys' }).locator('[role=row][data-index="0"]')
  await row.getByText(name, { exact: true }).waitFor()
  await row.locator('[data-col=name]').click()
  await page.getByRole('complementary').getByRole('heading', { name, exact: true }).waitFor()
}

export function refOf(row: { instanceId: string; tenantId: string; id: string }): KeyRef {
  return { instanceId: row.instanceId, tenantId: row.tenantId, keyId: row.id }
}

/** axe-core over the page (or one part of it): the serious and critical violations, readable. */
export async function seriousViolations(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page })
  const results = await (include ? builder.include(include) : builder).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
}

/** The answer the core gave the page for the last `name` call (from the bridge's IPC record). */
export function lastResult<T>(harness: HarnessRun, name: string): T {
  const record = harness.bridge.records.filter((r) => r.kind === 'result' && r.name === name).pop()
  if (!record) throw new Error(`no ${name} answer recorded`)
  const parsed = JSON.parse(record.json) as { ok: boolean; value: T }
  if (!parsed.ok) throw new Error(`${name} answered ${record.json}`)
  return parsed.value
}

/**
 * One screenshot per layout the journeys check: 1440x900 and 1024x640, light and dark. Ends in
 * the layout it started in (1440x900, light).
 */
export async function shotLayouts(page: Page, shot: (step: string) => Promise<string>, step: string): Promise<string[]> {
  const paths: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 640 }]) {
      await page.setViewportSize(size)
      paths.push(await shot(`${step}-${size.width}-${scheme}`))
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1440, height: 900 })
  return paths
}

/** Picks a tenant in the create dialog's searchable picker: the first match of `text` (or the first of all). */
export async function pickTenant(dialog: Locator, text = ''): Promise<void> {
  const box = dialog.getByRole('combobox', { name: 'Tenant' })
  await box.click()
  if (text) await box.fill(text)
  await dialog.getByRole('listbox', { name: 'Tenants' }).getByRole('option').first().waitFor()
  await box.press('Enter')
}

// Small helpers shared by the journeys (test process only).
import type { Page } from '@playwright/test'
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
  await row.getByRole('gridcell').nth(2).click()
  await page.getByRole('complementary').getByRole('heading', { name, exact: true }).waitFor()
}

export function refOf(row: { instanceId: string; tenantId: string; id: string }): KeyRef {
  return { instanceId: row.instanceId, tenantId: row.tenantId, keyId: row.id }
}

// Journey: axe-core over the main views; zero serious or critical violations.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, onboardThroughApi, test } from './fixtures'

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
}

test('axe: no serious or critical violations in the main views', async ({ page, harness, shot, leaks }) => {
  // Six full axe passes (colour contrast is computed per text node): about 45 s on an idle
  // 2-core machine and over a minute on a loaded one, so this journey gets four minutes.
  test.setTimeout(240_000)
  await expect(page.getByRole('heading', { name: 'Connect your first Fluxbase instance' })).toBeVisible()
  expect(await seriousViolations(page), 'first run').toEqual([])

  await onboardThroughApi(harness)
  expect(await seriousViolations(page), 'inventory').toEqual([])

  const grid = page.getByRole('grid', { name: 'Service keys' })
  await grid.locator('[role=row][data-index="0"] [data-col=name]').click()
  await expect(page.getByRole('complementary').getByRole('heading', { name: 'History' })).toBeVisible()
  expect(await seriousViolations(page), 'key detail').toEqual([])
  await shot('detail')

  await page.getByRole('button', { name: 'New key' }).click()
  await expect(page.getByRole('dialog', { name: 'New service key' })).toBeVisible()
  expect(await seriousViolations(page), 'create dialog').toEqual([])
  await page.getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('button', { name: 'Tenants', exact: true }).click()
  expect(await seriousViolations(page), 'tenants').toEqual([])
  await shot('tenants')
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  expect(await seriousViolations(page), 'settings').toEqual([])
  await shot('settings')

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByRole('button', { name: 'Inventory', exact: true }).click()
  await expect(grid).toBeVisible()
  expect(await seriousViolations(page), 'inventory, dark theme').toEqual([])
  await shot('inventory-dark')
  await leaks.assertClean()
})

// Journey: the server goes away; the cached inventory stays fully browsable, changes are disabled
// with the reason shown.
import { expect, onboardThroughApi, test } from './fixtures'

test('offline: cached inventory browsable, mutations disabled with a reason', async ({ page, harness, emulator, shot, leaks }) => {
  await onboardThroughApi(harness)
  const total = await page.getByText(/^\d+ keys$/).innerText()
  await emulator.close()

  await page.getByRole('button', { name: 'Sync all' }).click()
  const banner = page.getByRole('status').filter({ hasText: 'Offline.' })
  await expect(banner).toBeVisible({ timeout: 20_000 })
  await expect(banner).toContainText('Showing the inventory as of')
  await shot('offline-banner')

  // Browsing still works from the cache.
  await expect(page.getByText(total)).toBeVisible()
  await page.getByRole('combobox', { name: 'Status' }).selectOption('active')
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await expect(grid.locator('[role=row][data-index="0"]')).toContainText('Active')
  await grid.locator('[role=row][data-index="0"] [data-col=name]').click()
  const detail = page.getByRole('complementary')
  await expect(detail.getByRole('heading', { name: 'History' })).toBeVisible()

  // Every mutation is disabled, and says why.
  await expect(page.getByRole('button', { name: 'New key' })).toBeDisabled()
  await expect(page.getByRole('button', { name: 'New key' })).toHaveAttribute('title', /Offline/)
  for (const name of ['Edit…', 'Disable…', 'Rotate…', 'Revoke…', 'Delete…']) {
    await expect(detail.getByRole('button', { name })).toBeDisabled()
  }
  await expect(detail.getByText(/Offline: changes are disabled/)).toBeVisible()
  await shot('offline-detail')

  await page.getByRole('button', { name: 'Tenants', exact: true }).click()
  await expect(page.getByText(/^Stale since/).first()).toBeVisible()
  await shot('offline-tenants')
  await leaks.assertClean()
})

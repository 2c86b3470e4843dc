// Journey (issue 13, point 8): one of three servers goes away. It gets one banner naming it, its
// last good sync and a Retry; its keys say "as of" their sync; the header stops saying "Synced"
// and names it; the reason is said once for the instance, not under each of its tenants; the
// other instances stay fully usable.
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

test('partial outage: one banner with last good sync and Retry, as-of rows, honest header, reason said once', async ({ page, fleet, call, shot, leaks }) => {
  const staging = fleet.instances[2]!
  await staging.emulator.close()
  await page.getByRole('button', { name: 'Sync all' }).click()

  const banner = page.getByRole('status').filter({ hasText: `${staging.label} cannot be reached.` })
  await expect(banner).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('status').filter({ hasText: 'cannot be reached.' })).toHaveCount(1)
  await expect(banner).toContainText(/Its keys are as of (\d\d:\d\d|\d+ \w+ \d\d:\d\d) \(/)
  await expect(banner.getByRole('button', { name: 'Retry' })).toBeVisible()
  // Not offline: two servers answer.
  await expect(page.getByText('Offline.')).toHaveCount(0)
  await expect(page.getByRole('banner').getByText(/^Synced /)).toHaveCount(0)
  const header = page.getByRole('button', { name: /Partly synced · Staging unreachable/ })
  await expect(header).toBeVisible()

  // Its rows say as of when; other instances' rows do not.
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await page.getByRole('combobox', { name: 'Instance' }).selectOption({ label: staging.label })
  await expect(grid.locator('[role=row][data-index="0"] [data-col=instance]')).toContainText('as of')
  const sidebar = page.getByRole('navigation', { name: 'Instances and tenants' })
  await expect(sidebar.getByText(/^Cannot be reached/)).toBeVisible()
  await shotLayouts(page, shot, 'outage-inventory')
  expect(await seriousViolations(page), 'inventory during a partial outage').toEqual([])

  // Its keys cannot be changed (and the detail says why and as of when); another instance's can.
  await grid.locator('[role=row][data-index="0"] [data-col=name]').click()
  const detail = page.getByRole('complementary')
  await expect(detail.getByText(/^As of .*Staging cannot be reached/)).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Revoke…' })).toBeDisabled()
  await shot('outage-detail')
  await page.keyboard.press('Escape')
  await page.getByRole('combobox', { name: 'Instance' }).selectOption({ label: fleet.instances[0]!.label })
  await grid.locator('[role=row][data-index="0"] [data-col=name]').click()
  await expect(detail.getByRole('button', { name: 'Delete…' })).toBeEnabled()
  await expect(page.getByRole('button', { name: 'New key' })).toBeEnabled()
  await page.keyboard.press('Escape')

  // Tenants: the reason once for the instance, not under each of its 26 tenants.
  await page.getByRole('button', { name: 'Tenants', exact: true }).click()
  const card = page.locator('.card.instance').filter({ has: page.getByRole('heading', { name: staging.label }) })
  await expect(card.getByRole('note')).toContainText('Cannot be reached:')
  await expect(card.getByText(/^Why:/)).toHaveCount(0)
  await card.getByRole('note').scrollIntoViewIfNeeded()
  await shotLayouts(page, shot, 'outage-tenants')

  // Needs attention: one item for the outage, with Retry.
  const items = (await call('attention.list', {})).items.filter((i) => i.instanceId === staging.id && (i.kind === 'instance_unreachable' || i.kind === 'tenant_failing'))
  expect(items.map((i) => i.kind)).toEqual(['instance_unreachable'])
  await header.click()
  const outage = page.getByRole('region', { name: /^Servers that cannot be reached/ })
  await expect(outage.getByRole('listitem')).toHaveCount(1)
  await expect(outage.getByRole('button', { name: /^Retry/ })).toBeVisible()
  await shot('outage-attention')

  // Retry from the banner: still unreachable, still one banner.
  await banner.getByRole('button', { name: 'Retry' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'cannot be reached.' })).toHaveCount(1)
  await leaks.assertClean()
})

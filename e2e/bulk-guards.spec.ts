// Journey (issue 13, point 6): bulk with proportionate guards. The dry run is grouped by instance
// and tenant and flags keys used in the last 24 hours; above 20 keys (or with any key in use)
// the operator types the count; a bulk revoke needs a reason that says something.
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

test('mass revoke: dry run by instance and tenant, recent use flagged, count typed, a real reason', async ({ page, fleet, harness, shot, leaks }) => {
  // Every active key not used for 30+ days, on every instance: a few hundred.
  expect(fleet.instances).toHaveLength(3)
  await page.getByRole('combobox', { name: 'Status' }).selectOption('active')
  await page.getByRole('combobox', { name: 'Unused for' }).selectOption('30')
  const countText = await page.getByText(/^[\d,]+ keys$/).innerText()
  const count = Number(countText.replace(/\D/g, ''))
  expect(count).toBeGreaterThan(20)
  await page.getByRole('checkbox', { name: 'Select all matching keys' }).check()
  await expect(page.getByText(`${count.toLocaleString('en-US')} keys selected`)).toBeVisible()

  await page.getByRole('button', { name: 'Revoke…' }).click()
  const dialog = page.getByRole('dialog', { name: `Revoke ${count.toLocaleString('en-US')} keys` })
  const reason = dialog.getByLabel('Reason (required)')
  const dryRun = dialog.getByRole('button', { name: 'Dry run' })

  // A three-letter reason is not one.
  await reason.fill('old')
  await expect(dialog.getByText(/at least 15 characters \(3 so far\)/)).toBeVisible()
  await expect(dryRun).toBeDisabled()
  await reason.fill('Unused for a month: quarterly key clean-up')
  await expect(dryRun).toBeEnabled()
  await dryRun.click()

  // Grouped by instance and tenant (a tenant name repeats across instances, so both are named).
  await expect(dialog.getByRole('heading', { name: new RegExp(`Dry run: ${count.toLocaleString('en-US')} keys will change · \\d+ tenants on 3 instances`) })).toBeVisible()
  const groups = dialog.getByRole('columnheader').filter({ hasText: / · / })
  expect(await groups.count()).toBeGreaterThan(10)
  for (const label of (await groups.allInnerTexts()).slice(0, 5)) expect(label).toMatch(/^(Prod EU|Prod US|Staging) · .+ \(\d+\)$/)
  const run = dialog.getByRole('button', { name: `Revoke ${count.toLocaleString('en-US')} keys` })
  await expect(run).toBeDisabled()
  const confirm = dialog.getByLabel(new RegExp(`type ${count}$`))
  await expect(confirm).toBeVisible()
  await shotLayouts(page, shot, 'bulk-dry-run')
  expect(await seriousViolations(page, 'dialog[open]'), 'bulk dry run').toEqual([])
  await confirm.fill(String(count - 1))
  await expect(run).toBeDisabled()
  // Back out: nothing was sent.
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  expect(harness.bridge.records.filter((r) => r.name === 'bulk.run')).toEqual([])

  // A small selection with a key used in the last day: flagged, and the count is asked for too.
  await page.getByRole('button', { name: 'Clear selection' }).click()
  await page.getByRole('combobox', { name: 'Unused for' }).selectOption('0')
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await page.getByRole('columnheader', { name: /Last used/ }).getByRole('button').click()
  await page.getByRole('columnheader', { name: /Last used/ }).getByRole('button').click()
  for (const i of [0, 1]) await grid.locator(`[role=row][data-index="${i}"]`).getByRole('checkbox').check()
  await page.getByRole('button', { name: 'Disable…' }).click()
  const small = page.getByRole('dialog', { name: 'Disable 2 keys' })
  await small.getByRole('button', { name: 'Dry run' }).click()
  await expect(small.getByText(/2 keys used in the last 24 hours/)).toBeVisible()
  await expect(small.getByText(/^used /)).toHaveCount(2)
  await expect(small.getByRole('button', { name: 'Disable 2 keys' })).toBeDisabled()
  await small.getByLabel(/type 2$/).fill('2')
  await shot('bulk-recent-use')
  await small.getByRole('button', { name: 'Disable 2 keys' }).click()
  await expect(small.getByRole('cell', { name: 'Done', exact: true })).toHaveCount(2)
  await small.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Disable: 2 done' })).toBeVisible()
  await leaks.assertClean()
})

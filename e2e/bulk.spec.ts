// Journey: select several keys, dry run a bulk disable, run it, read per-key results.
import { expect, onboardThroughApi, test } from './fixtures'

test('bulk disable with a dry run first', async ({ page, harness, shot, leaks }) => {
  await onboardThroughApi(harness)
  await page.getByRole('combobox', { name: 'Status' }).selectOption('active')
  const grid = page.getByRole('grid', { name: 'Service keys' })
  const rows = grid.locator('[role=row][data-index]')
  await expect(rows.first()).toBeVisible()
  const names: string[] = []
  for (const i of [0, 1, 2]) {
    const row = rows.nth(i)
    names.push((await row.locator('[data-col=name] .key-name').innerText()).trim())
    await row.getByRole('checkbox').check()
  }
  await expect(page.getByText('3 keys selected')).toBeVisible()
  await shot('selected')

  await page.getByRole('button', { name: 'Disable…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Disable 3 keys' })
  await expect(dialog.getByText(/rejected immediately/)).toBeVisible()
  await dialog.getByRole('button', { name: 'Dry run' }).click()
  await expect(dialog.getByText(/Dry run: 3 keys will change/)).toBeVisible()
  for (const n of names) await expect(dialog.getByRole('cell', { name: n, exact: true })).toBeVisible()
  await expect(dialog.getByText('Active → Disabled')).toHaveCount(3)
  await shot('dry-run')

  // Keys used in the last 24 hours are marked, and then the count is typed to confirm.
  const recent = await dialog.getByText(/used in the last 24 hours/).count()
  if (recent > 0) {
    await expect(dialog.getByRole('button', { name: 'Disable 3 keys' })).toBeDisabled()
    await dialog.getByLabel(/type 3$/).fill('3')
  }
  await dialog.getByRole('button', { name: 'Disable 3 keys' }).click()
  await expect(dialog.getByRole('heading', { name: 'Results' })).toBeVisible()
  await expect(dialog.getByRole('cell', { name: 'Done', exact: true })).toHaveCount(3)
  await shot('results')
  await dialog.getByRole('button', { name: 'Close' }).click()

  await page.getByRole('combobox', { name: 'Status' }).selectOption('disabled')
  for (const n of names) await expect(grid.getByText(n, { exact: true })).toBeVisible()
  await shot('now-disabled')
  await leaks.assertClean()
})

// Journey (issue 13, point 1): instances first. Three instances whose tenant names overlap, 80
// tenants, 2,080 keys: the sidebar lists instances → tenants with counts and sync state, has its
// own filter box and folds away; choosing narrows the inventory; the Instance column and filter
// say where each key lives, and a tenant name that repeats is always shown with its instance.
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

test('instances → tenants sidebar, Instance column and filter, repeated tenant names with their instance', async ({ page, fleet, shot, leaks }) => {
  expect(fleet.instances).toHaveLength(3)
  expect(fleet.tenants).toBe(80)
  expect(fleet.keys).toBeGreaterThanOrEqual(2000)
  const grid = page.getByRole('grid', { name: 'Service keys' })
  const sidebar = page.getByRole('navigation', { name: 'Instances and tenants' })
  await expect(page.getByText(`${fleet.keys.toLocaleString('en-US')} keys`)).toBeVisible()

  // Every instance with its key count and sync state; all of them fresh.
  for (const i of fleet.instances) {
    await expect(sidebar.getByRole('button', { name: new RegExp(`^${i.label} [\\d,]+$`) })).toBeVisible()
  }
  await expect(sidebar.getByText(/^Synced /)).toHaveCount(3)
  // The header says synced only because every instance is.
  await expect(page.getByRole('banner').getByText(/^Synced /)).toBeVisible()
  await expect(page.getByText(/Partly synced/)).toHaveCount(0)
  await shotLayouts(page, shot, 'fleet-inventory')
  expect(await seriousViolations(page), 'inventory with the sidebar').toEqual([])

  // A tenant name that exists on more than one instance: find one, through the sidebar's filter.
  const tenants = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { api: { tenants: { list(i: object): Promise<{ ok: boolean; value: Array<{ name: string; instanceLabel: string; total: number; selected: boolean; isDefault: boolean }> }> } } }).api.tenants.list({})
    return r.value.filter((t) => t.selected && !t.isDefault)
  })
  const byName = new Map<string, typeof tenants>()
  for (const t of tenants) byName.set(t.name, [...(byName.get(t.name) ?? []), t])
  const [repeated, copies] = [...byName.entries()].find(([, list]) => list.length >= 2)!
  const filter = sidebar.getByRole('textbox', { name: 'Filter instances and tenants' })
  await filter.fill(repeated)
  const matches = sidebar.getByRole('button', { name: new RegExp(`^${repeated} [\\d,]+$`) })
  await expect(matches).toHaveCount(copies.length)
  await shot('sidebar-filter')

  // Choosing one narrows the inventory to that tenant of that instance only.
  const chosen = copies[0]!
  const under = sidebar.getByRole('list', { name: `Tenants of ${chosen.instanceLabel}` })
  await under.getByRole('button', { name: new RegExp(`^${repeated} `) }).click()
  await expect(page.getByText(`${chosen.total} keys`, { exact: true })).toBeVisible()
  const chip = page.getByText(`Tenant: ${repeated} · ${chosen.instanceLabel}`)
  await expect(chip).toBeVisible()
  for (const cell of await grid.locator('[role=row][data-index] [data-col=instance]').allInnerTexts()) expect(cell.trim()).toBe(chosen.instanceLabel)
  for (const cell of await grid.locator('[role=row][data-index] [data-col=tenant]').allInnerTexts()) expect(cell.trim()).toContain(repeated)
  await shotLayouts(page, shot, 'fleet-tenant-scope')

  // The Instance filter in the bar: one instance, every tenant of it.
  await filter.fill('')
  const instanceFilter = page.getByRole('combobox', { name: 'Instance' })
  const staging = fleet.instances[2]!
  await instanceFilter.selectOption({ label: staging.label })
  await expect(chip).toHaveCount(0)
  const stagingTotal = tenants.filter((t) => t.instanceLabel === staging.label).reduce((n, t) => n + t.total, 0) +
    (await page.evaluate(() => 0))
  await expect(page.getByText(/^[\d,]+ keys$/)).not.toHaveText(`${fleet.keys.toLocaleString('en-US')} keys`)
  for (const cell of await grid.locator('[role=row][data-index] [data-col=instance]').allInnerTexts()) expect(cell.trim()).toBe(staging.label)
  expect(stagingTotal).toBeGreaterThan(0)
  await expect(sidebar.getByRole('button', { name: new RegExp(`^${staging.label} `) })).toHaveAttribute('aria-current', 'true')

  // Keyboard in the sidebar: one tab stop, arrows move, Left folds an instance.
  await sidebar.getByRole('button', { name: new RegExp(`^${staging.label} `) }).focus()
  await page.keyboard.press('ArrowLeft')
  await expect(sidebar.getByRole('button', { name: `Show the tenants of ${staging.label}` })).toHaveAttribute('aria-expanded', 'false')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('Enter')
  await expect(instanceFilter).toHaveValue(fleet.instances[1]!.id)

  // The sidebar folds away (Ctrl+B) and comes back; the choice is kept.
  await sidebar.getByRole('button', { name: 'Hide the instances list' }).click()
  await expect(page.getByRole('button', { name: 'Show the instances list' })).toBeVisible()
  await shotLayouts(page, shot, 'fleet-sidebar-folded')
  await page.keyboard.press('Control+b')
  await expect(sidebar.getByRole('textbox', { name: 'Filter instances and tenants' })).toBeVisible()
  await leaks.assertClean()
})

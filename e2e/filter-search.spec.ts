// Journey: a bigger inventory; search, filters, sorting, keyboard navigation, detail.
import { expect, onboardThroughApi, test } from './fixtures'

test.use({ harnessOptions: { emulator: { seed: { tenants: 5, keysPerTenant: 60, seed: 42 } } } })

test('filter, search, sort and keyboard through the inventory', async ({ page, harness, shot, leaks }) => {
  await onboardThroughApi(harness)
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await expect(page.getByText('300 keys')).toBeVisible()
  await shot('all-keys')

  // Status filter: every visible chip says Revoked.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('revoked')
  await expect(page.getByText(/^\d+ keys?$/)).not.toHaveText('300 keys')
  const chips = grid.locator('[role=row][data-index] [data-col=status]')
  await expect(chips.first()).toHaveText('Revoked')
  for (const text of await chips.allInnerTexts()) expect(text).toBe('Revoked')
  await shot('status-revoked')
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.getByText('300 keys')).toBeVisible()

  // Search (debounced) by the name of a row we can see.
  const firstName = (await grid.locator('[role=row][data-index="3"] [data-col=name] .key-name').innerText()).trim()
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(firstName)
  await expect(grid.locator('[role=row][data-index="0"]')).toContainText(firstName)
  const count = () => page.getByText(/^\d+ keys?$/).innerText().then((t) => Number(t.split(' ')[0]))
  await expect.poll(count).toBeLessThan(300)
  expect(await count()).toBeGreaterThanOrEqual(1)
  await shot('search')
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('')
  await expect(page.getByText('300 keys')).toBeVisible()

  // Tenant filter: the instances list beside the table.
  const sidebar = page.getByRole('navigation', { name: 'Instances and tenants' })
  const tenantButtons = sidebar.getByRole('list', { name: 'Tenants of Emulator' }).getByRole('button')
  const second = (await tenantButtons.nth(1).locator('.label').innerText()).trim()
  await tenantButtons.nth(1).click()
  await expect(page.getByText('60 keys')).toBeVisible()
  for (const text of await grid.locator('[role=row][data-index] [data-col=tenant]').allInnerTexts()) expect(text.trim()).toBe(second)
  await page.getByRole('button', { name: 'Clear filters' }).click()

  // Sort by name, descending on the second click.
  const nameHeader = page.getByRole('columnheader', { name: /Name/ })
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
  const names = await grid.locator('[role=row][data-index] [data-col=name] .key-name').allInnerTexts()
  const clean = names.slice(0, 8).map((n) => n.trim().toLowerCase())
  expect([...clean].sort().reverse()).toEqual(clean)
  await shot('sorted-desc')

  // Keyboard: arrows move, Space selects, Enter opens.
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(grid).toHaveAttribute('aria-activedescendant', 'key-row-2')
  await page.keyboard.press(' ')
  await expect(page.getByText('1 key selected')).toBeVisible()
  await page.keyboard.press('Enter')
  const detail = page.getByRole('complementary')
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(clean[2]!, { ignoreCase: true })
  await expect(detail.getByRole('heading', { name: 'History' })).toBeVisible()
  await shot('keyboard-detail')

  // Scrolling far down fetches the window the user lands in.
  await page.keyboard.press('Escape')
  await grid.focus()
  await page.keyboard.press('End')
  await expect(grid).toHaveAttribute('aria-activedescendant', 'key-row-299')
  await expect(grid.locator('[role=row][data-index="299"]')).not.toContainText('Loading')
  await shot('end-of-list')
  await leaks.assertClean()
})

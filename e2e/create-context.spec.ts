// Journey (issue 13, point 4): New key knows where the operator is. It preselects the tenant in
// view (or the open key's); the tenant picker is searchable and grouped by instance; scopes are
// found by typing and reached with a couple of Tabs; a half-filled form asks before Escape
// throws it away; a validation message goes as soon as the field is fixed; focus comes back.
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

test('New key preselects the tenant in view, searchable grouped picker, scopes by keyboard, Escape asks', async ({ page, fleet, shot, leaks }) => {
  const sidebar = page.getByRole('navigation', { name: 'Instances and tenants' })
  const us = fleet.instances[1]!
  const dialog = page.getByRole('dialog', { name: 'New service key' })
  const tenantBox = dialog.getByRole('combobox', { name: 'Tenant' })

  // A tenant in view (Acme Media on Prod US): New key starts there.
  await sidebar.getByRole('textbox', { name: 'Filter instances and tenants' }).fill('Acme Media')
  await sidebar.getByRole('list', { name: `Tenants of ${us.label}` }).getByRole('button', { name: /^Acme Media / }).click()
  const newKey = page.getByRole('button', { name: 'New key' })
  await newKey.click()
  await expect(tenantBox).toHaveValue(`Acme Media · ${us.label}`)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
  await expect(newKey).toBeFocused()

  // The open key's tenant wins: a key of another instance's tenant, then N.
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await page.getByRole('button', { name: /^Show every tenant of/ }).click()
  await page.getByRole('combobox', { name: 'Instance' }).selectOption({ label: 'Staging' })
  const firstRow = grid.locator('[role=row][data-index="0"]')
  const tenantName = (await firstRow.locator('[data-col=tenant]').innerText()).split(' · ')[0]!.trim()
  await firstRow.locator('[data-col=name]').click()
  await page.getByRole('complementary').getByRole('heading', { level: 2 }).focus()
  await page.keyboard.press('n')
  await expect(tenantBox).toHaveValue(`${tenantName} · Staging`)

  // The picker: type to search, options grouped by instance, arrows and Enter pick.
  await tenantBox.fill('gekko')
  const listbox = dialog.getByRole('listbox', { name: 'Tenants' })
  await expect(listbox.getByRole('group')).not.toHaveCount(0)
  const groups = await listbox.getByRole('group').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')))
  expect(groups.length).toBeGreaterThanOrEqual(2)
  for (const option of await listbox.getByRole('option').allInnerTexts()) expect(option.toLowerCase()).toContain('gekko')
  await shotLayouts(page, shot, 'create-tenant-picker')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('Enter')
  await expect(listbox).toHaveCount(0)
  await expect(tenantBox).toHaveValue(`Gekko Media · ${groups[0]}`)

  // Validation: every problem shows after the first try, each goes once its field is fixed.
  await dialog.getByRole('button', { name: 'Create key' }).click()
  await expect(dialog.getByText('A name is required.')).toBeVisible()
  await expect(dialog.getByText('Pick at least one scope.')).toBeVisible()
  await expect(dialog.getByLabel('Name', { exact: true })).toBeFocused()
  await page.keyboard.type('deploy-bot')
  await expect(dialog.getByText('A name is required.')).toHaveCount(0)

  // Scopes by keyboard: two Tabs from the name field reach the scope filter (not 35).
  await dialog.getByLabel('Name', { exact: true }).focus()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  const scopeFilter = dialog.getByRole('textbox', { name: 'Filter scopes' })
  await expect(scopeFilter).toBeFocused()
  await page.keyboard.type('tables:w')
  await page.keyboard.press('Enter')
  await expect(dialog.getByRole('checkbox', { name: 'tables:write' })).toBeChecked()
  await expect(dialog.getByText('Pick at least one scope.')).toHaveCount(0)
  await scopeFilter.fill('')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press(' ')
  await expect(dialog.getByRole('checkbox', { name: 'tables:read' })).toBeChecked()
  await expect(dialog.getByText('2 chosen: tables:write, tables:read')).toBeVisible()
  expect(await seriousViolations(page, 'dialog[open]'), 'create dialog').toEqual([])
  await shotLayouts(page, shot, 'create-filled')

  // Escape with a half-filled form asks; Keep editing keeps it; Discard throws it away.
  await page.keyboard.press('Escape')
  await expect(dialog.getByText('Discard this new key?')).toBeVisible()
  await shot('create-discard-ask')
  await dialog.getByRole('button', { name: 'Keep editing' }).click()
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('deploy-bot')
  await page.keyboard.press('Escape')
  await dialog.getByRole('button', { name: 'Discard' }).click()
  await expect(dialog).toHaveCount(0)
  await leaks.assertClean()
})

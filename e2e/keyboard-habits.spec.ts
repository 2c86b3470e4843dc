// Journey (issue 13, point 9): keyboard and habits. A command palette (Ctrl/Cmd+K) goes to views,
// instances and tenants and runs actions; the shortcuts are documented in the app; focus returns
// where it came from when a dialog closes; Escape closes the detail from inside it; settings
// speak days and hours, not minutes.
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

test('command palette, documented shortcuts, focus return, Esc in the detail, settings in human units', async ({ page, fleet, call, shot, leaks }) => {
  const grid = page.getByRole('grid', { name: 'Service keys' })
  const palette = page.getByRole('dialog', { name: 'Commands' })
  const input = palette.getByRole('combobox', { name: 'Type a command, an instance or a tenant' })

  // Ctrl+K from the table: go to a tenant of one instance by typing.
  await grid.focus()
  await page.keyboard.press('Control+k')
  await expect(input).toBeFocused()
  await input.fill('acme prod us')
  await expect(palette.getByRole('option').first()).toContainText('Acme Media')
  await expect(palette.getByRole('option').first()).toContainText(fleet.instances[1]!.label)
  await shotLayouts(page, shot, 'palette')
  expect(await seriousViolations(page, 'dialog[open]'), 'command palette').toEqual([])
  await page.keyboard.press('Enter')
  await expect(palette).toHaveCount(0)
  await expect(page.getByText(`Tenant: Acme Media · ${fleet.instances[1]!.label}`)).toBeVisible()

  await page.getByRole('button', { name: 'Clear filters' }).click()

  // Escape closes the palette; focus is back where it was.
  await grid.focus()
  await page.keyboard.press('Control+k')
  await page.keyboard.press('Escape')
  await expect(palette).toHaveCount(0)
  await expect(grid).toBeFocused()

  // Actions from the palette: Needs attention, then back with Alt+1.
  await page.keyboard.press('Control+k')
  await input.fill('needs att')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Needs attention', level: 2 })).toBeVisible()
  await page.keyboard.press('Alt+1')
  await expect(grid).toBeVisible()

  // The shortcuts are written down in the app (?).
  await grid.focus()
  await page.keyboard.press('?')
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(help.getByText('Command palette: go to a view, an instance or a tenant; run any action')).toBeVisible()
  await shot('shortcuts')
  await help.getByRole('button', { name: 'Close' }).click()
  await expect(grid).toBeFocused()

  // / searches; Enter opens; Escape from a button inside the detail closes it, back to the row.
  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox', { name: 'Search keys' })).toBeFocused()
  await page.keyboard.type('ci-deploy')
  await page.getByRole('combobox', { name: 'Status' }).selectOption('active')
  await expect(grid.locator('[role=row][data-index="0"] [data-col=status]')).toHaveText('Active')
  await grid.focus()
  await page.keyboard.press('Enter')
  const detail = page.getByRole('complementary')
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText(/ci-deploy/)
  // A dialog from the detail gives focus back to the button that opened it.
  const disable = detail.getByRole('button', { name: 'Disable…' })
  await disable.click()
  await page.getByRole('dialog', { name: /^Disable key/ }).getByRole('button', { name: 'Cancel' }).click()
  await expect(disable).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(detail).toHaveCount(0)
  await expect(grid).toBeFocused()

  // Settings: warning times read and typed as days, hours and minutes.
  await page.keyboard.press('Alt+4')
  const grace = page.getByLabel('Warn before a grace period ends')
  const expiry = page.getByLabel('Warn before a key expires')
  await expect(grace).toHaveValue('1 day, 1 hour, 10 minutes')
  await expect(expiry).toHaveValue('7 days, 1 day, 1 hour')
  await grace.fill('every hour')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('"every hour" is not a duration: write it as "7 days", "1 hour" or "10 minutes".')).toBeVisible()
  await grace.fill('2 days, 3 hours, 15 min')
  await page.getByLabel('List active keys unused for (days)').fill('60')
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  await expect(grace).toHaveValue('2 days, 3 hours, 15 minutes')
  expect((await call('settings.get', {})).graceLeadsMinutes).toEqual([2880, 180, 15])
  expect((await call('attention.getSettings', {})).unusedForDays).toBe(60)
  await shotLayouts(page, shot, 'settings-human-units')
  expect(await seriousViolations(page), 'settings').toEqual([])
  await leaks.assertClean()
})

// Journey: first run to a synced inventory, through the errors an operator meets on the way.
import { expect, onboardThroughUi, test } from './fixtures'

test('first run: errors a person can act on, then tenants picked and the inventory synced', async ({ page, emulator, clock, shot, leaks }) => {
  const { email, password } = emulator.credentials.instanceAdmin
  leaks.track(password)
  await expect(page.getByRole('heading', { name: 'Connect your first Fluxbase instance' })).toBeVisible()
  await shot('empty-form')

  // Client-side validation first.
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByText('Enter the full address')).toBeVisible()
  await shot('validation')

  // Unreachable host: nothing listens on port 9.
  await page.getByLabel('Server URL').fill('http://127.0.0.1:9')
  await page.getByLabel('Admin e-mail').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Test connection' }).click()
  const alert = page.getByRole('alert')
  await expect(alert).toContainText('Could not connect.')
  await shot('unreachable')
  const unreachableText = await alert.innerText()

  // Wrong password, five times: the server then locks the account.
  await page.getByLabel('Server URL').fill(emulator.url)
  const wrong = 'not-the-password-123'
  leaks.track(wrong)
  await page.getByLabel('Password', { exact: true }).fill(wrong)
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(alert).toBeVisible()
  await expect(alert).not.toHaveText(unreachableText)
  await shot('wrong-password')
  const wrongText = await alert.innerText()
  for (let i = 0; i < 4; i++) {
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(page.getByRole('button', { name: 'Test connection' })).toBeEnabled()
  }
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(alert).toBeVisible()
  await expect(alert).not.toHaveText(wrongText)
  await shot('locked')

  // The lockout ends after 15 minutes (server clock and app clock move together).
  await clock.advance(16 * 60_000)
  await page.getByLabel('Password', { exact: true }).fill('')
  await onboardThroughUi(page, emulator, leaks)
  await expect(page.getByText(/\d+ keys?$/)).toBeVisible()
  await shot('synced-inventory')

  await page.getByRole('button', { name: 'Tenants', exact: true }).click()
  const tenantsTable = page.locator('table')
  for (const t of emulator.tenants) await expect(tenantsTable.getByText(t.name, { exact: true })).toBeVisible()
  await expect(page.getByText(/^Fresh/).first()).toBeVisible()
  await shot('tenants')
  await leaks.assertClean()
})

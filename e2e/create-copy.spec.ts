// Journey: create a key (validated first), hand-off with the value in the keychain, copy it to
// the (in-memory fake) clipboard, and see the clipboard clear itself.
import { expect, onboardThroughApi, test } from './fixtures'
import { pickTenant, refOf, storedValue, whoami } from './helpers'
import type { KeyRow } from '../src/shared/contract'

test('create a key, copy its value, the clipboard clears itself', async ({ page, harness, emulator, shot, leaks }) => {
  await onboardThroughApi(harness)
  await page.getByRole('button', { name: 'New key' }).click()
  const dialog = page.getByRole('dialog', { name: 'New service key' })
  await dialog.getByRole('button', { name: 'Create key' }).click()
  await expect(dialog.getByText('A name is required.')).toBeVisible()
  await expect(dialog.getByText('Pick at least one scope.')).toBeVisible()
  await shot('validation')

  // No tenant is in view, so none is assumed: the operator picks one.
  await expect(dialog.getByText('Pick the tenant the key belongs to.')).toBeVisible()
  await pickTenant(dialog, 'Acme')
  await expect(dialog.getByText('Pick the tenant the key belongs to.')).toHaveCount(0)
  await dialog.getByLabel('Name', { exact: true }).fill('billing-worker')
  await dialog.getByLabel('Description').fill('Nightly invoice run')
  await dialog.getByRole('checkbox', { name: 'tables:read' }).check()
  await dialog.getByRole('checkbox', { name: 'storage:write' }).check()
  await dialog.getByLabel('Limit per minute').fill('600')
  await shot('filled')
  await dialog.getByRole('button', { name: 'Create key' }).click()

  const handOff = page.getByRole('dialog', { name: /Created: billing-worker/ })
  await expect(handOff.getByText("The new key's value is stored in your keychain.")).toBeVisible()
  await shot('handoff')

  // Copy: main (here the core host) reads the keychain into the clipboard; the page never sees it.
  await handOff.getByRole('button', { name: 'Copy value' }).click()
  await expect(handOff.getByText(/Clipboard clears in \ds/)).toBeVisible()
  await shot('copied')
  const issued = harness.bridge.records.filter((r) => r.name === 'keys.create').pop()
  const key = (JSON.parse(issued!.json) as { value: { key: KeyRow } }).value.key
  const value = await storedValue(harness, refOf(key))
  expect(value).toBeTruthy()
  expect(harness.clipboard.readText()).toBe(value)
  expect(await whoami(emulator.url, value!)).toBe(200)

  // The clearing delay is 5 s in the harness (settings); real waiting.
  await expect(handOff.getByText('Clipboard cleared.')).toBeVisible({ timeout: 15_000 })
  expect(harness.clipboard.readText()).toBe('')
  await shot('cleared')

  // Forget the stored value once deployed.
  await handOff.getByRole('button', { name: 'Forget stored value' }).click()
  await expect(handOff.getByText('Stored value forgotten.')).toBeVisible()
  expect(await storedValue(harness, refOf(key))).toBeNull()
  await handOff.getByRole('button', { name: 'Done' }).click()
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('billing-worker')
  await expect(page.getByRole('grid').locator('[role=row][data-index="0"]')).toContainText('billing-worker')
  await shot('in-inventory')
  await leaks.assertClean()
})

// Journey: the keychain refuses the new key's value. The value is shown exactly once, with a
// warning, until the operator confirms they stored it; then it is gone from the page.
import { expect, onboardThroughApi, test } from './fixtures'
import { pickTenant, whoami } from './helpers'
import { isKeyValueAccount, KeychainWriteFailureInjector } from './harness/fakes'

let injector: KeychainWriteFailureInjector | null = null

test.use({
  leakCheck: false, // the value must appear while shown; this journey scans by itself below
  harnessOptions: {
    wrapSecrets: (real) => {
      injector = new KeychainWriteFailureInjector(real, isKeyValueAccount)
      return injector
    }
  }
})

test('keychain write fails: the value is shown once, then dropped', async ({ page, harness, emulator, shot, leaks }) => {
  await onboardThroughApi(harness)
  injector!.armed = true

  await page.getByRole('button', { name: 'New key' }).click()
  const dialog = page.getByRole('dialog', { name: 'New service key' })
  await pickTenant(dialog)
  await dialog.getByLabel('Name', { exact: true }).fill('unsaved-demo')
  await dialog.getByRole('checkbox', { name: 'tables:read' }).check()
  await dialog.getByRole('button', { name: 'Create key' }).click()

  const handOff = page.getByRole('dialog', { name: /Created: unsaved-demo/ })
  await expect(handOff.getByText('Save this value now: it is shown only once.')).toBeVisible()
  expect(injector!.failures).toBeGreaterThan(0)
  const value = (await handOff.getByTestId('unsaved-value').innerText()).trim()
  expect(value.length).toBeGreaterThan(16)
  expect(await whoami(emulator.url, value)).toBe(200) // the server did issue it: it is not lost
  const html = await page.content()
  expect(html.split(value).length - 1).toBe(1) // exactly once
  await shot('value-shown-once')

  const done = handOff.getByRole('button', { name: 'Done' })
  await expect(done).toBeDisabled()
  await page.keyboard.press('Escape') // cannot be dismissed before confirming
  await expect(handOff).toBeVisible()
  await handOff.getByRole('checkbox', { name: 'I have stored this value somewhere safe' }).check()
  await done.click()
  await expect(handOff).toHaveCount(0)
  expect(await page.content()).not.toContain(value)
  await shot('after-confirm')

  // Nothing else leaked (the shown value is the one allowed exception).
  leaks.allow(value)
  const findings = (await leaks.scan()).filter((f) => !f.where.startsWith('IPC result') || !f.where.includes('keys.create'))
  expect(findings).toEqual([])
})

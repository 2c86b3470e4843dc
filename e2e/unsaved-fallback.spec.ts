// Journey: the keychain refuses the new key's value. The value is shown exactly once, with a
// warning, until the operator confirms they stored it; then it is gone from the page. A reload
// before that shows it again (the core keeps it until the operator confirms).
import { expect, onboardThroughApi, test } from './fixtures'
import { pickTenant, seriousViolations, shotLayouts, whoami } from './helpers'
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

test('a reload never loses a value the keychain refused: each comes back until the operator says it is stored', async ({ page, harness, call, shot, leaks }) => {
  const { instanceId } = await onboardThroughApi(harness)
  const tenant = (await call('tenants.list', {})).find((t) => t.instanceId === instanceId && t.selected)!
  injector!.armed = true
  const first = await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'unsaved-one', keyType: 'service', scopes: ['tables:read'] } })
  const second = await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'unsaved-two', keyType: 'service', scopes: ['tables:read'] } })
  expect(first.storedInKeychain).toBe(false)
  expect(second.storedInKeychain).toBe(false)
  const values = [first, second].map((r) => (r.storedInKeychain ? '' : r.unsavedValue))

  // On start: the first value's hand-off, then the next one's once the first is closed.
  await page.reload()
  const one = page.getByRole('dialog', { name: 'Not stored yet: unsaved-one' })
  await expect(one.getByText('Save this value now: it is shown only once.')).toBeVisible()
  await expect(one.getByText('your keychain could not store its value')).toBeVisible()
  await expect(one.getByText(tenant.name, { exact: true })).toBeVisible()
  await expect(one.getByTestId('unsaved-value')).toHaveText(values[0]!)
  await shotLayouts(page, shot, 'unsaved-after-reload')
  expect(await seriousViolations(page, 'dialog[open]'), 'hand-off of a recovered value').toEqual([])

  // Reloaded again without confirming: still there.
  await page.reload()
  await expect(one.getByTestId('unsaved-value')).toHaveText(values[0]!)
  await one.getByRole('checkbox', { name: 'I have stored this value somewhere safe' }).check()
  await one.getByRole('button', { name: 'Done' }).click()
  const two = page.getByRole('dialog', { name: 'Not stored yet: unsaved-two' })
  await expect(two.getByTestId('unsaved-value')).toHaveText(values[1]!)
  await expect(two.getByRole('button', { name: 'Done' })).toBeDisabled()
  await two.getByRole('checkbox', { name: 'I have stored this value somewhere safe' }).check()
  await two.getByRole('button', { name: 'Done' }).click()
  await expect(two).toHaveCount(0)

  // Confirmed: the core let go of both; a reload shows neither.
  expect((await call('keys.unsaved', {})).values).toEqual([])
  await page.reload()
  await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  await page.waitForTimeout(500)
  await expect(page.getByRole('dialog')).toHaveCount(0)
  const html = await page.content()
  for (const v of values) expect(html).not.toContain(v)

  // Nothing else leaked: the values appear only in the answers that carried them to be shown.
  for (const v of values) leaks.allow(v)
  const findings = (await leaks.scan()).filter((f) => !f.where.startsWith('IPC result') || !/keys\.(create|unsaved)/.test(f.where))
  expect(findings).toEqual([])
})

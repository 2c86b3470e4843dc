// Journeys: editing a key on today's servers (update unsupported: Edit becomes "Replace with a
// new key", recorded as a rotation and followed to its end), on a fixed server (Edit updates in
// place), and on a server whose answer is unclear (the operator chooses; a failed update
// switches to Replace, keeping what was typed).
import type { Page } from '@playwright/test'
import { expect, onboardThroughApi, test } from './fixtures'
import { lastResult, openKeyByName, refOf, seriousViolations, shotLayouts, storedValue, whoami } from './helpers'
import type { IssueResult, KeyRow, TenantOverview } from '../src/shared/contract'
import type { Instance } from '../src/shared/domain'
import type { HarnessRun } from './harness/harness'

/** The core directly (test set-up), throwing on `{ok:false}`. */
async function core<T>(harness: HarnessRun, name: Parameters<HarnessRun['host']['dispatch']>[0], input: unknown): Promise<T> {
  const r = await harness.host.dispatch(name, input)
  if (!r.ok) throw new Error(`${name} failed: [${r.error.code}] ${r.error.message}`)
  return r.value as T
}

/** Onboards, creates one key through the core and opens it in the UI. */
async function withKey(harness: HarnessRun, page: Page, name: string): Promise<{ instance: Instance; created: IssueResult }> {
  const { instanceId } = await onboardThroughApi(harness)
  const tenants = await core<TenantOverview[]>(harness, 'tenants.list', {})
  const tenant = tenants.find((t) => t.instanceId === instanceId)!
  const created = await core<IssueResult>(harness, 'keys.create', {
    instanceId, tenantId: tenant.id,
    input: { name, description: 'Checkout service', keyType: 'service', scopes: ['tables:read'], rateLimitPerMinute: 100 }
  })
  const instance = (await core<Instance[]>(harness, 'instances.list', {})).find((i) => i.id === instanceId)!
  await page.reload()
  await openKeyByName(page, name)
  return { instance, created }
}

test.describe('server as shipped (update unsupported)', () => {
  test('Edit says so before typing, replaces the key, and the rotation is followed to its end', async ({ page, harness, emulator, shot, leaks }) => {
    const { instance, created } = await withKey(harness, page, 'payments-api')
    expect(instance.updateSupport).toBe('unsupported')
    const oldRef = refOf(created.key)
    const oldValue = await storedValue(harness, oldRef)
    expect(await whoami(emulator.url, oldValue!)).toBe(200)

    const detail = page.getByRole('complementary')
    await detail.getByRole('button', { name: 'Edit…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit payments-api' })
    // Before anything is typed: the notice, the replacement's name and the Replace action.
    const notice = dialog.getByTestId('replace-notice')
    await expect(notice).toContainText('This server cannot change a key in place.')
    await expect(notice).toContainText('its value goes straight into your keychain')
    await expect(notice).toContainText('keeps working for the grace period you choose')
    await expect(notice).toContainText('finish the rotation to disable or revoke the old one')
    await expect(notice).toContainText('Type (service) and expiry (never) stay as they are; choose its namespaces below.')
    await expect(notice.getByRole('radio', { name: '24 hours' })).toBeChecked()
    await expect(dialog.getByLabel('Name of the new key')).toHaveValue('payments-api v2')
    await expect(dialog.getByRole('button', { name: 'Replace with a new key' })).toBeEnabled()
    await expect(dialog.getByRole('group', { name: 'Grace period' })).toBeVisible()
    await expect(dialog.getByRole('button', { name: 'Save changes' })).toHaveCount(0)
    expect(await seriousViolations(page, 'dialog[open]'), 'replace dialog').toEqual([])
    await shotLayouts(page, shot, 'replace-notice')
    // The notice stays on screen in the small window.
    await page.setViewportSize({ width: 1024, height: 640 })
    await expect(notice).toBeInViewport({ ratio: 1 })
    await expect(dialog.getByRole('button', { name: 'Replace with a new key' })).toBeInViewport()
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await seriousViolations(page, 'dialog[open]'), 'replace dialog, dark, 1024x640').toEqual([])
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1440, height: 900 })

    // Validation: shown on submit, gone as soon as it is fixed.
    const nameField = dialog.getByLabel('Name of the new key')
    await nameField.fill('payments-api')
    await dialog.getByRole('button', { name: 'Replace with a new key' }).click()
    await expect(dialog.getByText(/needs a name of its own/)).toBeVisible()
    await expect(nameField).toHaveAttribute('aria-invalid', 'true')
    await expect(nameField).toBeFocused()
    await shot('validation')
    await nameField.fill('')
    await expect(dialog.getByText('A name is required.')).toBeVisible()
    await nameField.fill('payments-api v2')
    await expect(dialog.getByText('A name is required.')).toHaveCount(0)
    await expect(nameField).toHaveAttribute('aria-invalid', 'false')

    // New settings; Escape on the half-filled form asks first, and keeping on loses nothing.
    await dialog.getByLabel('Description').fill('Checkout service, new scopes')
    await dialog.getByRole('checkbox', { name: 'storage:read' }).check()
    await dialog.getByLabel('Requests per minute').fill('600')
    await page.keyboard.press('Escape')
    await expect(dialog.getByText('Discard the changes you made?')).toBeVisible()
    await shot('discard-question')
    await dialog.getByRole('button', { name: 'Keep editing' }).click()
    await expect(dialog.getByLabel('Description')).toHaveValue('Checkout service, new scopes')
    await dialog.getByRole('radio', { name: '1 hour' }).check()
    await expect(notice).toContainText('keeps working for the grace period you choose (now 1 hour)')
    // The server cannot say whether the old key may use every namespace or only the default one:
    // the operator says it for the new key (a guess could widen its reach).
    await dialog.getByRole('button', { name: 'Replace with a new key' }).click()
    await expect(dialog.getByText('Choose which namespaces the new key may use')).toBeVisible()
    await dialog.getByRole('radio', { name: 'Default namespace only' }).check()
    await expect(dialog.getByText('Choose which namespaces the new key may use')).toHaveCount(0)
    await shotLayouts(page, shot, 'replace-filled')
    await dialog.getByRole('button', { name: 'Replace with a new key' }).click()

    // The hand-off, as after rotate: the value is in the keychain, not in the page.
    const handOff = page.getByRole('dialog', { name: 'Replaced payments-api: payments-api v2' })
    await expect(handOff.getByText("The new key's value is stored in your keychain.")).toBeVisible()
    await expect(dialog).toHaveCount(0)
    await shotLayouts(page, shot, 'replace-handoff')
    const { issued, oldKey } = lastResult<{ issued: { key: KeyRow }; oldKey: KeyRow }>(harness, 'keys.replace')
    expect(oldKey.localReplacedBy).toBe(issued.key.id)
    expect(issued.key.scopes.sort()).toEqual(['storage:read', 'tables:read'])
    expect(issued.key.rateLimitPerMinute).toBe(600)
    const newRef = refOf(issued.key)
    const newValue = await storedValue(harness, newRef)
    expect(newValue).toBeTruthy()
    expect(await whoami(emulator.url, newValue!)).toBe(200)
    expect(await whoami(emulator.url, oldValue!)).toBe(200) // the old key works during its grace
    await leaks.assertClean()
    await handOff.getByRole('button', { name: 'Done' }).click()

    // The old key: in grace, with its countdown, replaced by the new one.
    await expect(detail.getByRole('heading', { name: 'payments-api', exact: true })).toBeVisible()
    await expect(detail.getByText('In grace', { exact: true })).toBeVisible()
    await expect(detail.getByText(/grace ends in 00:5\d/)).toBeVisible()
    const replacedBy = detail.getByRole('button', { name: 'payments-api v2' })
    await expect(detail.getByText('Replaced by')).toBeVisible()
    await expect(replacedBy).toBeVisible()
    await shotLayouts(page, shot, 'old-key-in-grace')

    // The new key says what it replaces; each opens the other.
    await replacedBy.click()
    await expect(detail.getByRole('heading', { name: 'payments-api v2', exact: true })).toBeVisible()
    await expect(detail.getByText('Active', { exact: true })).toBeVisible()
    await expect(detail.getByText('Replaces')).toBeVisible()
    await expect(detail.getByText('Checkout service, new scopes')).toBeVisible()
    await expect(detail.getByText('600 / min')).toBeVisible()
    await shotLayouts(page, shot, 'new-key-replaces')
    await detail.getByRole('button', { name: 'payments-api', exact: true }).click()
    await expect(detail.getByRole('heading', { name: 'payments-api', exact: true })).toBeVisible()

    // Finish the rotation: the old key stops working, the new one goes on.
    await detail.getByRole('button', { name: 'Finish rotation…' }).click()
    const finish = page.getByRole('dialog', { name: /Finish rotation: payments-api/ })
    await finish.getByRole('button', { name: 'Finish rotation' }).click()
    await expect(detail.getByText('Disabled', { exact: true })).toBeVisible()
    await expect(detail.getByRole('button', { name: 'payments-api v2' })).toBeVisible()
    await shot('finished')
    expect(await whoami(emulator.url, oldValue!)).toBe(401)
    expect(await whoami(emulator.url, newValue!)).toBe(200)
    await leaks.assertClean()
  })
})

test.describe('server that cannot be asked (update support unknown)', () => {
  // The probe at instances.add gets a 500 that is not the known defect: the app cannot tell.
  test.use({ harnessOptions: { emulator: { faults: [{ method: 'PUT', path: '/service-keys/', kind: 'status500' }] } } })

  test('Edit checks first, lets the operator choose, and a failed update switches to Replace keeping what was typed', async ({ page, harness, emulator, call, shot, leaks }) => {
    const { instance } = await withKey(harness, page, 'reports-worker')
    expect(instance.updateSupport).toBe('unknown')
    // The check when Edit opens is slow, then inconclusive as well.
    emulator.setFaults([
      { method: 'PUT', path: '/service-keys/', kind: 'latency', latencyMs: 1500, count: 1 },
      { method: 'PUT', path: '/service-keys/', kind: 'status500', count: 1 }
    ])
    const detail = page.getByRole('complementary')
    await detail.getByRole('button', { name: 'Edit…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit reports-worker' })
    await expect(dialog.getByText('Checking whether this server can update keys…')).toBeVisible()
    await expect(dialog.getByRole('button', { name: 'Checking…' })).toBeDisabled()
    await shotLayouts(page, shot, 'checking')
    const choice = dialog.getByTestId('undetermined-notice')
    await expect(choice).toContainText('Could not find out whether this server can update keys.')
    await expect(dialog.getByRole('radio', { name: /Try to update in place/ })).toBeChecked()
    await expect(dialog.getByRole('button', { name: 'Save changes' })).toBeEnabled()
    await dialog.getByRole('radio', { name: 'Replace with a new key' }).check()
    await expect(dialog.getByLabel('Name of the new key')).toHaveValue('reports-worker v2')
    await expect(dialog.getByRole('button', { name: 'Replace with a new key' })).toBeVisible()
    await shotLayouts(page, shot, 'undetermined-replace')
    expect(await seriousViolations(page, 'dialog[open]'), 'edit dialog, undetermined').toEqual([])
    await dialog.getByRole('radio', { name: /Try to update in place/ }).check()
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('reports-worker')

    // The server is reachable again and is the shipped one: the update fails as unsupported.
    emulator.setFaults([])
    await dialog.getByLabel('Description').fill('Nightly reports, tenant-wide')
    await dialog.getByRole('checkbox', { name: 'jobs:read' }).check()
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    const notice = dialog.getByTestId('replace-notice')
    await expect(notice).toContainText('The server could not update this key')
    await expect(notice).toBeFocused()
    await expect(dialog.getByLabel('Description')).toHaveValue('Nightly reports, tenant-wide')
    await expect(dialog.getByRole('checkbox', { name: 'jobs:read' })).toBeChecked()
    await expect(dialog.getByLabel('Name of the new key')).toHaveValue('reports-worker v2')
    await expect(dialog.getByRole('button', { name: 'Replace with a new key' })).toBeEnabled()
    await shotLayouts(page, shot, 'switched-to-replace')
    const instances = await call('instances.list', {}) as Instance[]
    expect(instances[0]!.updateSupport).toBe('unsupported')

    // Escape twice on the changed form: asked, then discarded.
    await page.keyboard.press('Escape')
    await expect(dialog.getByText('Discard the changes you made?')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    await expect(detail.getByText('Nightly reports, tenant-wide')).toHaveCount(0)
    await leaks.assertClean()
  })
})

test.describe('fixed server (update supported)', () => {
  test.use({ harnessOptions: { emulator: { serverFixed: true } } })

  test('Edit updates the key in place', async ({ page, harness, call, shot, leaks }) => {
    const { instance } = await withKey(harness, page, 'catalogue-indexer')
    expect(instance.updateSupport).toBe('supported')
    const before = (await call('inventory.count', {})).total
    const detail = page.getByRole('complementary')
    await detail.getByRole('button', { name: 'Edit…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit catalogue-indexer' })
    await expect(dialog.getByRole('button', { name: 'Save changes' })).toBeEnabled()
    await expect(dialog.getByTestId('replace-notice')).toHaveCount(0)
    await expect(dialog.getByText('Checking whether this server can update keys…')).toHaveCount(0)
    await expect(dialog.getByRole('group', { name: 'Grace period' })).toHaveCount(0)
    await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('catalogue-indexer')

    await dialog.getByLabel('Description').fill('Indexes the catalogue every hour')
    await dialog.getByLabel('Requests per hour').fill('0')
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await expect(dialog.getByText(/Enter a whole number from 1 to/)).toBeVisible()
    await dialog.getByLabel('Requests per hour').fill('5000')
    await expect(dialog.getByText(/Enter a whole number from 1 to/)).toHaveCount(0)
    await shotLayouts(page, shot, 'fixed-edit')
    expect(await seriousViolations(page, 'dialog[open]'), 'edit dialog, fixed server').toEqual([])
    await dialog.getByRole('button', { name: 'Save changes' }).click()

    await expect(dialog).toHaveCount(0)
    await expect(page.getByRole('status').filter({ hasText: 'Saved catalogue-indexer' })).toBeVisible()
    await expect(detail.getByText('Indexes the catalogue every hour')).toBeVisible()
    await expect(detail.getByText('100 / min · 5000 / hour')).toBeVisible()
    await expect(detail.getByText('Active', { exact: true })).toBeVisible()
    await expect(detail.getByText('Replaced by')).toHaveCount(0)
    expect((await call('inventory.count', {})).total).toBe(before) // no new key
    expect(harness.bridge.records.some((r) => r.name === 'keys.replace')).toBe(false)
    await shotLayouts(page, shot, 'fixed-saved')
    await leaks.assertClean()
  })
})

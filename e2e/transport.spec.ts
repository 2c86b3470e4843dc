// Journey: how an instance is reached. Plain http to another computer only with the explicit
// "Allow insecure transport" choice, a red warning beside it, and the instance marked in red
// wherever it appears (sidebar, Instance column, key detail, tenant picker, Settings, Tenants);
// a private CA as a PEM path with its SHA-256 fingerprint shown; the connection changed later
// from Tenants, with what the core refuses said in its words.
import { expect, test } from './fixtures'
import { openKeyByName, seriousViolations, shotLayouts } from './helpers'
import { startEmulator, type RunningEmulator } from '../emulator/index'
import { makeTestCerts, tlsFront } from '../test/support/certs'
import { removeAllTempDirs } from '../test/support/temp'

test('insecure transport by choice and marked in red; a private CA bundle with its fingerprint; changed from Tenants', async ({ page, harness, emulator, call, shot, leaks }) => {
  test.setTimeout(150_000)
  const cleanups: Array<() => Promise<unknown>> = []
  try {
    // 0.0.0.0 reaches this computer on Linux, but it is not a loopback name: plain http to it
    // counts as another computer's address, as a LAN server's would.
    const lanUrl = emulator.url.replace('127.0.0.1', '0.0.0.0')
    const { email, password } = emulator.credentials.instanceAdmin
    leaks.track(password)
    await page.getByLabel('Server URL').fill(lanUrl)
    await page.getByLabel('Label').fill('Lab')
    await page.getByLabel('Admin e-mail').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(password)
    const choice = page.getByRole('checkbox', { name: 'Allow insecure transport (plain http)' })
    await expect(choice).toBeVisible()
    await expect(page.getByText('would travel unencrypted, readable by anyone on the network')).toBeVisible()
    await expect(page.getByLabel('CA bundle (PEM file)')).toBeHidden() // folded under "Private certificate authority"
    await page.getByText('Private certificate authority').click()
    await expect(page.getByText('there is no file picker')).toBeVisible()
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(page.getByText('Tick this to connect over plain http')).toBeVisible()
    expect(harness.bridge.records.filter((r) => r.name === 'instances.test')).toHaveLength(0)
    await shotLayouts(page, shot, 'add-insecure')
    expect(await seriousViolations(page), 'add instance with the insecure choice').toEqual([])
    // An https address needs no such choice.
    await page.getByLabel('Server URL').fill('https://fluxbase.example.com')
    await expect(choice).toHaveCount(0)
    await page.getByLabel('Server URL').fill(lanUrl)
    await choice.check()
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(page.getByText('Pick the tenants to manage')).toBeVisible()
    await page.getByRole('button', { name: /^Add and sync/ }).click()
    const grid = page.getByRole('grid', { name: 'Service keys' })
    await expect(grid).toBeVisible()
    await expect(page.getByRole('banner').getByText(/^Synced /)).toBeVisible({ timeout: 20_000 })
    const [lab] = await call('instances.list', {})
    expect(lab).toMatchObject({ label: 'Lab', insecureTransport: true, caBundle: null })

    // Marked in red wherever the instance appears.
    const tag = (where: import('@playwright/test').Locator) => where.getByRole('img', { name: 'insecure transport' })
    await expect(tag(page.getByRole('navigation', { name: 'Instances and tenants' })).first()).toBeVisible()
    await expect(tag(grid.locator('[role=row][data-index="0"] [data-col=instance]'))).toBeVisible()
    await expect(tag(grid).first()).toHaveCSS('color', 'rgb(179, 38, 30)') // --danger
    const firstKey = (await grid.locator('[role=row][data-index="0"] .key-name').innerText()).trim()
    await openKeyByName(page, firstKey)
    const detail = page.getByRole('complementary')
    await expect(tag(detail)).toBeVisible()
    await shotLayouts(page, shot, 'insecure-marked')
    expect(await seriousViolations(page), 'inventory with an insecure instance').toEqual([])
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'New key' }).click()
    const create = page.getByRole('dialog', { name: 'New service key' })
    await create.getByRole('combobox', { name: 'Tenant' }).click()
    // The group is named with it; its visible heading shows the same red tag.
    await expect(create.getByRole('listbox', { name: 'Tenants' }).getByRole('group', { name: 'Lab (insecure transport)' })).toBeVisible()
    await expect(create.getByRole('listbox', { name: 'Tenants' }).getByText('insecure', { exact: true })).toBeVisible()
    await create.getByRole('combobox', { name: 'Tenant' }).press('Enter')
    await expect(create.getByText("so the new key's value travels unencrypted")).toBeVisible()
    await create.getByRole('button', { name: 'Cancel' }).click()
    await create.getByRole('button', { name: 'Discard' }).click()
    await expect(create).toHaveCount(0)
    await page.keyboard.press('Alt+4')
    await expect(tag(page.locator('section.settings')).first()).toBeVisible()

    // Tenants: the instance says why it is red; its connection can be changed.
    await page.keyboard.press('Alt+3')
    const card = page.locator('.card.instance').filter({ hasText: 'Lab' })
    await expect(tag(card.getByRole('heading', { name: /Lab/ }))).toBeVisible()
    await expect(card.getByText('Plain http: the password, tokens and new key values travel unencrypted.')).toBeVisible()
    await card.getByRole('button', { name: 'Connection…' }).click()
    const connection = page.getByRole('dialog', { name: 'Connection to Lab' })
    const insecure = connection.getByRole('checkbox', { name: 'Allow insecure transport (plain http)' })
    await expect(insecure).toBeChecked()
    await insecure.uncheck()
    await connection.getByRole('button', { name: 'Save' }).click()
    await expect(connection.getByRole('alert')).toContainText('Not changed. This address uses plain http to a computer other than this one')
    await expect(connection.getByRole('alert')).not.toContainText(/insecureTransport|caBundlePath|instances\./)
    await insecure.check()
    await connection.getByLabel('CA bundle (PEM file)').fill('/nonexistent/private-ca.pem')
    await connection.getByRole('button', { name: 'Save' }).click()
    await expect(connection.getByRole('alert')).toContainText('The CA bundle /nonexistent/private-ca.pem cannot be read')
    await shot('connection-refused')
    await connection.getByRole('button', { name: 'Cancel' }).click()
    expect((await call('instances.list', {}))[0]).toMatchObject({ insecureTransport: true, caBundle: null })

    // A server whose certificate comes from a private CA: refused without the bundle, trusted with it.
    const tls: RunningEmulator = await startEmulator({ controlRoutes: true, seed: { tenants: 1, keysPerTenant: 2, seed: 77 }, now: harness.clock.now() })
    cleanups.push(() => tls.close())
    const certs = makeTestCerts()
    const front = await tlsFront(tls.url, certs.server.valid)
    cleanups.push(() => front.close())
    leaks.track(tls.credentials.instanceAdmin.password)
    await page.getByRole('button', { name: 'Add instance…' }).click()
    await page.getByLabel('Server URL').fill(front.url)
    await page.getByLabel('Label').fill('Private CA')
    await page.getByLabel('Admin e-mail').fill(tls.credentials.instanceAdmin.email)
    await page.getByLabel('Password', { exact: true }).fill(tls.credentials.instanceAdmin.password)
    await expect(page.getByRole('checkbox', { name: 'Allow insecure transport (plain http)' })).toHaveCount(0)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(page.getByRole('alert')).toContainText('authority this computer does not trust')
    await page.getByText('Private certificate authority').click()
    await page.getByLabel('CA bundle (PEM file)').fill(certs.caPath)
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(page.getByText('Pick the tenants to manage')).toBeVisible()
    await page.getByRole('button', { name: /^Add and sync/ }).click()
    await expect(grid).toBeVisible()
    const added = (await call('instances.list', {})).find((i) => i.label === 'Private CA')!
    expect(added).toMatchObject({ insecureTransport: false, caBundle: { path: certs.caPath } })
    const fingerprint = added.caBundle!.fingerprint
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    // Not insecure: no red mark for its rows.
    await page.keyboard.press('Alt+3')
    const caCard = page.locator('.card.instance').filter({ hasText: 'Private CA' })
    await expect(caCard.getByText(certs.caPath)).toBeVisible()
    await expect(caCard.getByText(fingerprint)).toBeVisible()
    await expect(tag(caCard)).toHaveCount(0)
    await shotLayouts(page, shot, 'tenants-transport')
    expect(await seriousViolations(page), 'tenants with transport details').toEqual([])

    // Without the bundle the server's certificate is refused again: said as a certificate problem, nothing changes.
    await caCard.getByRole('button', { name: 'Connection…' }).click()
    const caConnection = page.getByRole('dialog', { name: 'Connection to Private CA' })
    await expect(caConnection.getByText(fingerprint)).toBeVisible()
    await caConnection.getByLabel('CA bundle (PEM file)').fill('')
    await caConnection.getByRole('button', { name: 'Save' }).click()
    await expect(caConnection.getByRole('alert')).toContainText('authority this computer does not trust')
    await caConnection.getByLabel('CA bundle (PEM file)').fill(certs.caPath)
    await caConnection.getByRole('button', { name: 'Save' }).click()
    await expect(caConnection).toHaveCount(0)
    await expect(page.getByRole('status').filter({ hasText: 'Private CA: connection settings saved' })).toBeVisible()
    await leaks.assertClean()
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined)
    removeAllTempDirs()
  }
})

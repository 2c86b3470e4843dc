// Journey: the create dialog's Namespaces field, with the server's three meanings made explicit:
// every namespace (nothing sent), the default namespace only ([]), or a list.
import { expect, onboardThroughApi, test } from './fixtures'
import { lastResult, pickTenant, seriousViolations, shotLayouts } from './helpers'
import type { IssueResult } from '../src/shared/contract'

test('create with namespaces: all by default, default only, or a list', async ({ page, harness, shot, leaks }) => {
  await onboardThroughApi(harness)
  // What the page asks the core for (the bridge calls host.dispatch for every page call).
  const sent: Array<{ name: string; input: unknown }> = []
  const dispatch = harness.host.dispatch.bind(harness.host)
  harness.host.dispatch = ((name, input) => { sent.push({ name, input }); return dispatch(name, input) }) as typeof harness.host.dispatch
  const createInputs = () => sent.filter((s) => s.name === 'keys.create').map((s) => (s.input as { input: Record<string, unknown> }).input)

  async function create(name: string, choose: () => Promise<void>): Promise<void> {
    await page.getByRole('button', { name: 'New key' }).click()
    const dialog = page.getByRole('dialog', { name: 'New service key' })
    await pickTenant(dialog)
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByRole('checkbox', { name: 'tables:read' }).check()
    await choose()
    await dialog.getByRole('button', { name: 'Create key' }).click()
    const handOff = page.getByRole('dialog', { name: `Created: ${name}` })
    await expect(handOff.getByText("The new key's value is stored in your keychain.")).toBeVisible()
    await handOff.getByRole('button', { name: 'Done' }).click()
  }

  // All namespaces is the default: nothing is sent.
  await page.getByRole('button', { name: 'New key' }).click()
  const dialog = page.getByRole('dialog', { name: 'New service key' })
  const group = dialog.getByRole('group', { name: 'Namespaces' })
  await expect(group.getByRole('radio', { name: /All namespaces/ })).toBeChecked()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await create('ns-all', async () => {})
  expect(createInputs().at(-1)).not.toHaveProperty('allowedNamespaces')

  await create('ns-default-only', async () => {
    await page.getByRole('radio', { name: 'Default namespace only' }).check()
  })
  expect(createInputs().at(-1)?.allowedNamespaces).toEqual([])

  // A list: empty is refused with a sentence that clears once names are typed.
  await page.getByRole('button', { name: 'New key' }).click()
  await pickTenant(dialog)
  await dialog.getByLabel('Name', { exact: true }).fill('ns-listed')
  await dialog.getByRole('checkbox', { name: 'tables:read' }).check()
  await group.getByRole('radio', { name: 'Only these namespaces:' }).check()
  await dialog.getByRole('button', { name: 'Create key' }).click()
  await expect(dialog.getByText(/Enter at least one namespace/)).toBeVisible()
  await dialog.getByLabel('Namespaces the key may use').fill('public, billing billing')
  await expect(dialog.getByText('2 listed.')).toBeVisible()
  await expect(dialog.getByText(/Enter at least one namespace/)).toHaveCount(0)
  expect(await seriousViolations(page, 'dialog[open]'), 'create dialog with namespaces').toEqual([])
  await shotLayouts(page, shot, 'namespaces-list')
  await dialog.getByRole('button', { name: 'Create key' }).click()
  await expect(page.getByRole('dialog', { name: 'Created: ns-listed' })).toBeVisible()
  expect(createInputs().at(-1)?.allowedNamespaces).toEqual(['public', 'billing'])
  expect(lastResult<IssueResult>(harness, 'keys.create').key.allowedNamespaces).toEqual(['public', 'billing'])
  await page.getByRole('dialog', { name: 'Created: ns-listed' }).getByRole('button', { name: 'Done' }).click()
  await leaks.assertClean()
})

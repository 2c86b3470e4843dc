// Journey: revoke with a reason (required), then find it in the key's history.
import { expect, onboardThroughApi, test } from './fixtures'
import { openKeyByName } from './helpers'
import type { TenantOverview } from '../src/shared/contract'

test('revoke needs a reason and the reason shows in the history', async ({ page, harness, call, shot, leaks }) => {
  const { instanceId } = await onboardThroughApi(harness)
  const tenant = (await call('tenants.list', {}) as TenantOverview[]).find((t) => t.instanceId === instanceId)!
  await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'legacy-importer', keyType: 'service', scopes: ['jobs:write'] } })
  await page.reload()

  await openKeyByName(page, 'legacy-importer')
  const detail = page.getByRole('complementary')
  await detail.getByRole('button', { name: 'Revoke…' }).click()
  const dialog = page.getByRole('dialog', { name: /Revoke key: legacy-importer/ })
  await expect(dialog.getByText(/rejected for good/)).toBeVisible()
  const confirm = dialog.getByRole('button', { name: 'Revoke key' })
  await expect(confirm).toBeDisabled()
  await dialog.getByLabel('Reason (required)').fill('ok')
  await expect(confirm).toBeDisabled()
  await dialog.getByLabel('Reason (required)').fill('Leaked in a CI log, ticket SEC-1234')
  await shot('revoke-confirm')
  await confirm.click()

  await expect(detail.locator('.chip').getByText('Revoked', { exact: true })).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Revoke…' })).toHaveCount(0)
  const history = detail.getByRole('region', { name: 'History' }).or(detail.locator('section[aria-labelledby=history-title]'))
  await expect(history.getByText(/Leaked in a CI log, ticket SEC-1234/).first()).toBeVisible()
  await shot('history')
  await leaks.assertClean()
})

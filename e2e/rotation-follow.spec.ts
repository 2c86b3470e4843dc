// Journey (issue 13, point 5): a rotation the operator can follow. Old and new keys are labelled
// in the table and the detail; "replaced by" / "replaces" are links by name; the old key's last
// use sits next to Finish rotation; only the next steps that make sense are offered.
import { expect, onboardThroughApi, test } from './fixtures'
import { openKeyByName, refOf, seriousViolations, shotLayouts, storedValue, whoami } from './helpers'

test('old and new keys labelled, linked by name, last use beside Finish rotation, only sensible next steps', async ({ page, harness, emulator, call, shot, leaks }) => {
  const { instanceId } = await onboardThroughApi(harness)
  const tenant = (await call('tenants.list', {})).find((t) => t.instanceId === instanceId && !t.isDefault)!
  const created = await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'orders-api', keyType: 'service', scopes: ['tables:read'] } })
  const rotated = await call('keys.rotate', { ref: refOf(created.key), graceHours: 24 })
  // The old key is still in use after the rotation (the data plane records its last use).
  const value = await storedValue(harness, refOf(created.key))
  expect(value).toBeTruthy()
  expect(await whoami(emulator.url, value!)).toBe(200)
  await call('sync.run', {})
  const newName = rotated.issued.key.name
  await page.reload()

  // The table: both ends labelled.
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('orders-api')
  const oldRow = grid.locator('[role=row][data-index]').filter({ hasText: 'In grace' })
  const newRow = grid.locator('[role=row][data-index]').filter({ hasText: newName })
  await expect(oldRow.getByText('old key')).toBeVisible()
  await expect(newRow.getByText('new key')).toBeVisible()
  await shotLayouts(page, shot, 'rotation-table')

  // The old key: "Old key · Replaced by <new>", its last use next to Finish rotation; no Rotate or Deprecate.
  await openKeyByName(page, 'orders-api')
  const detail = page.getByRole('complementary')
  const rotation = detail.getByRole('group', { name: 'Rotation' })
  await expect(rotation.getByText('Old key')).toBeVisible()
  await expect(rotation.getByText(/^Last used:/)).toContainText(/just now|minute/)
  await expect(rotation.getByText(/still in use/)).toBeVisible()
  await expect(rotation.getByRole('button', { name: 'Finish rotation…' })).toBeVisible()
  await expect(rotation.getByText(/the grace period ends in/)).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Rotate…' })).toHaveCount(0)
  await expect(detail.getByRole('button', { name: 'Deprecate…' })).toHaveCount(0)
  await shotLayouts(page, shot, 'rotation-old-key')
  expect(await seriousViolations(page), 'detail of an old key').toEqual([])

  // Finish rotation shows the last use in its dialog too, and warns while the key is used.
  await rotation.getByRole('button', { name: 'Finish rotation…' }).click()
  const finish = page.getByRole('dialog', { name: 'Finish rotation: orders-api' })
  await expect(finish.getByText(/It is still in use/)).toBeVisible()
  await finish.getByRole('button', { name: 'Cancel' }).click()
  await expect(rotation.getByRole('button', { name: 'Finish rotation…' })).toBeFocused()

  // Follow the link by name to the new key: "New key · Replaces orders-api", the old key's state and last use.
  await rotation.getByRole('button', { name: newName, exact: true }).click()
  await expect(detail.getByRole('heading', { name: newName, exact: true })).toBeVisible()
  const other = detail.getByRole('group', { name: 'Rotation' })
  await expect(other.getByText('New key')).toBeVisible()
  await expect(other.getByText(/The old key:/)).toContainText('In grace')
  await expect(other.getByRole('button', { name: 'finish the rotation on it' })).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Finish rotation…' })).toHaveCount(0)
  await expect(detail.getByRole('button', { name: 'Rotate…' })).toBeVisible()
  await shotLayouts(page, shot, 'rotation-new-key')

  // And back by name; finish it: the next steps change with the state.
  await other.getByRole('button', { name: 'orders-api', exact: true }).click()
  await detail.getByRole('group', { name: 'Rotation' }).getByRole('button', { name: 'Finish rotation…' }).click()
  await finish.getByRole('button', { name: 'Finish rotation' }).click()
  await expect(detail.locator('.chip').getByText('Disabled', { exact: true })).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Finish rotation…' })).toHaveCount(0)
  await expect(detail.getByRole('button', { name: 'Enable…' })).toBeVisible()
  await leaks.assertClean()
})

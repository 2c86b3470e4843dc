// Journey: rotate with a grace period, watch the countdown, let the grace end (clocks moved
// together), get warned, finish the rotation, and prove on the data plane which key works.
import { expect, onboardThroughApi, test } from './fixtures'
import { openKeyByName, refOf, storedValue, whoami } from './helpers'
import type { IssueResult, KeyRow, TenantOverview } from '../src/shared/contract'

test('rotate with a 1 h grace, warning at the end, finish rotation, old key rejected', async ({ page, harness, emulator, call, clock, host, shot, leaks }) => {
  const { instanceId } = await onboardThroughApi(harness)
  const tenants = await call('tenants.list', {}) as TenantOverview[]
  const tenant = tenants.find((t) => t.instanceId === instanceId)!
  const created = await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'payments-api', keyType: 'service', scopes: ['tables:read'] } }) as IssueResult
  const oldRef = refOf(created.key)
  const oldValue = await storedValue(harness, oldRef)
  expect(oldValue).toBeTruthy()
  expect(await whoami(emulator.url, oldValue!)).toBe(200)
  await page.reload()

  await openKeyByName(page, 'payments-api')
  const detail = page.getByRole('complementary')
  await detail.getByRole('button', { name: 'Rotate…' }).click()
  const dialog = page.getByRole('dialog', { name: /Rotate key: payments-api/ })
  await dialog.getByRole('radio', { name: '1 hour' }).check()
  await expect(dialog.getByText(/keeps working for 1 hour/)).toBeVisible()
  await shot('rotate-confirm')
  await dialog.getByRole('button', { name: 'Rotate key' }).click()

  const handOff = page.getByRole('dialog', { name: /Rotated from payments-api/ })
  await expect(handOff.getByText("The new key's value is stored in your keychain.")).toBeVisible()
  await shot('rotate-handoff')
  const rotated = harness.bridge.records.filter((r) => r.name === 'keys.rotate').pop()
  const newKey = (JSON.parse(rotated!.json) as { value: { issued: { key: KeyRow } } }).value.issued.key
  await handOff.getByRole('button', { name: 'Done' }).click()

  // The old key is in grace with a live countdown, in the table and in the detail.
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('payments-api')
  const grid = page.getByRole('grid', { name: 'Service keys' })
  const oldRow = grid.locator('[role=row][data-index]').filter({ has: page.getByText('In grace') })
  await expect(oldRow).toHaveCount(1)
  const countdown = oldRow.locator('time.countdown')
  await expect(countdown).toHaveText(/^00:5\d:\d\d$/)
  const before = await countdown.innerText()
  await expect(countdown).not.toHaveText(before) // it ticks
  await expect(detail.getByText(/grace ends in 00:5\d/)).toBeVisible()
  // The rotation can be followed both ways: old → new (the server's replacedBy) and back.
  await expect(detail.getByText('Replaced by')).toBeVisible()
  await detail.getByRole('button', { name: newKey.name, exact: true }).click()
  await expect(detail.getByRole('heading', { name: newKey.name, exact: true })).toBeVisible()
  await expect(detail.getByText('Replaces')).toBeVisible()
  await detail.getByRole('button', { name: 'payments-api', exact: true }).click()
  await expect(detail.getByRole('heading', { name: 'payments-api', exact: true })).toBeVisible()
  await shot('grace-countdown')

  // Past the grace end: both clocks move, the schedule runs; the desktop notification goes out
  // and Needs attention lists the key with Finish rotation (no toast over the table).
  await clock.advanceHours(2)
  await host.checkSchedule()
  expect(harness.notifier.shown.some((w) => w.ref?.keyId === oldRef.keyId)).toBe(true)
  await page.getByRole('button', { name: /^Needs attention/ }).click()
  const item = page.getByRole('listitem').filter({ hasText: 'payments-api' }).filter({ hasText: 'Grace period ended' })
  await expect(item).toBeVisible()
  await expect(item.getByRole('button', { name: /^Finish rotation: payments-api/ })).toBeVisible()
  await expect(page.locator('.statusbar').getByText(/grace/i)).toHaveCount(0)
  await shot('grace-ended-attention')
  await page.getByRole('button', { name: 'Inventory', exact: true }).click()

  // The server still accepts the old key: finishing the rotation is the operator's job.
  expect(await whoami(emulator.url, oldValue!)).toBe(200)
  await openKeyByName(page, 'payments-api')
  await expect(detail.getByText('Grace ended')).toBeVisible()
  await detail.getByRole('button', { name: 'Finish rotation…' }).click()
  const finish = page.getByRole('dialog', { name: /Finish rotation: payments-api/ })
  await expect(finish.getByText(/will be rejected from now on/)).toBeVisible()
  await shot('finish-confirm')
  await finish.getByRole('button', { name: 'Finish rotation' }).click()
  await expect(detail.getByText('Disabled', { exact: true })).toBeVisible()
  await shot('finished')

  const newValue = await storedValue(harness, refOf(newKey))
  expect(newValue).toBeTruthy()
  expect(await whoami(emulator.url, oldValue!)).toBe(401)
  expect(await whoami(emulator.url, newValue!)).toBe(200)
  await leaks.assertClean()
})

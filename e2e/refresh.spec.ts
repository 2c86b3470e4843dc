// Journey: what the renderer asks the core after a change. The core's inventory.changed event
// is the only reload trigger: after an action on the open key there is one keys.get for it
// (the action's own answer is shown at once), and a burst of events is one reload, not one each.
import type { Page } from '@playwright/test'
import { expect, onboardThroughApi, test } from './fixtures'
import { openKeyByName, refOf } from './helpers'
import type { IpcRecord } from './harness/bridge'
import type { HarnessRun } from './harness/harness'
import type { KeyRef } from '../src/shared/domain'
import type { TenantOverview } from '../src/shared/contract'

/** Calls answered since `from` (index into the bridge records), by operation name. */
function callsSince(harness: HarnessRun, from: number, name: string, keep: (r: IpcRecord) => boolean = () => true): number {
  return harness.bridge.records.slice(from).filter((r) => r.kind === 'result' && r.name === name && keep(r)).length
}

const forKey = (ref: KeyRef) => (r: IpcRecord): boolean => {
  const value = (JSON.parse(r.json) as { value?: { key?: { id?: string } } }).value
  return value?.key?.id === ref.keyId
}

/** Waits until no call has crossed the bridge for `quietMs` (real time). */
async function settle(page: Page, harness: HarnessRun, quietMs = 600): Promise<void> {
  let seen = -1
  while (seen !== harness.bridge.records.length) {
    seen = harness.bridge.records.length
    await harness.bridge.flush()
    await page.waitForTimeout(quietMs)
  }
}

test('one keys.get after an action, the answer shown at once, bursts coalesced', async ({ page, harness, emulator, call, shot, leaks }) => {
  const { instanceId } = await onboardThroughApi(harness)
  const tenant = (await call('tenants.list', {}) as TenantOverview[]).find((t) => t.instanceId === instanceId)!
  const created = await call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'refresh-probe', keyType: 'service', scopes: ['tables:read'] } })
  const ref = refOf(created.key)
  await page.reload()

  // Opening the key: the row from the table at once, one keys.get for the history, which needs
  // the server (made slow here): the row does not wait for it.
  emulator.setFaults([{ method: 'GET', path: '/revocations$', kind: 'latency', latencyMs: 2000, count: 1 }])
  const opened = harness.bridge.records.length
  await openKeyByName(page, 'refresh-probe')
  const detail = page.getByRole('complementary')
  const history = detail.locator('section[aria-labelledby=history-title]')
  await expect(history.getByText('Loading history…')).toBeVisible()
  await expect(detail.locator('.chip').getByText('Active', { exact: true })).toBeVisible()
  await expect(detail.getByRole('button', { name: 'Disable…' })).toBeEnabled()
  await shot('row-before-history')
  await expect(history.getByText('created', { exact: true })).toBeVisible()
  emulator.setFaults([])
  await settle(page, harness)
  expect(callsSince(harness, opened, 'keys.get', forKey(ref)), 'keys.get on opening').toBe(1)

  // An action: its answer (the new row) shows at once; the event brings one keys.get.
  await detail.getByRole('button', { name: 'Disable…' }).click()
  const dialog = page.getByRole('dialog', { name: /Disable key: refresh-probe/ })
  const before = harness.bridge.records.length
  await dialog.getByRole('button', { name: 'Disable key' }).click()
  await expect(detail.locator('.chip').getByText('Disabled', { exact: true })).toBeVisible()
  await expect(history.getByText('disable', { exact: true })).toBeVisible()
  await expect(page.getByRole('grid', { name: 'Service keys' }).locator('[role=row][data-index="0"]')).toContainText('Disabled')
  await settle(page, harness)
  await shot('after-disable')
  expect(callsSince(harness, before, 'keys.disable'), 'the action').toBe(1)
  expect(callsSince(harness, before, 'keys.get', forKey(ref)), 'keys.get after the action').toBe(1)
  expect(callsSince(harness, before, 'keys.get'), 'keys.get of any key after the action').toBe(1)
  expect(callsSince(harness, before, 'tenants.list'), 'tenant counts after the action').toBe(1)
  // The table refetches the one page on screen (its exact count may follow).
  expect(callsSince(harness, before, 'inventory.query'), 'inventory pages after the action').toBe(1)

  // A burst: 500 real inventory.changed events from the core (tenant selection changes, which
  // need no server), delivered the way every event is. Reloads: one per window, not one each.
  const burst = harness.bridge.records.length
  const started = Date.now()
  await Promise.all(Array.from({ length: 500 }, () => call('tenants.select', { instanceId, tenantIds: [tenant.id], selected: true })))
  await harness.bridge.flush()
  const deliveredMs = Date.now() - started
  await settle(page, harness)
  const events = harness.bridge.records.slice(burst).filter((r) => r.kind === 'event' && r.name === 'inventory.changed').length
  expect(events).toBe(500)
  // At most one reload per 250 ms window (CHANGE_WINDOW_MS) while they arrive, plus the last.
  const bound = Math.ceil(deliveredMs / 250) + 2
  for (const name of ['inventory.query', 'tenants.list', 'instances.list', 'keys.get']) {
    const n = callsSince(harness, burst, name)
    test.info().annotations.push({ type: 'reloads', description: `${name}: ${n} calls for ${events} events delivered in ${deliveredMs} ms` })
    expect(n, `${name} after ${events} events`).toBeGreaterThanOrEqual(1)
    expect(n, `${name} after ${events} events in ${deliveredMs} ms`).toBeLessThanOrEqual(bound)
    expect(n, `${name}: not one reload per event`).toBeLessThan(events / 4)
  }
  await expect(detail.locator('.chip').getByText('Disabled', { exact: true })).toBeVisible()
  await leaks.assertClean()
})

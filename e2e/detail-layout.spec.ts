// Journey (issue 13, point 3): the detail never hides state. It opens beside the table without
// pushing Status, Grace left and Expires off screen (lower-priority columns give way, at 1440x900
// and at 1024x640), shows the cached key at once while the server's history is still on its way,
// can be resized, and Escape from inside it closes it and puts focus back in the table.
import type { Page } from '@playwright/test'
import { expect, FLEET_HARNESS, FLEET_TIMEOUT_MS, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

test.use({ harnessOptions: FLEET_HARNESS })
// Three emulators to start, seed and sync before the journey begins.
test.describe.configure({ timeout: FLEET_TIMEOUT_MS })

/** The columns that must stay in view are inside the grid's visible box. */
async function stateColumnsVisible(page: Page): Promise<void> {
  const grid = page.getByRole('grid', { name: 'Service keys' })
  const box = (await grid.boundingBox())!
  for (const col of ['status', 'grace', 'expires', 'name']) {
    const cell = grid.locator(`[role=row][data-index="0"] [data-col=${col}]`)
    await expect(cell, `${col} column shown`).toBeVisible()
    // Grid and cell read in one frame, once the layout after a resize has settled (two reads
    // apart could straddle a relayout and compare boxes of two different frames).
    await expect.poll(async () => {
      const [g, b] = await Promise.all([grid.boundingBox(), cell.boundingBox()])
      return g !== null && b !== null && b.x >= g.x - 1 && b.x + b.width <= g.x + g.width + 1
    }, { message: `${col} column inside the table (table ${JSON.stringify(box)})` }).toBe(true)
  }
}

test('detail beside the table keeps Status, Grace left and Expires in view; cached data at once; Esc closes', async ({ page, fleet, shot, leaks }) => {
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await page.getByRole('combobox', { name: 'Status' }).selectOption('grace')
  await expect(grid.locator('[role=row][data-index="0"] [data-col=status]')).toHaveText('In grace')

  // The server's history is slow: the detail shows what the cache has at once.
  const slow = fleet.instances.map((i) => i.emulator)
  for (const e of slow) e.setFaults([{ method: 'GET', path: '/revocations$', kind: 'latency', latencyMs: 4000 }])
  await grid.locator('[role=row][data-index="0"] [data-col=name]').click()
  const detail = page.getByRole('complementary')
  await expect(detail.getByText('Loading history…')).toBeVisible()
  await expect(detail.locator('.chip').getByText('In grace')).toBeVisible()
  await expect(detail.getByText(/grace ends in /)).toBeVisible()
  await expect(detail.getByText('Prefix')).toBeVisible()
  await shot('detail-before-history')
  for (const e of slow) e.setFaults([])

  for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 640 }]) {
    await page.setViewportSize(size)
    await stateColumnsVisible(page)
  }
  await page.setViewportSize({ width: 1440, height: 900 })
  await shotLayouts(page, shot, 'detail-open')
  expect(await seriousViolations(page), 'inventory with the detail').toEqual([])

  // The split can be resized from the keyboard (or by dragging its edge); the state columns stay.
  const handle = detail.getByRole('separator', { name: 'Resize the key detail' })
  const before = Number(await handle.getAttribute('aria-valuenow'))
  await handle.focus()
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft')
  await expect(handle).toHaveAttribute('aria-valuenow', String(before + 100))
  await stateColumnsVisible(page)
  await shot('detail-wider')

  // Escape from inside the detail closes it; focus returns to the table.
  await detail.getByRole('button', { name: /Edit…/ }).focus()
  await page.keyboard.press('Escape')
  await expect(detail).toHaveCount(0)
  await expect(grid).toBeFocused()
  await leaks.assertClean()
})

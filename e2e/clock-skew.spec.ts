// Journey: this computer's clock and a server's disagree by a day. The core pauses automatic
// finish-rotation for that instance (a wrong clock must never disable a key early); the UI says
// so once for the instance, in the banner area, with how far apart the clocks are, and drops the
// notice once they agree again.
import { expect, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'

const HOUR = 3_600_000

test('a server clock 25 h away: a notice naming the instance, gone once the clocks agree', async ({ page, emulator, call, shot, leaks }) => {
  const { email, password } = emulator.credentials.instanceAdmin
  const { instance } = await call('instances.add', { baseUrl: emulator.url, label: 'Prod EU', auth: { kind: 'password', email, password } })
  await call('sync.run', {})
  await page.reload()
  await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  const notice = page.getByRole('status').filter({ hasText: "This computer's clock differs from" })
  await expect(notice).toHaveCount(0)

  // The server's clock falls 25 hours behind (or this computer's runs ahead): the next answers say so.
  emulator.clock.advance(-25 * HOUR)
  await call('sync.run', {})
  await expect.poll(async () => (await call('app.status', {})).clocks.find((c) => c.instanceId === instance.id)?.automaticActionsPaused).toBe(true)
  await expect(notice).toHaveText("This computer's clock differs from Prod EU's by 25 h: automatic finish-rotation is paused until they agree. Check the date and time settings.")
  await expect(notice).toHaveAttribute('title', "Prod EU's clock is 25 h behind this computer's.")
  await shotLayouts(page, shot, 'clock-notice')
  expect(await seriousViolations(page), 'inventory with the clock notice').toEqual([])

  // The clocks agree again: the notice goes.
  emulator.clock.advance(25 * HOUR)
  await call('sync.run', {})
  await expect(notice).toHaveCount(0, { timeout: 15_000 })
  await leaks.assertClean()
})

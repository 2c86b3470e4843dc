// Journey: the app lock. A quiet suggestion to set a passcode once there is an instance; the
// passcode set in Settings (twice, at least 6 characters), Lock now and Ctrl+L; the lock screen
// replaces everything (nothing of the inventory in the DOM), survives a reload, says when a
// passcode was wrong and how long to wait after several; the idle time locks by itself; the
// renderer tells the core about activity at most every 10 s, and the window's own background
// reads do not count as activity; change and turn off need the
// current passcode; Touch ID only where the device offers it. No passcode reaches the page.
import type { Page } from '@playwright/test'
import { expect, onboardThroughApi, test } from './fixtures'
import { seriousViolations, shotLayouts } from './helpers'
import type { HarnessRun } from './harness/harness'

const PASSCODE = 'correct horse 45'
const NEXT_PASSCODE = 'battery staple 46'

/** Results of `name` the page received since record `from`. */
const answered = (harness: HarnessRun, name: string, from = 0): number =>
  harness.bridge.records.slice(from).filter((r) => r.kind === 'result' && r.name === name).length

async function expectLocked(page: Page, names: string[]): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Fluxbase Keys is locked' })).toBeVisible()
  await expect(page.getByRole('grid')).toHaveCount(0)
  await expect(page.getByRole('navigation')).toHaveCount(0)
  const html = await page.content()
  for (const n of names) expect(html, `"${n}" is not on the locked page`).not.toContain(n)
}

test('passcode from the suggestion, lock now, the lock screen, waits after wrong passcodes, idle lock, change and turn off', async ({ page, harness, call, shot, leaks }) => {
  test.setTimeout(120_000)
  leaks.track(PASSCODE)
  leaks.track(NEXT_PASSCODE)
  const { instanceId } = await onboardThroughApi(harness)
  const tenants = (await call('tenants.list', {})).filter((t) => t.instanceId === instanceId && t.total > 0)
  const rows = await call('inventory.query', { limit: 5, offset: 0 })
  const names = [...tenants.map((t) => t.name), ...rows.rows.map((r) => r.name)]
  expect(names.length).toBeGreaterThan(2)

  // No passcode yet, one instance: a one-line suggestion, which leads to Settings → Lock.
  const suggestion = page.getByRole('note', { name: 'Suggestion' })
  await expect(suggestion).toContainText('set an app passcode')
  await shot('suggestion')
  await suggestion.getByRole('button', { name: 'Set a passcode…' }).click()
  const section = page.getByRole('region', { name: 'Lock', exact: true })
  await expect(section.getByText('Off', { exact: true })).toBeVisible()
  await expect(section.getByRole('button', { name: 'Lock now' })).toHaveCount(0)
  await expect(section.getByLabel('Passcode', { exact: true })).toBeFocused()

  // Twice, at least 6 characters.
  await section.getByLabel('Passcode', { exact: true }).fill('12345')
  await section.getByRole('button', { name: 'Set passcode' }).click()
  await expect(section.getByText('A passcode needs at least 6 characters.')).toBeVisible()
  await section.getByLabel('Passcode', { exact: true }).fill(PASSCODE)
  await section.getByLabel('Repeat the passcode').fill(`${PASSCODE}x`)
  await section.getByRole('button', { name: 'Set passcode' }).click()
  await expect(section.getByText('The two passcodes differ: type the same one twice.')).toBeVisible()
  expect(answered(harness, 'lock.setPasscode')).toBe(0)
  await section.getByLabel('Repeat the passcode').fill(PASSCODE)
  await section.getByRole('button', { name: 'Set passcode' }).click()
  await expect(section.getByRole('status').filter({ hasText: 'Passcode set.' })).toBeVisible()
  await expect(section.getByText('On', { exact: true })).toBeVisible()
  await expect(section.getByLabel('Current passcode')).toHaveValue('')
  await expect(suggestion).toHaveCount(0)
  expect(await call('lock.status', {})).toMatchObject({ enabled: true, locked: false })
  await section.scrollIntoViewIfNeeded()
  await shotLayouts(page, shot, 'settings-lock-on')
  expect(await seriousViolations(page), 'settings with the lock section').toEqual([])

  // Ctrl+L is documented, and Lock now is in the palette.
  await page.keyboard.press('?')
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
  await expect(shortcuts.getByText('Lock the app now (with a passcode set in Settings)')).toBeVisible()
  await shortcuts.getByRole('button', { name: 'Close' }).click()
  await page.keyboard.press('Control+k')
  const palette = page.getByRole('dialog', { name: 'Commands' })
  await palette.getByRole('combobox').fill('lock')
  await expect(palette.getByRole('option').first()).toContainText('Lock now')
  await page.keyboard.press('Escape')
  await expect(palette).toHaveCount(0)

  // Ctrl+L: the lock screen replaces everything; the core refuses meanwhile, a reload stays locked.
  await page.keyboard.press('Alt+1')
  await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  await page.keyboard.press('Control+l')
  await expectLocked(page, names)
  await expect(page.getByLabel('Passcode')).toBeFocused()
  await expect(page.getByRole('button', { name: 'Use Touch ID' })).toHaveCount(0)
  expect(await page.title()).toBe('Fluxbase Keys (locked)')
  const refused = await harness.host.dispatch('inventory.query', { limit: 1, offset: 0 })
  expect(refused.ok ? null : refused.error.code).toBe('locked')
  await page.reload()
  await expectLocked(page, names)
  await shotLayouts(page, shot, 'lock-screen')
  expect(await seriousViolations(page), 'lock screen').toEqual([])

  // A wrong passcode says so; after three, the wait before the next try counts down.
  const field = page.getByLabel('Passcode')
  const unlock = page.getByRole('button', { name: 'Unlock' })
  for (let i = 0; i < 3; i++) {
    await field.fill(`wrong ${i} passcode`)
    await unlock.click()
    if (i < 2) await expect(page.getByRole('alert')).toHaveText('That passcode is not right. Try again.')
    await expect(field).toHaveValue('')
  }
  const wait = page.getByRole('status').filter({ hasText: 'Too many wrong passcodes.' })
  await expect(unlock).toBeEnabled({ timeout: 5000 }) // the first wait is a second
  await field.fill('wrong 3 passcode')
  await unlock.click()
  await expect(wait).toContainText(/You can try again in [12] seconds?\./)
  await expect(unlock).toBeDisabled()
  await shot('lock-wait')
  await expect(wait).toHaveCount(0, { timeout: 5000 })
  await expect(unlock).toBeEnabled()

  // The right one: everything is back, nothing stale said about the refusals.
  await field.fill(PASSCODE)
  await unlock.click()
  await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
  await expect(page.getByRole('grid', { name: 'Service keys' }).locator('[role=row][data-index="0"]')).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: /locked/i })).toHaveCount(0)

  // Activity tells the core, at most every 10 seconds.
  const touchFrom = harness.bridge.records.length
  const grid = page.getByRole('grid', { name: 'Service keys' })
  await grid.focus()
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('ArrowDown')
    await page.mouse.down()
    await page.mouse.up()
  }
  await harness.bridge.flush()
  expect(answered(harness, 'lock.touch', touchFrom), 'lock.touch within a few seconds').toBeLessThanOrEqual(1)

  // The core locks by itself after the idle time (and the screen follows its app.status).
  await page.keyboard.press('Alt+4')
  const idle = page.getByLabel('Lock after idle (minutes)')
  await expect(idle).toHaveValue('15')
  await idle.fill('1')
  await page.getByRole('button', { name: 'Save idle time' }).click()
  await expect(page.getByRole('region', { name: 'Lock', exact: true }).getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  // The clicks' touches are in before the minute starts; what the window reads by itself after
  // the jump (its timers fire, warnings come due) is not activity and must not hold the lock off.
  await harness.bridge.flush()
  await harness.advance(61_000)
  await expectLocked(page, names)
  await page.getByLabel('Passcode').fill(PASSCODE)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()

  // Locked from outside (the OS lock, sleep): the screen follows at once.
  await call('lock.lock', {})
  await expectLocked(page, names)
  await page.getByLabel('Passcode').fill(PASSCODE)
  await page.getByRole('button', { name: 'Unlock' }).click()

  // Change needs the current passcode; so does turning it off.
  const lockSection = page.getByRole('region', { name: 'Lock', exact: true })
  await lockSection.getByLabel('Current passcode').fill('not the passcode')
  await lockSection.getByLabel('New passcode', { exact: true }).fill(NEXT_PASSCODE)
  await lockSection.getByLabel('Repeat the new passcode').fill(NEXT_PASSCODE)
  await lockSection.getByRole('button', { name: 'Change passcode' }).click()
  await expect(lockSection.getByText('The current passcode is not right.')).toBeVisible()
  await lockSection.getByLabel('Current passcode').fill(PASSCODE)
  await lockSection.getByRole('button', { name: 'Change passcode' }).click()
  await expect(lockSection.getByRole('status').filter({ hasText: 'Passcode changed.' })).toBeVisible()
  await lockSection.getByRole('button', { name: 'Lock now' }).click()
  await expectLocked(page, names)
  await page.getByLabel('Passcode').fill(NEXT_PASSCODE)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await lockSection.getByRole('button', { name: 'Turn the passcode off' }).click()
  await expect(lockSection.getByText('Enter the current passcode to turn it off.')).toBeVisible()
  await lockSection.getByLabel('Current passcode').fill(NEXT_PASSCODE)
  await lockSection.getByRole('button', { name: 'Turn the passcode off' }).click()
  await expect(lockSection.getByRole('status').filter({ hasText: 'Passcode turned off' })).toBeVisible()
  await expect(lockSection.getByRole('button', { name: 'Lock now' })).toHaveCount(0)
  expect(await call('lock.status', {})).toMatchObject({ enabled: false, locked: false })
  await page.keyboard.press('Control+l')
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  await leaks.assertClean()
})

test.describe('where the device can confirm it is you', () => {
  let confirm = true
  test.use({ harnessOptions: { biometric: { available: () => true, verify: async () => confirm } } })

  test('Use Touch ID unlocks; a refusal says to enter the passcode; the suggestion once dismissed stays away', async ({ page, harness, call, shot, leaks }) => {
    leaks.track(PASSCODE)
    await onboardThroughApi(harness)

    // Not now: the suggestion goes, also after a reload.
    const suggestion = page.getByRole('note', { name: 'Suggestion' })
    await suggestion.getByRole('button', { name: 'Not now' }).click()
    await expect(suggestion).toHaveCount(0)
    await page.reload()
    await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
    await expect(suggestion).toHaveCount(0)

    await call('lock.setPasscode', { passcode: PASSCODE })
    await call('lock.lock', {})
    await expect(page.getByRole('heading', { name: 'Fluxbase Keys is locked' })).toBeVisible()
    const device = page.getByRole('button', { name: 'Use Touch ID' })
    await expect(device).toBeVisible()
    await shot('lock-screen-touch-id')
    confirm = false
    await device.click()
    await expect(page.getByRole('alert')).toHaveText('The device did not confirm it is you; enter the passcode.')
    confirm = true
    await device.click()
    await expect(page.getByRole('grid', { name: 'Service keys' })).toBeVisible()
    expect((await call('lock.status', {})).locked).toBe(false)
    await leaks.assertClean()
  })
})

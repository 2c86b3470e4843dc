// The app lock, through the real host: the core refuses while locked (not only the UI hiding
// things), nothing it pushes or shows carries names, wrong passcodes wait longer, idle and
// restart lock, and a value the keychain refused survives a reload of the window.
import { afterEach, describe, expect, it } from 'vitest'
import { isKeyValueAccount, KeychainWriteFailureInjector } from '../../e2e/harness/fakes'
import { createKeytarStore } from '../../src/core/secrets'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const PASSCODE = 'correct horse battery'

describe('the app lock', () => {
  let fx: CoreFixture
  afterEach(async () => fx?.close())

  it('is off until a passcode is set; then the core refuses everything but the way in', async () => {
    fx = await coreFixture({ emulator: { seed: { tenants: 2, keysPerTenant: 3, seed: 6 } } })
    const { instanceId } = await fx.onboard()
    expect(await fx.call('lock.lock', {})).toMatchObject({ enabled: false, locked: false })
    expect((await fx.fail('lock.setPasscode', { passcode: 'short' })).code).toBe('invalid_input')
    expect(await fx.call('lock.setPasscode', { passcode: PASSCODE })).toMatchObject({ enabled: true, locked: false })
    const key = (await fx.call('inventory.query', { limit: 1 })).rows[0]!
    const ref = { instanceId, tenantId: key.tenantId, keyId: key.id }

    expect((await fx.call('lock.lock', {})).locked).toBe(true)
    expect((await fx.call('app.status', {})).locked).toBe(true)
    for (const [name, input] of [['inventory.query', {}], ['tenants.list', {}], ['keys.get', ref], ['keys.copyValue', ref], ['keys.disable', ref],
      ['sync.run', {}], ['export.save', { format: 'csv', query: {} }], ['instances.list', {}], ['settings.set', { clipboardClearSeconds: 9 }], ['lock.disable', { current: PASSCODE }]] as const) {
      const error = await fx.fail(name, input as never)
      expect(error, name).toMatchObject({ code: 'locked', message: 'Fluxbase Keys is locked: unlock it with your passcode first.' })
    }
    expect((await fx.fail('lock.unlock', { passcode: 'wrong one' })).message).toBe('That passcode is not right. Try again.')
    expect(await fx.call('lock.unlock', { passcode: PASSCODE })).toMatchObject({ locked: false })
    expect((await fx.call('inventory.query', { limit: 1 })).total).toBeGreaterThan(0)
  }, 60_000)

  it('while locked, notifications and events name no key and no tenant', async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    const tenantId = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!.id
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'secretive-payroll-key', keyType: 'service', scopes: ['*'] } })
    await fx.call('keys.deprecate', { ref: { instanceId, tenantId, keyId: created.key.id }, graceHours: 1 })
    await fx.call('lock.setPasscode', { passcode: PASSCODE })
    await fx.call('lock.lock', {})
    const from = fx.events.length
    const shownFrom = fx.notifications.length
    fx.emulator.clock.advance(2 * 3_600_000)
    await fx.host.checkSchedule()
    const warnings = fx.events.slice(from).filter((e) => e.event === 'warning')
    expect(warnings.length).toBeGreaterThan(0)
    const pushed = JSON.stringify(fx.events.slice(from)) + JSON.stringify(fx.notifications.slice(shownFrom))
    expect(pushed).not.toContain('secretive-payroll-key')
    expect(pushed).not.toContain(tenantId)
    expect(fx.notifications.slice(shownFrom).every((n) => n.title === 'A key needs attention' && n.ref === null)).toBe(true)
  }, 60_000)

  it('wrong passcodes make the next try wait, longer each time', async () => {
    fx = await coreFixture()
    await fx.call('lock.setPasscode', { passcode: PASSCODE })
    await fx.call('lock.lock', {})
    for (let i = 0; i < 3; i++) await fx.fail('lock.unlock', { passcode: `wrong-${i}` })
    const status = await fx.call('lock.status', {})
    expect(status.retryAt).not.toBeNull()
    // Even the right passcode waits now.
    expect((await fx.fail('lock.unlock', { passcode: PASSCODE })).message).toMatch(/^Too many wrong passcodes: try again in \d+ seconds\.$/)
    fx.emulator.clock.advance(2_000)
    expect((await fx.call('lock.unlock', { passcode: PASSCODE })).locked).toBe(false)
  }, 60_000)

  it('starts locked when a passcode is set, locks when idle, and changing or removing the passcode needs the current one', async () => {
    fx = await coreFixture()
    await fx.call('lock.setPasscode', { passcode: PASSCODE })
    await fx.restart()
    expect((await fx.call('lock.status', {})).locked).toBe(true)
    await fx.call('lock.unlock', { passcode: PASSCODE })
    await fx.call('lock.setIdleMinutes', { minutes: 1 })
    fx.emulator.clock.advance(61_000)
    for (let i = 0; i < 40 && !(await fx.call('lock.status', {})).locked; i++) await new Promise((r) => setTimeout(r, 250))
    expect((await fx.call('lock.status', {})).locked).toBe(true)
    await fx.call('lock.unlock', { passcode: PASSCODE })
    expect((await fx.fail('lock.setPasscode', { passcode: 'a new passcode', current: 'not it' })).code).toBe('invalid_input')
    await fx.call('lock.setPasscode', { passcode: 'a new passcode', current: PASSCODE })
    expect((await fx.fail('lock.disable', { current: PASSCODE })).code).toBe('invalid_input')
    expect(await fx.call('lock.disable', { current: 'a new passcode' })).toMatchObject({ enabled: false, locked: false })
  }, 60_000)

  it('the reads a window makes by itself are not activity: an idle app locks while they go on', async () => {
    fx = await coreFixture()
    const { instanceId } = await fx.onboard()
    await fx.call('lock.setPasscode', { passcode: PASSCODE })
    await fx.call('lock.setIdleMinutes', { minutes: 1 })
    const tenantId = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!.id
    const key = (await fx.call('inventory.query', { limit: 1, offset: 0 })).rows[0]!
    const ref = { instanceId, tenantId: key.tenantId, keyId: key.id }
    fx.emulator.clock.advance(61_000)
    // What the UI asks after a sync, a warning or on its timers, again and again.
    let locked = false
    for (let i = 0; i < 40 && !locked; i++) {
      for (const [name, input] of [
        ['attention.count', {}], ['attention.list', {}], ['inventory.query', { limit: 50, offset: 0 }], ['inventory.count', {}],
        ['tenants.list', {}], ['instances.list', {}], ['settings.get', {}], ['keys.get', ref], ['keys.unsaved', {}], ['app.status', {}]
      ] as const) await fx.host.dispatch(name, input)
      locked = (await fx.call('lock.status', {})).locked
      if (!locked) await new Promise((r) => setTimeout(r, 250))
    }
    expect(locked).toBe(true)
    expect(tenantId).toBeTruthy()
    // A touch (a key or click in the window) or an action is activity: after unlocking, a touch
    // at 50 s keeps it open past the first minute.
    await fx.call('lock.unlock', { passcode: PASSCODE })
    fx.emulator.clock.advance(50_000)
    await fx.call('lock.touch', {})
    fx.emulator.clock.advance(20_000)
    await new Promise((r) => setTimeout(r, 5_500)) // one idle check (every 5 s) has run
    expect((await fx.call('lock.status', {})).locked).toBe(false)
  }, 60_000)

  it('a value the keychain refused is held by the core until dismissed: a reload of the window finds it again', async () => {
    const injector = new KeychainWriteFailureInjector(createKeytarStore({ service: `Fluxbase Keys test lock ${Date.now()}` }), isKeyValueAccount)
    injector.armed = true
    fx = await coreFixture({ secrets: injector })
    const { instanceId } = await fx.onboard()
    const tenantId = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!.id
    const created = await fx.call('keys.create', { instanceId, tenantId, input: { name: 'only-copy', keyType: 'service', scopes: ['*'] } })
    if (created.storedInKeychain) throw new Error('expected the keychain to refuse')
    // The window reloads: it asks the core, which still has the only copy.
    const { values } = await fx.call('keys.unsaved', {})
    expect(values).toEqual([expect.objectContaining({ id: created.unsavedId, keyName: 'only-copy', unsavedValue: created.unsavedValue })])
    await fx.call('keys.dismissUnsaved', { id: created.unsavedId })
    expect((await fx.call('keys.unsaved', {})).values).toEqual([])
  }, 60_000)
})

// A host opened without the schedule (the CLI: runSchedule false) beside the app's: it shows no
// warning, marks none as sent (so the app still shows it) and takes no automatic action.
import { afterEach, describe, expect, it } from 'vitest'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const HOUR = 3_600_000

describe('a host without the schedule', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('warns about nothing and finishes no rotation; the app opened afterwards still warns and finishes', async () => {
    fx = await coreFixture({ runSchedule: false })
    const { instanceId } = await fx.onboard()
    const tenant = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!
    await fx.call('tenants.setAutoFinishRotation', { instanceId, tenantId: tenant.id, on: true })
    const created = await fx.call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'cli-watched', keyType: 'service', scopes: ['*'] } })
    const ref = { instanceId, tenantId: tenant.id, keyId: created.key.id }
    await fx.call('keys.rotate', { ref, graceHours: 1 })

    // Inside the last hour of grace, then past it: a scheduled host would have warned and disabled.
    fx.emulator.clock.advance(30 * 60_000)
    await fx.host.checkSchedule()
    fx.emulator.clock.advance(HOUR)
    await fx.call('sync.run', {})
    await fx.host.checkSchedule()
    expect(fx.notifications, 'no warning shown').toEqual([])
    expect(fx.events.filter((e) => e.event === 'warning'), 'no warning event').toEqual([])
    expect((await fx.call('keys.get', ref)).key.enabled, 'the old key is still enabled').toBe(true)

    // The app (schedule on) on the same data dir: the warning was not taken from it.
    await fx.restart({ runSchedule: true })
    await fx.call('sync.run', {})
    await fx.host.checkSchedule()
    await expect.poll(async () => (await fx.call('keys.get', ref)).key.enabled, { timeout: 10_000 }).toBe(false)
    // The demo tenants' own deadlines come too, so the app's first check sends one summary.
    const ours = fx.notifications.filter((w) => w.ref?.keyId === ref.keyId || (w.kind === 'summary' && /grace period ended/.test(w.body)))
    expect(ours, 'the app warns about the ended grace').toHaveLength(1)
  }, 60_000)
})

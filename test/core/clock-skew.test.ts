// A wrong clock on this computer must never make the app do something irreversible early
// (the audit: a clock 25 h fast made automatic finish-rotation disable an old key while the
// server's grace had ~24 h left). Deadlines are read on the server's clock, from its Date.
import { afterEach, describe, expect, it } from 'vitest'
import { coreFixture, type CoreFixture } from '../support/core-fixture'

const HOUR = 3_600_000
const MIN = 60_000

async function rotateWithAutoFinish(fx: CoreFixture, graceHours: number) {
  const { instanceId } = await fx.onboard()
  const tenant = (await fx.call('tenants.list', {})).find((t) => !t.isDefault)!
  await fx.call('tenants.setAutoFinishRotation', { instanceId, tenantId: tenant.id, on: true })
  const created = await fx.call('keys.create', { instanceId, tenantId: tenant.id, input: { name: 'clock-watched', keyType: 'service', scopes: ['*'] } })
  const ref = { instanceId, tenantId: tenant.id, keyId: created.key.id }
  await fx.call('keys.rotate', { ref, graceHours })
  return { instanceId, ref }
}

describe('clock skew', () => {
  let fx: CoreFixture
  afterEach(async () => fx.close())

  it('a clock 25 h fast: the grace is read on the server clock, and the automatic finish waits, saying why', async () => {
    fx = await coreFixture({ appClockAheadMs: 25 * HOUR })
    const { instanceId, ref } = await rotateWithAutoFinish(fx, 1)
    const status = await fx.call('app.status', {})
    const clock = status.clocks.find((c) => c.instanceId === instanceId)
    expect(clock?.automaticActionsPaused).toBe(true)
    expect(Math.abs((clock?.skewMs ?? 0) + 25 * HOUR)).toBeLessThan(5_000)
    // By this computer's clock the grace ended a day ago; by the server's it has ~1 h left.
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(true)
    // Past the server's grace end too: still nothing automatic while the clocks disagree this much.
    fx.emulator.clock.advance(2 * HOUR)
    await fx.call('sync.run', {})
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(true)
    expect(fx.logLines.some((l) => /automatic finish-rotation .* waits: the clocks differ by -1500 min/.test(l))).toBe(true)
  }, 60_000)

  it('a clock 2 min fast: the rotation finishes at the server\'s grace end, not before', async () => {
    fx = await coreFixture({ appClockAheadMs: 2 * MIN })
    const { instanceId, ref } = await rotateWithAutoFinish(fx, 1)
    expect((await fx.call('app.status', {})).clocks.find((c) => c.instanceId === instanceId)?.automaticActionsPaused).toBe(false)
    fx.emulator.clock.advance(59 * MIN) // this computer says 61 min: past; the server says 59: not yet
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(true)
    fx.emulator.clock.advance(2 * MIN)
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(false)
  }, 60_000)

  it('right after a restart the server clock is unknown: nothing automatic until an answer tells it', async () => {
    fx = await coreFixture()
    const { ref } = await rotateWithAutoFinish(fx, 1)
    fx.emulator.clock.advance(2 * HOUR)
    await fx.restart()
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(true)
    await fx.call('sync.run', {})
    await fx.host.checkSchedule()
    expect((await fx.call('keys.get', ref)).key.enabled).toBe(false)
  }, 60_000)
})

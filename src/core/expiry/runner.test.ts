// The schedule runner on a real cache file: what a sync tells it, and when it reads the keys.
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WarningEvent } from '../../shared/contract'
import { openCache, type Cache, type ServerKey } from '../cache'
import { createSettingsStore } from '../settings/store'
import { instance, NOW, serverKey, tempDir, uuidOf, replaceTenantKeys } from '../../../test/support/cache-fixtures'
import { ScheduleRunner } from './runner'

const HOUR = 3_600_000
const T1 = uuidOf(30, 1)
const iso = (ms: number): string => new Date(ms).toISOString()

let cache: Cache
let runner: ScheduleRunner
let finished: string[]
let warnings: WarningEvent[]
let reads: number
/** The server clock's offset as the runner sees it (null: not known yet). */
let skew: number | null

/** Key n: used at `usedAt`, its grace ending `graceEndsIn` from now (deprecated a day ago). */
const key = (n: number, usedAt: string, graceEndsIn = 30 * 60_000): ServerKey =>
  serverKey({ id: uuidOf(31, n), name: `worker-${n}`, lastUsedAt: usedAt, deprecatedAt: iso(NOW - 24 * HOUR), gracePeriodEndsAt: iso(NOW + graceEndsIn) })

beforeEach(() => {
  cache = openCache(path.join(tempDir(), 'c.sqlite'))
  cache.upsertInstance(instance('i1'))
  cache.upsertTenants('i1', [{ id: T1, slug: 'one', name: 'One', isDefault: true }])
  warnings = []
  reads = 0
  skew = 0
  finished = []
  // The real cache, with its reads of the watched keys counted.
  const counted: Cache = Object.create(cache) as Cache
  counted.scheduledKeys = (until) => { reads++; return cache.scheduledKeys(until) }
  runner = new ScheduleRunner({
    cache: counted, settings: createSettingsStore(cache), now: () => NOW, log: () => undefined,
    notifier: { show: () => undefined }, emitWarning: (w) => warnings.push(w),
    finishRotation: async (ref) => { finished.push(ref.keyId) }, skewOf: () => skew
  })
})
afterEach(async () => {
  await runner.close()
  await cache.close()
})

describe('ScheduleRunner after a sync', () => {
  it('reads the keys again only when a sync moved a deadline or a status; other changes always', async () => {
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-01T00:00:00.000Z'), key(2, '2026-05-01T00:00:00.000Z')], 'S1')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(1)
    expect(warnings.map((w) => w.kind)).toEqual(['grace_ending', 'grace_ending'])

    // A re-sync that only moved last uses: nothing new for the schedule.
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-30T00:00:00.000Z'), key(2, '2026-05-31T00:00:00.000Z')], 'S2')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(1)

    // The server moved a grace end: read again, and the new end gets its own warning.
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-30T00:00:00.000Z', 20 * 60_000), key(2, '2026-05-31T00:00:00.000Z')], 'S3')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(2)
    expect(warnings).toHaveLength(3)

    // A key gone, or a key added: read again.
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-30T00:00:00.000Z', 20 * 60_000)], 'S4')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(3)
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-30T00:00:00.000Z', 20 * 60_000), key(3, '2026-05-30T00:00:00.000Z')], 'S5')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(4)

    // A local fact that moves a grace end (a rotation of this app), with no sync.
    cache.patchLocal({ instanceId: 'i1', tenantId: T1, keyId: uuidOf(31, 3) }, { localGraceEndsAt: iso(NOW + 5 * 60_000) })
    await runner.inventoryChanged('sync')
    expect(reads).toBe(5)

    // Any other reason (a setting, an action, another process's writes) always looks again.
    await runner.inventoryChanged('attention_settings')
    expect(reads).toBe(6)
  })

  it('still looks after a sync while an automatic finish waits for the server clock', async () => {
    cache.setAutoFinishRotation('i1', T1, true)
    // Grace ended an hour ago; the server's clock is not known yet: the finish waits.
    skew = null
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-01T00:00:00.000Z', -HOUR)], 'S1')
    await runner.inventoryChanged('sync')
    expect(finished).toEqual([])
    // A sync that moved nothing, whose answers told the clock: looked at again, and finished.
    skew = 1000
    replaceTenantKeys(cache, 'i1', T1, [key(1, '2026-05-02T00:00:00.000Z', -HOUR)], 'S2')
    await runner.inventoryChanged('sync')
    expect(reads).toBe(2)
    expect(finished).toEqual([uuidOf(31, 1)])
  })
})

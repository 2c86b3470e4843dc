import { describe, expect, it } from 'vitest'
import type { KeyMeta } from '../../shared/domain'
import { seededRandom } from '../../../test/support/random'
import { DEFAULT_EXPIRY_SETTINGS, expirySettingsFromMinutes, planHorizon, planWarnings, type PlanKey, type SchedulePlan } from './index'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const T0 = Date.parse('2026-03-02T12:00:00.000Z')
const iso = (ms: number): string => new Date(ms).toISOString()
const opts = { timeZone: 'UTC' }

let seq = 0
function key(over: Partial<PlanKey> = {}): PlanKey {
  seq++
  const base: KeyMeta = {
    instanceId: 'inst', tenantId: '00000000-0000-4000-8000-000000000001', id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    name: `key-${seq}`, description: null, keyPrefix: 'fbk_ab', keyType: 'service', scopes: ['*'], allowedNamespaces: null,
    enabled: true, rateLimitPerMinute: null, rateLimitPerHour: null, createdBy: null, createdAt: iso(T0 - 30 * DAY),
    lastUsedAt: null, expiresAt: null, revokedAt: null, deprecatedAt: null, gracePeriodEndsAt: null, replacedBy: null,
    localGraceEndsAt: null, revocationReason: null, hasStoredValue: false, orphan: false, localReplacedBy: null, syncedAt: iso(T0)
  }
  return { ...base, tenantName: 'acme', ...over }
}
/** A deprecated key whose grace ends at `end`, deprecated long enough ago for all leads. */
const graceKey = (end: number, over: Partial<PlanKey> = {}): PlanKey =>
  key({ deprecatedAt: iso(end - 3 * DAY), localGraceEndsAt: iso(end), ...over })

/** What the host does: notify, then persist every due id. */
function step(now: number, keys: PlanKey[], sent: Set<string>, o: Parameters<typeof planWarnings>[4] = opts): SchedulePlan {
  const plan = planWarnings(now, keys, sent, DEFAULT_EXPIRY_SETTINGS, o)
  for (const w of plan.due) sent.add(w.id)
  return plan
}
const kinds = (p: SchedulePlan): string[] => p.due.map((w) => `${w.kind}@${w.leadMs / MIN}m`)

describe('grace warnings', () => {
  it('crosses thresholds one by one as the clock moves, each once', () => {
    const end = T0 + 2 * DAY
    const keys = [graceKey(end, { name: 'billing-worker' })]
    const sent = new Set<string>()
    const timeline: [number, string[]][] = [
      [end - 25 * HOUR, []],
      [end - 24 * HOUR, ['grace_ending@1440m']],
      [end - 23 * HOUR, []],
      [end - HOUR, ['grace_ending@60m']],
      [end - 30 * MIN, []],
      [end - 10 * MIN, ['grace_ending@10m']],
      [end - 1, []],
      [end, ['grace_ended@0m']],
      [end + DAY, []]
    ]
    for (const [now, expected] of timeline) expect(kinds(step(now, keys, sent)), iso(now)).toEqual(expected)
  })

  it('writes titles and bodies with names and times, never a value', () => {
    const end = Date.parse('2026-03-02T14:05:00.000Z')
    // A whole key row (as a caller might pass one), prefix included: the texts use none of it.
    const row = Object.assign(graceKey(end, { name: 'billing-worker' }), { keyPrefix: 'fbk_SECRETISH' })
    const plan = planWarnings(end - HOUR, [row], new Set(), undefined, opts)
    expect(plan.due).toHaveLength(1)
    const [w] = plan.due
    expect(w?.title).toBe('Grace period ends in 1 hour')
    expect(w?.body).toBe('"billing-worker" (acme): its replacement must be deployed before 14:05.')
    expect(w?.eventAt).toBe('2026-03-02T14:05:00.000Z')
    expect(JSON.stringify(plan)).not.toContain('fbk_')
  })

  it('includes the date when the event is not today, and reads well when woken late', () => {
    const end = Date.parse('2026-03-03T09:30:00.000Z')
    const [w] = planWarnings(end - 24 * HOUR + 5 * MIN, [graceKey(end)], new Set(), undefined, opts).due
    expect(w?.title).toBe('Grace period ends in 1 day')
    expect(w?.body).toContain('before Tue 3 Mar, 09:30')
    const [late] = planWarnings(end - HOUR + 20_000, [graceKey(end)], new Set(), undefined, opts).due
    expect(late?.title).toBe('Grace period ends in 1 hour')
  })

  it('after days offline sends only the most urgent warning, and a re-run sends nothing', () => {
    const end = T0
    const keys = [graceKey(end)]
    const sent = new Set<string>()
    const plan = step(end + 2 * DAY, keys, sent)
    expect(kinds(plan)).toEqual(['grace_ended@0m'])
    expect(plan.due[0]?.title).toBe('Grace period ended')
    expect(plan.graceEnded).toEqual([{ instanceId: 'inst', tenantId: keys[0]?.tenantId, keyId: keys[0]?.id }])
    const again = step(end + 2 * DAY + MIN, keys, sent)
    expect(again.due).toEqual([])
    expect(again.graceEnded).toEqual([])
    expect(again.nextWakeAt).toBeNull()
  })

  it('a jump forward past two thresholds sends the later one only', () => {
    const end = T0 + DAY
    const keys = [graceKey(end)]
    const sent = new Set<string>()
    expect(kinds(step(end - 2 * DAY, keys, sent))).toEqual([])
    expect(kinds(step(end - 30 * MIN, keys, sent))).toEqual(['grace_ending@60m'])
    expect(kinds(step(end - 5 * MIN, keys, sent))).toEqual(['grace_ending@10m'])
  })

  it('a clock that jumps backward never repeats a warning', () => {
    const end = T0 + DAY
    const keys = [graceKey(end)]
    const sent = new Set<string>()
    expect(kinds(step(end - 5 * MIN, keys, sent))).toEqual(['grace_ending@10m'])
    for (const back of [end - 23 * HOUR, end - 50 * MIN, end - 7 * MIN]) {
      const p = step(back, keys, sent)
      expect(p.due).toEqual([])
      expect(p.nextWakeAt).toBe(end) // only the grace end itself is left
    }
    expect(kinds(step(end, keys, sent))).toEqual(['grace_ended@0m'])
    expect(step(end - 2 * HOUR, keys, sent).due).toEqual([])
  })

  it('a changed grace end yields new warnings', () => {
    const end = T0 + HOUR
    const k = graceKey(end)
    const sent = new Set<string>()
    expect(kinds(step(T0, [k], sent))).toEqual(['grace_ending@60m'])
    const moved = { ...k, localGraceEndsAt: iso(end + 2 * HOUR) }
    const p = step(T0 + MIN, [moved], sent)
    expect(kinds(p)).toEqual(['grace_ending@1440m'])
    expect(p.due[0]?.title).toBe('Grace period ends in 3 hours')
    expect(p.nextWakeAt).toBe(end + HOUR)
  })

  it('the server grace end wins over the local one', () => {
    const k = graceKey(T0 + 5 * HOUR, { gracePeriodEndsAt: iso(T0 + 30 * MIN) })
    const p = planWarnings(T0, [k], new Set(), undefined, opts)
    expect(kinds(p)).toEqual(['grace_ending@60m'])
    expect(p.due[0]?.eventAt).toBe(iso(T0 + 30 * MIN))
  })

  it('the same instant in another ISO spelling keeps the same ids', () => {
    const sent = new Set<string>()
    const k = graceKey(T0 + 30 * MIN)
    step(T0, [k], sent)
    const respelled = { ...k, localGraceEndsAt: '2026-03-02T14:30:00+02:00' }
    expect(planWarnings(T0 + MIN, [respelled], sent, undefined, opts).due).toEqual([])
  })

  it('skips leads that reach back before the deprecation', () => {
    // Deprecated now with a 2 h grace: no "24 h" warning, the first is at 1 h.
    const k = key({ deprecatedAt: iso(T0), localGraceEndsAt: iso(T0 + 2 * HOUR) })
    const p = planWarnings(T0, [k], new Set(), undefined, opts)
    expect(p.due).toEqual([])
    expect(p.nextWakeAt).toBe(T0 + HOUR)
  })

  it('ignores revoked, disabled, expired, undeprecated and grace-less keys', () => {
    const end = T0 + 30 * MIN
    const keys = [
      graceKey(end, { revokedAt: iso(T0 - HOUR) }),
      graceKey(end, { enabled: false }),
      graceKey(end, { expiresAt: iso(T0 - HOUR), revokedAt: iso(T0 - HOUR) }),
      key({ localGraceEndsAt: iso(end) }), // not deprecated
      key({ deprecatedAt: iso(T0 - DAY) }), // deprecated without a grace end (current server's rotate)
      graceKey(end, { localGraceEndsAt: 'not a date' })
    ]
    const p = planWarnings(T0, keys, new Set(), undefined, opts)
    expect(p).toEqual({ due: [], summary: null, graceEnded: [], nextWakeAt: null })
  })

  it('an expired key in grace gets the expiry warning but no grace warnings', () => {
    const k = graceKey(T0 + 30 * MIN, { expiresAt: iso(T0 - MIN) })
    expect(kinds(planWarnings(T0, [k], new Set(), undefined, opts))).toEqual(['expired@0m'])
  })
})

describe('expiry warnings', () => {
  it('walks 7 d, 1 d, 1 h, expired', () => {
    const exp = T0 + 8 * DAY
    const keys = [key({ expiresAt: iso(exp), name: 'ci' })]
    const sent = new Set<string>()
    const seen: string[] = []
    for (let now = T0; now <= exp + HOUR; now += 10 * MIN) seen.push(...kinds(step(now, keys, sent)))
    expect(seen).toEqual(['expiring@10080m', 'expiring@1440m', 'expiring@60m', 'expired@0m'])
  })

  it('texts', () => {
    const exp = Date.parse('2026-03-09T12:00:00.000Z')
    const [w] = planWarnings(exp - 7 * DAY, [key({ expiresAt: iso(exp), name: 'ci' })], new Set(), undefined, opts).due
    expect(w?.title).toBe('Key expires in 7 days')
    expect(w?.body).toBe('"ci" (acme): requests with it will be rejected from Mon 9 Mar, 12:00; issue a replacement before then.')
    const [x] = planWarnings(exp + MIN, [key({ expiresAt: iso(exp), name: 'ci' })], new Set(), undefined, opts).due
    expect(x?.title).toBe('Key expired')
    expect(x?.body).toBe('"ci" (acme) expired at 12:00; requests with it are now rejected.')
  })

  it('omits the tenant when its name is unknown', () => {
    const { tenantName: _omit, ...bare } = key({ expiresAt: iso(T0 + 30 * MIN), name: 'x' })
    expect(planWarnings(T0, [bare], new Set(), undefined, opts).due[0]?.body).toMatch(/^"x": requests/)
  })

  it('revoked keys get none; disabled keys still do (they may be enabled again)', () => {
    const exp = T0 + 30 * MIN
    expect(planWarnings(T0, [key({ expiresAt: iso(exp), revokedAt: iso(T0) })], new Set(), undefined, opts).due).toEqual([])
    expect(kinds(planWarnings(T0, [key({ expiresAt: iso(exp), enabled: false })], new Set(), undefined, opts))).toEqual(['expiring@60m'])
  })

  it('skips leads before the key was created', () => {
    const k = key({ createdAt: iso(T0), expiresAt: iso(T0 + 3 * DAY) })
    const p = planWarnings(T0, [k], new Set(), undefined, opts)
    expect(p.due).toEqual([])
    expect(p.nextWakeAt).toBe(T0 + 2 * DAY)
  })
})

describe('both events on one key', () => {
  it('sends grace and expiry warnings independently', () => {
    const k = graceKey(T0 + 30 * MIN, { expiresAt: iso(T0 + 12 * HOUR) })
    const sent = new Set<string>()
    const p = step(T0, [k], sent)
    expect(kinds(p)).toEqual(['grace_ending@60m', 'expiring@1440m'])
    expect(new Set(p.due.map((w) => w.id)).size).toBe(2)
    expect(p.nextWakeAt).toBe(T0 + 20 * MIN)
    expect(kinds(step(T0 + 20 * MIN, [k], sent))).toEqual(['grace_ending@10m'])
    expect(kinds(step(T0 + 30 * MIN, [k], sent))).toEqual(['grace_ended@0m'])
    expect(step(T0 + 30 * MIN, [k], sent).nextWakeAt).toBe(T0 + 11 * HOUR)
  })
})

describe('nextWakeAt', () => {
  it('is the earliest future threshold over all keys', () => {
    const keys = [graceKey(T0 + 5 * DAY), key({ expiresAt: iso(T0 + 7 * DAY + 3 * HOUR) }), graceKey(T0 + 26 * HOUR)]
    expect(planWarnings(T0, keys, new Set(), undefined, opts).nextWakeAt).toBe(T0 + 2 * HOUR)
  })
  it('is null with nothing to wait for', () => {
    expect(planWarnings(T0, [key()], new Set()).nextWakeAt).toBeNull()
    expect(planWarnings(T0, [], new Set()).nextWakeAt).toBeNull()
  })
  it('waking exactly at it yields a warning', () => {
    const keys = [graceKey(T0 + 5 * DAY), key({ expiresAt: iso(T0 + 3 * HOUR) })]
    const sent = new Set<string>()
    let now = T0
    step(now, keys, sent)
    const seen: string[] = []
    for (let i = 0; i < 10; i++) {
      const wake = planWarnings(now, keys, sent, undefined, opts).nextWakeAt
      if (wake === null) break
      now = wake
      const p = step(now, keys, sent)
      expect(p.due.length, iso(now)).toBeGreaterThan(0)
      seen.push(...kinds(p))
    }
    expect(seen).toEqual(['expiring@60m', 'expired@0m', 'grace_ending@1440m', 'grace_ending@60m', 'grace_ending@10m', 'grace_ended@0m'])
  })
})

describe('coalescing', () => {
  const many = (n: number): PlanKey[] => Array.from({ length: n }, (_, i) => graceKey(T0 - (i + 1) * HOUR))

  it('up to 3 due: no summary', () => {
    expect(planWarnings(T0, many(3), new Set(), undefined, opts).summary).toBeNull()
  })

  it('more than 3 due: one summary, and due still lists all to mark sent', () => {
    const keys = [...many(4), key({ expiresAt: iso(T0 + 30 * MIN) }), key({ expiresAt: iso(T0 - DAY) })]
    const sent = new Set<string>()
    const p = step(T0, keys, sent)
    expect(p.due).toHaveLength(6)
    expect(p.graceEnded).toHaveLength(4)
    expect(p.summary).toMatchObject({ kind: 'expired', ref: p.due[0]?.ref, eventAt: p.due[0]?.eventAt, keyName: '6 keys', title: '6 key warnings' })
    expect(p.summary?.id).toMatch(/^summary:/)
    expect(p.due.map((w) => w.id)).not.toContain(p.summary?.id)
    expect(p.summary?.body).toBe('4 grace periods ended, 1 key expiring, 1 key expired. Open Fluxbase Keys to review them.')
    const again = step(T0 + MIN, keys, sent)
    expect(again.due).toEqual([])
    expect(again.summary).toBeNull()
  })

  it('the threshold is configurable', () => {
    expect(planWarnings(T0, many(2), new Set(), undefined, { coalesceAbove: 1 }).summary?.title).toBe('2 key warnings')
    expect(planWarnings(T0, many(5), new Set(), undefined, { coalesceAbove: 10 }).summary).toBeNull()
  })

  it('due is ordered by event time', () => {
    const p = planWarnings(T0, many(4), new Set(), undefined, opts)
    const times = p.due.map((w) => Date.parse(w.eventAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })
})

describe('settings', () => {
  it('uses custom leads and ignores non-positive or duplicate ones', () => {
    const settings = { graceLeadsMs: [30 * MIN, 30 * MIN, 0, -5], expiryLeadsMs: [2 * DAY] }
    const end = T0 + DAY
    const keys = [graceKey(end), key({ expiresAt: iso(T0 + 3 * DAY) })]
    const sent = new Set<string>()
    const seen: string[] = []
    for (let now = T0; now <= T0 + 3 * DAY; now += 5 * MIN) {
      const p = planWarnings(now, keys, sent, settings, opts)
      for (const w of p.due) sent.add(w.id)
      seen.push(...kinds(p))
    }
    expect(seen).toEqual(['grace_ending@30m', 'grace_ended@0m', 'expiring@2880m', 'expired@0m'])
  })

  it('no leads: only the events themselves', () => {
    const keys = [graceKey(T0 + HOUR)]
    const p = planWarnings(T0, keys, new Set(), { graceLeadsMs: [], expiryLeadsMs: [] }, opts)
    expect(p.due).toEqual([])
    expect(p.nextWakeAt).toBe(T0 + HOUR)
  })

  it('converts the persisted minutes', () => {
    expect(expirySettingsFromMinutes({ graceLeadsMinutes: [60, 10], expiryLeadsMinutes: [1440] })).toEqual({ graceLeadsMs: [HOUR, 10 * MIN], expiryLeadsMs: [DAY] })
  })

  it('defaults', () => {
    expect(DEFAULT_EXPIRY_SETTINGS).toEqual({ graceLeadsMs: [DAY, HOUR, 10 * MIN], expiryLeadsMs: [7 * DAY, DAY, HOUR] })
  })
})

describe('ids', () => {
  it('are stable across runs and distinct per kind, key, event and lead', () => {
    const k = graceKey(T0 + 30 * MIN, { expiresAt: iso(T0 + 30 * MIN) })
    const a = planWarnings(T0, [k], new Set(), undefined, opts).due.map((w) => w.id)
    const b = planWarnings(T0 + MIN, [k], new Set(), undefined, opts).due.map((w) => w.id)
    expect(a).toEqual(b)
    expect(new Set(a).size).toBe(2)
    expect(a).toContain(`grace_ending:inst:${k.tenantId}:${k.id}:${iso(T0 + 30 * MIN)}:3600000`)
  })
})

describe('planHorizon', () => {
  it('reaches as far as the longest lead of each kind, the clock furthest ahead and the next look', () => {
    expect(planHorizon(T0, DEFAULT_EXPIRY_SETTINGS, 0, MIN)).toEqual({ expiresMs: T0 + MIN + 7 * DAY, graceEndMs: T0 + MIN + DAY })
    expect(planHorizon(T0, DEFAULT_EXPIRY_SETTINGS, 2 * HOUR, MIN)).toEqual({ expiresMs: T0 + 2 * HOUR + MIN + 7 * DAY, graceEndMs: T0 + 2 * HOUR + MIN + DAY })
    // A clock behind reads fewer deadlines, never more: the bound stays at this computer's.
    expect(planHorizon(T0, DEFAULT_EXPIRY_SETTINGS, -2 * HOUR, MIN).expiresMs).toBe(T0 + MIN + 7 * DAY)
    expect(planHorizon(T0, { graceLeadsMs: [], expiryLeadsMs: [] }, 0, MIN)).toEqual({ expiresMs: T0 + MIN, graceEndMs: T0 + MIN })
  })

  it('the keys beyond it change nothing a runner looking again within the window would do', () => {
    // Deadlines spread over two years around now, some sent already, on clocks up to 3 h apart.
    const rand = seededRandom(7)
    const skew: Record<string, number> = { a: 0, b: 3 * HOUR, c: -HOUR }
    const keys: PlanKey[] = []
    for (let i = 0; i < 2000; i++) {
      const instanceId = ['a', 'b', 'c'][i % 3] as string
      const end = T0 + Math.round((rand() * 2 - 1) * 365 * DAY * (rand() < 0.5 ? 1 : 0.1))
      keys.push(rand() < 0.5 ? key({ instanceId, expiresAt: iso(end), createdAt: iso(end - 400 * DAY) }) : graceKey(end, { instanceId }))
    }
    const sent = new Set<string>()
    const within = 2 * MIN
    for (const at of [T0, T0 + 20 * HOUR, T0 + 9 * DAY]) {
      const o = { ...opts, serverNow: (id: string) => at + (skew[id] ?? 0) }
      const h = planHorizon(at, DEFAULT_EXPIRY_SETTINGS, 3 * HOUR, within)
      const near = keys.filter((k) => (k.expiresAt !== null && Date.parse(k.expiresAt) <= h.expiresMs) || (k.localGraceEndsAt !== null && Date.parse(k.localGraceEndsAt) <= h.graceEndMs))
      expect(near.length).toBeLessThan(keys.length * 0.7) // about half lie in the past, a few within a week
      const full = planWarnings(at, keys, sent, DEFAULT_EXPIRY_SETTINGS, o)
      const part = planWarnings(at, near, sent, DEFAULT_EXPIRY_SETTINGS, o)
      expect(part.due.map((w) => w.id)).toEqual(full.due.map((w) => w.id))
      expect(full.due.length).toBeGreaterThan(0)
      // The wake-up: the same one where it falls inside the window, and none sooner.
      const capped = (w: number | null) => (w === null ? at + within : Math.min(w, at + within))
      expect(capped(part.nextWakeAt)).toBe(capped(full.nextWakeAt))
      for (const w of full.due) sent.add(w.id)
    }
  })
})

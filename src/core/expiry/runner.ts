// Drives the pure expiry schedule: sends due warnings once (recorded in the cache), fires
// finish-rotation for tenants that opted in, and sleeps until the next threshold. Deadlines are
// read on each instance's server clock (this computer's plus the measured skew), and the one
// irreversible automatic action, finish-rotation, waits while that skew is unknown or large.
import type { KeyRef } from '../../shared/domain'
import { keyStatus } from '../../shared/status'
import { MAX_TRUSTED_SKEW_MS } from '../app/state'
import type { WarningEvent } from '../../shared/contract'
import type { Cache, ScheduledKey } from '../cache'
import type { NotifierPort } from '../ports'
import { toApiError } from '../app/errors'
import type { Log } from '../app/logger'
import type { SettingsReader } from '../settings/store'
import { planHorizon, planWarnings } from './schedule'
import { expirySettingsFromMinutes, type Warning } from './types'

/** Re-check at least this often, so clock jumps and new keys are noticed without an event. */
const MAX_SLEEP_MS = 60_000
/** What an evaluation itself may take, added to the horizon so no stage falls between two. */
const EVALUATION_SLACK_MS = 60_000
/** A failed automatic finish-rotation is tried again after this long, not every minute. */
const RETRY_FINISH_MS = 10 * 60_000

export interface ScheduleDeps {
  cache: Pick<Cache, 'scheduledKeys' | 'notifiedIds' | 'markManyNotified' | 'getTenant' | 'listInstances' | 'deadlineWrites'>
  settings: SettingsReader
  notifier: NotifierPort
  now: () => number
  log: Log
  emitWarning: (warning: WarningEvent) => void
  finishRotation: (ref: KeyRef) => Promise<void>
  /** The instance's server clock minus this computer's, or null while unknown. */
  skewOf: (instanceId: string) => number | null
}

const toEvent = (w: Warning, kind: WarningEvent['kind'] = w.kind): WarningEvent => ({
  id: w.id, kind, ref: w.ref, title: w.title, body: w.body, eventAt: w.eventAt
})

export class ScheduleRunner {
  private timer: ReturnType<typeof setTimeout> | null = null
  private running: Promise<void> | null = null
  private closed = false
  /** Keys whose automatic finish-rotation failed, and when (tried again after RETRY_FINISH_MS). */
  private readonly failedFinish = new Map<string, number>()
  /** Instances whose automatic finish-rotation waits for the clocks, said once in the log. */
  private readonly heldFor = new Set<string>()
  /** cache.deadlineWrites() when the last evaluation read the keys (-1: none yet). */
  private evaluatedWrites = -1

  constructor(private readonly deps: ScheduleDeps) {}

  /** Evaluates now; concurrent calls share one evaluation. */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.running ??= this.evaluate().finally(() => {
      this.running = null
    })
    return this.running
  }

  /**
   * The inventory changed. A sync that moved no deadline and no status (a re-sync mostly
   * moves last uses) brings nothing the last evaluation did not see, and time is the timer's
   * job: at 200,000 keys that skips ~0.5 s of work per sync. Anything else looks again, and so
   * does a sync while an automatic finish waits for a server's clock (its answers tell it).
   */
  inventoryChanged(reason: string): Promise<void> {
    const nothingNew = reason === 'sync' && this.heldFor.size === 0 && this.evaluatedWrites === this.deps.cache.deadlineWrites()
    return nothingNew ? Promise.resolve() : this.check()
  }

  /** Stops the timer and waits for an evaluation under way, so nothing writes after close. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
  }

  private async evaluate(): Promise<void> {
    const { cache, now } = this.deps
    this.evaluatedWrites = cache.deadlineWrites()
    const at = now()
    const serverNow = (instanceId: string): number => at + (this.deps.skewOf(instanceId) ?? 0)
    const settings = expirySettingsFromMinutes(this.deps.settings.read())
    // Only the keys whose deadlines this evaluation or the next wake-up can reach, read on the
    // clock that runs furthest ahead.
    const ahead = Math.max(0, ...cache.listInstances().map((i) => this.deps.skewOf(i.id) ?? 0))
    const horizon = planHorizon(at, settings, ahead, MAX_SLEEP_MS + EVALUATION_SLACK_MS)
    // The keys stream through the plan (the cache must not be called meanwhile); those a
    // finished rotation may concern are kept aside on the way.
    const ended: ScheduledKey[] = []
    const keys = (function* (all: Iterable<ScheduledKey>) {
      for (const key of all) {
        if (key.enabled && keyStatus(key, serverNow(key.instanceId)) === 'grace_ended') ended.push(key)
        yield key
      }
    })(cache.scheduledKeys(horizon))
    const plan = planWarnings(at, keys, cache.notifiedIds(), settings, { serverNow })
    const toShow = plan.summary ? [toEvent(plan.summary, 'summary')] : plan.due.map((w) => toEvent(w))
    for (const warning of toShow) {
      this.deps.notifier.show(warning)
      this.deps.emitWarning(warning)
    }
    cache.markManyNotified(plan.due.map((w) => w.id), new Date(at).toISOString())
    if (plan.due.length > 0) this.deps.log(`schedule: ${plan.due.length} warning(s) sent${plan.summary ? ' as one summary' : ''}`)

    await this.finishEndedRotations(ended, at, serverNow)
    this.arm(plan.nextWakeAt, at)
  }

  /**
   * Every key whose grace ended on its server's clock, still enabled, in a tenant that opted in:
   * disabled now, unless the clocks cannot be trusted (then it waits, and app.status says why).
   * Worked out from the keys, not from a warning sent once, so a held key is done when it can be.
   */
  private async finishEndedRotations(keys: readonly ScheduledKey[], at: number, serverNow: (instanceId: string) => number): Promise<void> {
    const { cache, log } = this.deps
    for (const key of keys) {
      if (keyStatus(key, serverNow(key.instanceId)) !== 'grace_ended' || !key.enabled) continue
      if (!cache.getTenant(key.instanceId, key.tenantId)?.autoFinishRotation) continue
      const skew = this.deps.skewOf(key.instanceId)
      if (skew === null || Math.abs(skew) > MAX_TRUSTED_SKEW_MS) {
        if (!this.heldFor.has(key.instanceId)) {
          this.heldFor.add(key.instanceId)
          log(`schedule: automatic finish-rotation on ${key.instanceId} waits: ${skew === null ? 'the server\'s clock is not known yet' : `the clocks differ by ${Math.round(skew / 60_000)} min`}`)
        }
        continue
      }
      this.heldFor.delete(key.instanceId)
      const failedAt = this.failedFinish.get(key.id)
      if (failedAt !== undefined && at - failedAt < RETRY_FINISH_MS) continue
      const ref: KeyRef = { instanceId: key.instanceId, tenantId: key.tenantId, keyId: key.id }
      try {
        await this.deps.finishRotation(ref)
        this.failedFinish.delete(key.id)
        log(`schedule: finished rotation of ${key.id} automatically`)
      } catch (error) {
        this.failedFinish.set(key.id, at)
        log(`schedule: automatic finish-rotation of ${key.id} failed: ${toApiError(error).message}`)
      }
    }
  }

  private arm(nextWakeAt: number | null, at: number): void {
    if (this.closed) return
    if (this.timer) clearTimeout(this.timer)
    const sleep = nextWakeAt === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(1000, nextWakeAt - at))
    this.timer = setTimeout(() => void this.check(), sleep)
    this.timer.unref?.()
  }
}

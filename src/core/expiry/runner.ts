// Drives the pure expiry schedule: sends due warnings once (recorded in the cache), fires
// finish-rotation for tenants that opted in, and sleeps until the next threshold.
import type { KeyRef } from '../../shared/domain'
import type { WarningEvent } from '../../shared/contract'
import type { Cache } from '../cache'
import type { NotifierPort } from '../ports'
import { toApiError } from '../app/errors'
import type { Log } from '../app/logger'
import type { SettingsReader } from '../settings/store'
import { planWarnings } from './schedule'
import { expirySettingsFromMinutes, type Warning } from './types'

/** Re-check at least this often, so clock jumps and new keys are noticed without an event. */
const MAX_SLEEP_MS = 60_000

export interface ScheduleDeps {
  cache: Pick<Cache, 'scheduledKeys' | 'notifiedIds' | 'markManyNotified' | 'getTenant'>
  settings: SettingsReader
  notifier: NotifierPort
  now: () => number
  log: Log
  emitWarning: (warning: WarningEvent) => void
  finishRotation: (ref: KeyRef) => Promise<void>
}

const toEvent = (w: Warning, kind: WarningEvent['kind'] = w.kind): WarningEvent => ({
  id: w.id, kind, ref: w.ref, title: w.title, body: w.body, eventAt: w.eventAt
})

export class ScheduleRunner {
  private timer: ReturnType<typeof setTimeout> | null = null
  private running: Promise<void> | null = null
  private closed = false

  constructor(private readonly deps: ScheduleDeps) {}

  /** Evaluates now; concurrent calls share one evaluation. */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.running ??= this.evaluate().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** Stops the timer and waits for an evaluation under way, so nothing writes after close. */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.running?.catch(() => undefined)
  }

  private async evaluate(): Promise<void> {
    const { cache, now } = this.deps
    const at = now()
    const plan = planWarnings(at, cache.scheduledKeys(), cache.notifiedIds(), expirySettingsFromMinutes(this.deps.settings.read()))
    const toShow = plan.summary ? [toEvent(plan.summary, 'summary')] : plan.due.map((w) => toEvent(w))
    for (const warning of toShow) {
      this.deps.notifier.show(warning)
      this.deps.emitWarning(warning)
    }
    cache.markManyNotified(plan.due.map((w) => w.id), new Date(at).toISOString())
    if (plan.due.length > 0) this.deps.log(`schedule: ${plan.due.length} warning(s) sent${plan.summary ? ' as one summary' : ''}`)

    for (const ref of plan.graceEnded) {
      const tenant = cache.getTenant(ref.instanceId, ref.tenantId)
      if (!tenant?.autoFinishRotation) continue
      try {
        await this.deps.finishRotation(ref)
        this.deps.log(`schedule: finished rotation of ${ref.keyId} automatically`)
      } catch (error) {
        this.deps.log(`schedule: automatic finish-rotation of ${ref.keyId} failed: ${toApiError(error).message}`)
      }
    }
    this.arm(plan.nextWakeAt, at)
  }

  private arm(nextWakeAt: number | null, at: number): void {
    if (this.closed) return
    if (this.timer) clearTimeout(this.timer)
    const sleep = nextWakeAt === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(1000, nextWakeAt - at))
    this.timer = setTimeout(() => void this.check(), sleep)
    this.timer.unref?.()
  }
}

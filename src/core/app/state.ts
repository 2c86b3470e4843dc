// The app's own state as the UI sees it (app.status): which servers could not be reached,
// whether a sync runs, whether the keychain works. Every change is pushed as an app.status event.
import type { AppStatus } from '../../shared/contract'
import type { Cache } from '../cache'
import type { EventHub } from '../events'

export interface StateDeps {
  version: string
  shell: AppStatus['shell']
  cache: Pick<Cache, 'listTenants' | 'listInstances' | 'recovery'>
  events: Pick<EventHub, 'emit'>
  now: () => number
}

interface Unreachable {
  reason: string
  since: string
}

/**
 * Beyond this, a server's clock and this computer's disagree too much for an irreversible
 * automatic action (finish-rotation disables keys): the operator acts, or the clocks are fixed.
 */
export const MAX_TRUSTED_SKEW_MS = 5 * 60_000
/** A Date header has whole seconds; a sample is trusted to this much plus half its round trip. */
const DATE_RESOLUTION_MS = 1000

export class CoreState {
  private readonly unreachable = new Map<string, Unreachable>()
  private readonly waits = new Map<string, number>()
  private readonly skews = new Map<string, { skewMs: number; errorMs: number }>()
  private syncing = false
  private locked = false
  private keychain: AppStatus['keychain'] = { ok: true, message: null }

  constructor(private readonly deps: StateDeps) {}

  status(): AppStatus {
    const offline = this.offline()
    const unreachable = [...this.unreachable].map(([instanceId, u]) => ({ instanceId, ...u }))
    return {
      version: this.deps.version,
      shell: this.deps.shell,
      offline,
      offlineReason: !offline ? null
        : unreachable.length === 1 ? `${unreachable[0]?.reason ?? ''} You are looking at the cached inventory.`.trim()
          : 'None of your Fluxbase servers could be reached. You are looking at the cached inventory.',
      unreachable,
      clocks: [...this.skews].map(([instanceId, s]) => ({ instanceId, skewMs: s.skewMs, automaticActionsPaused: Math.abs(s.skewMs) > MAX_TRUSTED_SKEW_MS })),
      rateLimited: [...this.waits].map(([instanceId, until]) => ({ instanceId, until: new Date(until).toISOString() })),
      lastSyncAt: this.lastGoodSync(),
      cacheRecovery: this.deps.cache.recovery?.reason ?? null,
      keychain: { ...this.keychain },
      syncing: this.syncing,
      locked: this.locked
    }
  }

  /** The instance's server answered (any answer proves it is reachable). */
  reached(instanceId: string): void {
    if (this.unreachable.delete(instanceId)) this.changed()
  }

  notReached(instanceId: string, reason: string): void {
    const was = this.unreachable.get(instanceId)
    if (was?.reason === reason) return
    this.unreachable.set(instanceId, { reason, since: was?.since ?? new Date(this.deps.now()).toISOString() })
    this.changed()
  }

  /**
   * A server's Date header, against when its request left and its answer came: its clock is
   * `skew` ahead of ours, to within half the round trip and the header's one-second resolution.
   * The tightest sample wins; a much different one (a clock was changed) replaces it.
   */
  clockSample(instanceId: string, sample: { serverDate: number; sentAt: number; receivedAt: number }): void {
    const mid = (sample.sentAt + sample.receivedAt) / 2
    const skewMs = Math.round(sample.serverDate + DATE_RESOLUTION_MS / 2 - mid)
    const errorMs = DATE_RESOLUTION_MS / 2 + Math.max(0, sample.receivedAt - sample.sentAt) / 2
    const known = this.skews.get(instanceId)
    const moved = known !== undefined && Math.abs(known.skewMs - skewMs) > known.errorMs + errorMs
    if (known && !moved && known.errorMs <= errorMs) return
    const pausedBefore = known !== undefined && Math.abs(known.skewMs) > MAX_TRUSTED_SKEW_MS
    this.skews.set(instanceId, { skewMs, errorMs })
    // Tell the UI when it matters to a person: a first reading, or a change of minutes.
    if (!known || moved || pausedBefore !== Math.abs(skewMs) > MAX_TRUSTED_SKEW_MS) this.changed()
  }

  /** The instance's server clock minus ours, or null while no answer has told it. */
  skewOf(instanceId: string): number | null {
    return this.skews.get(instanceId)?.skewMs ?? null
  }

  /** Requests to the instance wait for its server's rate-limit window until then (null: they go again). */
  rateLimitWait(instanceId: string, until: number | null): void {
    if (until === null ? !this.waits.delete(instanceId) : this.waits.get(instanceId) === until) return
    if (until !== null) this.waits.set(instanceId, until)
    this.changed()
  }

  /** A removed instance is nobody's outage. */
  forget(instanceId: string): void {
    this.reached(instanceId)
    if (this.skews.delete(instanceId)) this.changed()
    this.rateLimitWait(instanceId, null)
  }

  setSyncing(on: boolean): void {
    if (this.syncing === on) return
    this.syncing = on
    this.changed()
  }

  setLocked(on: boolean): void {
    if (this.locked === on) return
    this.locked = on
    this.changed()
  }

  isSyncing(): boolean {
    return this.syncing
  }

  keychainWorks(): void {
    if (this.keychain.ok) return
    this.keychain = { ok: true, message: null }
    this.changed()
  }

  keychainFails(message: string): void {
    if (!this.keychain.ok && this.keychain.message === message) return
    this.keychain = { ok: false, message }
    this.changed()
  }

  /** Offline: every configured server is unreachable (one reachable server means work can go on). */
  private offline(): boolean {
    if (this.unreachable.size === 0) return false
    const instances = this.deps.cache.listInstances()
    return instances.length === 0 || instances.every((i) => this.unreachable.has(i.id))
  }

  /** The inventory is as of the newest successful tenant sync, not the newest attempt. */
  private lastGoodSync(): string | null {
    let newest: string | null = null
    for (const { sync } of this.deps.cache.listTenants()) {
      const at = sync.kind === 'fresh' ? sync.at : sync.kind === 'never' ? null : sync.lastGoodAt
      if (at && (!newest || Date.parse(at) > Date.parse(newest))) newest = at
    }
    return newest
  }

  private changed(): void {
    this.deps.events.emit('app.status', this.status())
  }
}

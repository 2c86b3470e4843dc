// Keeps the safety state file in step with the cache: a snapshot shortly after anything that
// may have changed it (every change the UI sees raises inventory.changed; settings say so too),
// and one at close.
import type { Cache } from '../cache'
import type { Log } from '../app/logger'
import { writeSafetyState, type SafetyState } from './state-file'

/** Changes within this window are written together. */
const DEBOUNCE_MS = 200
const SETTINGS_KEY = 'app.settings'

export type KeeperStore = Pick<Cache, 'getSetting' | 'listTenants' | 'keptLocalFacts'>

export class SafetyKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(private readonly deps: {
    cache: KeeperStore
    file: string
    now: () => number
    log: Log
    /** Kept state a restore has not applied yet: written back with the cache's, so none is lost. */
    pending?: () => Pick<SafetyState, 'tenants' | 'keys'>
  }) {}

  changed(): void {
    if (this.closed || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.save()
    }, DEBOUNCE_MS)
    this.timer.unref?.()
  }

  snapshot(): SafetyState {
    const { cache } = this.deps
    const tenants = cache.listTenants().map((t) => ({ instanceId: t.instanceId, tenantId: t.id, selected: t.selected, autoFinishRotation: t.autoFinishRotation }))
    const keys = cache.keptLocalFacts()
    const pending = this.deps.pending?.()
    if (pending) {
      const seen = new Set(tenants.map((t) => `${t.instanceId}/${t.tenantId}`))
      tenants.push(...pending.tenants.filter((t) => !seen.has(`${t.instanceId}/${t.tenantId}`)))
      const had = new Set(keys.map((k) => `${k.ref.instanceId}/${k.ref.tenantId}/${k.ref.keyId}`))
      keys.push(...pending.keys.filter((k) => !had.has(`${k.ref.instanceId}/${k.ref.tenantId}/${k.ref.keyId}`)))
    }
    return { version: 1, savedAt: new Date(this.deps.now()).toISOString(), settings: cache.getSetting<unknown>(SETTINGS_KEY, null), tenants, keys }
  }

  save(): void {
    try {
      writeSafetyState(this.deps.file, this.snapshot())
    } catch (error) {
      // The cache still holds everything; the next change tries again.
      this.deps.log(`safety state: not written (${error instanceof Error ? error.message : String(error)})`)
    }
  }

  /** At close: the last state on disk, and no timer left. */
  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (!this.closed) this.save()
    this.closed = true
  }
}

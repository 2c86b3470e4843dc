// Application-wide state, as Svelte 5 runes. Fed by api calls and by core events.
import type { AppStatus, EventPayload, IssueResult, Settings, TenantOverview } from '../../../shared/contract'
import type { Instance, KeyRef } from '../../../shared/domain'
import { api, errorText, must } from './api'
import { Coalescer } from './coalesce'
import { refId } from './refs'
import { mergeDiscoveredTenants, type Tenant } from './tenants'

/**
 * Reloads after `inventory.changed`: the first change after a quiet spell at once, then at
 * most one per window this long while a burst (a sync, a bulk action) goes on. The tenant
 * counts read every key, so they were never asked more often than this.
 */
export const CHANGE_WINDOW_MS = 250

/** What a reload listener is told: the `reason`s of the events since the previous reload. */
export type ChangeListener = (reasons: string[]) => void

export type View = 'inventory' | 'tenants' | 'settings' | 'add-instance'

export interface Toast {
  id: number
  kind: 'warning' | 'error' | 'info' | 'success'
  title: string
  body: string
  ref: KeyRef | null
}

export interface ClipboardState {
  refKey: string
  keyName: string
  clearsAt: number
  cleared: boolean | null
}

export interface HandOff {
  issued: IssueResult
  /** What produced it: 'Created', or 'Rotated from' / 'Replaced' with the old key's name. */
  origin: string
}

class AppStore {
  status = $state<AppStatus | null>(null)
  instances = $state<Instance[]>([])
  tenants = $state<TenantOverview[]>([])
  settings = $state<Settings | null>(null)
  progress = $state<EventPayload<'sync.progress'> | null>(null)
  view = $state<View>('inventory')
  openRef = $state<KeyRef | null>(null)
  handOff = $state<HandOff | null>(null)
  toasts = $state<Toast[]>([])
  clipboard = $state<ClipboardState | null>(null)
  loaded = $state(false)
  loadError = $state<string | null>(null)
  createOpen = $state(false)
  private toastSeq = 0
  private readonly changeListeners = new Set<ChangeListener>()
  /** The one reload trigger: the core's inventory.changed events, coalesced. */
  private readonly changes = new Coalescer<string>((reasons) => this.reload(reasons), { delayMs: CHANGE_WINDOW_MS, leading: true })

  get offline(): boolean {
    return this.status?.offline ?? false
  }

  /** Why changes are not possible right now, or null when they are. */
  get mutationBlock(): string | null {
    if (this.status?.offline) return 'Offline: changes are disabled until the Fluxbase server can be reached again.'
    return null
  }

  get syncing(): boolean {
    return this.status?.syncing ?? false
  }

  async init(): Promise<void> {
    api.on('app.status', (s) => { this.status = s })
    api.on('sync.progress', (p) => { this.progress = p })
    api.on('inventory.changed', ({ reason }) => { this.changes.signal(reason) })
    api.on('warning', (w) => { this.toast(w.kind === 'summary' ? 'info' : 'warning', w.title, w.body, w.ref, 12_000) })
    api.on('key.open', (ref) => { this.open(ref) })
    api.on('clipboard.cleared', (c) => {
      if (this.clipboard && this.clipboard.refKey === refId(c.ref)) this.clipboard = { ...this.clipboard, cleared: c.cleared }
    })
    try {
      // Tenant summaries count every key by status: fetch them beside the first inventory
      // page instead of holding the first paint back for them.
      const tenants = this.loadTenants()
      const [status, instances, settings] = await Promise.all([
        must(api.app.status({})), must(api.instances.list({})), must(api.settings.get({}))
      ])
      this.status = status
      this.instances = instances
      this.settings = settings
      void tenants
      if (instances.length === 0) this.view = 'add-instance'
    } catch (err) {
      this.loadError = errorText(err)
    } finally {
      this.loaded = true
    }
  }

  /**
   * Calls `listener` once per coalesced burst of core `inventory.changed` events: the only
   * trigger for reloading what a view shows from the inventory (pages, the open key). Returns
   * the unsubscribe function (call it when the view goes away).
   */
  onInventoryChanged(listener: ChangeListener): () => void {
    this.changeListeners.add(listener)
    return () => { this.changeListeners.delete(listener) }
  }

  /** One burst of changes: every view reloads what it shows; the tenant counts and instances too. */
  private async reload(reasons: string[]): Promise<void> {
    for (const listener of [...this.changeListeners]) {
      try {
        listener(reasons)
      } catch (error) {
        console.error('inventory listener failed', error)
      }
    }
    await Promise.all([this.loadTenants(), this.loadInstances()])
  }

  private async loadTenants(): Promise<void> {
    const r = await api.tenants.list({})
    if (r.ok) this.tenants = r.value
  }

  private async loadInstances(): Promise<void> {
    const r = await api.instances.list({})
    if (r.ok) this.instances = r.value
  }

  // What an action answered, applied at once; the reload its inventory.changed event brings
  // confirms it (counts, order). Not reloads: nothing here asks the core.

  /** instances.add answered: the instance and its tenants are known without asking again. */
  instanceAdded(instance: Instance, tenants: Tenant[]): void {
    this.instances = [...this.instances.filter((i) => i.id !== instance.id), instance]
    this.tenantsDiscovered(instance.id, tenants)
  }

  /** instances.remove answered: the instance, its tenants and an open key of it are gone. */
  instanceRemoved(instanceId: string): void {
    this.instances = this.instances.filter((i) => i.id !== instanceId)
    this.tenants = this.tenants.filter((t) => t.instanceId !== instanceId)
    if (this.openRef?.instanceId === instanceId) this.openRef = null
  }

  /**
   * instances.add / instances.rediscover answered with every tenant of the instance: keep the
   * counts of the known ones, new ones have no keys synced yet.
   */
  tenantsDiscovered(instanceId: string, tenants: Tenant[]): void {
    const label = this.instances.find((i) => i.id === instanceId)?.label ?? ''
    this.tenants = mergeDiscoveredTenants(this.tenants, instanceId, label, tenants)
  }

  /** The core told a dialog whether an instance can update keys (a check, a refused update). */
  updateSupportLearned(instanceId: string, updateSupport: Instance['updateSupport']): void {
    this.instances = this.instances.map((i) => (i.id === instanceId && i.updateSupport !== updateSupport ? { ...i, updateSupport } : i))
  }

  /** tenants.select / tenants.setAutoFinishRotation answered ok: what was asked for holds. */
  tenantChanged(instanceId: string, tenantId: string, patch: Partial<Pick<TenantOverview, 'selected' | 'autoFinishRotation'>>): void {
    this.tenants = this.tenants.map((t) => (t.instanceId === instanceId && t.id === tenantId ? { ...t, ...patch } : t))
  }

  /** `firstTenantIds`: the tenants the operator is looking at, synced first. */
  async sync(scope: { instanceId?: string; tenantIds?: string[]; firstTenantIds?: string[] } = {}): Promise<void> {
    this.progress = { done: 0, total: 0, current: null }
    const r = await api.sync.run(scope)
    if (!r.ok) this.toast('error', 'Sync failed', r.error.message)
    else if (r.value.failed > 0) {
      this.toast('warning', 'Sync finished with problems',
        `${r.value.ok} of ${r.value.tenants} tenants synced; ${r.value.failed} failed. See Tenants for why.`)
    }
    // The tenants, the inventory and the status follow from the core's events (app.status,
    // inventory.changed), not from here.
    this.progress = null
  }

  async cancelSync(): Promise<void> {
    await api.sync.cancel({})
  }

  open(ref: KeyRef): void {
    this.view = 'inventory'
    this.openRef = ref
  }

  toast(kind: Toast['kind'], title: string, body = '', ref: KeyRef | null = null, ttlMs = 8000): void {
    const id = ++this.toastSeq
    this.toasts = [...this.toasts.slice(-2), { id, kind, title, body, ref }]
    if (ttlMs > 0) setTimeout(() => this.dismiss(id), ttlMs)
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id)
  }
}

export const app = new AppStore()

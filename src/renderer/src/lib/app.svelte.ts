// Application-wide state, as Svelte 5 runes. Fed by api calls and by core events.
import type { AppStatus, EventPayload, IssueResult, Settings, TenantOverview } from '../../../shared/contract'
import type { Instance, KeyRef } from '../../../shared/domain'
import { api, errorText, must } from './api'
import { refId } from './refs'

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
  /** What produced it: 'created' or 'rotated' (with the old key's name). */
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
  /** Bumped on every inventory.changed event; views refetch what they show. */
  inventoryVersion = $state(0)
  loaded = $state(false)
  loadError = $state<string | null>(null)
  createOpen = $state(false)
  private toastSeq = 0
  private tenantTimer: ReturnType<typeof setTimeout> | null = null

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
    api.on('inventory.changed', () => {
      this.inventoryVersion++
      this.scheduleTenantRefresh()
    })
    api.on('warning', (w) => { this.toast(w.kind === 'summary' ? 'info' : 'warning', w.title, w.body, w.ref, 12_000) })
    api.on('key.open', (ref) => { this.open(ref) })
    api.on('clipboard.cleared', (c) => {
      if (this.clipboard && this.clipboard.refKey === refId(c.ref)) this.clipboard = { ...this.clipboard, cleared: c.cleared }
    })
    try {
      // Tenant summaries count every key by status: fetch them beside the first inventory
      // page instead of holding the first paint back for them.
      const tenants = this.refreshTenants()
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

  private scheduleTenantRefresh(): void {
    if (this.tenantTimer) return
    this.tenantTimer = setTimeout(() => {
      this.tenantTimer = null
      void this.refreshTenants()
    }, 250)
  }

  async refreshTenants(): Promise<void> {
    const r = await api.tenants.list({})
    if (r.ok) this.tenants = r.value
  }

  async refreshInstances(): Promise<void> {
    const r = await api.instances.list({})
    if (r.ok) this.instances = r.value
  }

  async refreshStatus(): Promise<void> {
    const r = await api.app.status({})
    if (r.ok) this.status = r.value
  }

  async sync(scope: { instanceId?: string; tenantIds?: string[] } = {}): Promise<void> {
    this.progress = { done: 0, total: 0, current: null }
    const r = await api.sync.run(scope)
    if (!r.ok) this.toast('error', 'Sync failed', r.error.message)
    else if (r.value.failed > 0) {
      this.toast('warning', 'Sync finished with problems',
        `${r.value.ok} of ${r.value.tenants} tenants synced; ${r.value.failed} failed. See Tenants for why.`)
    }
    this.progress = null
    await Promise.all([this.refreshTenants(), this.refreshStatus()])
    this.inventoryVersion++
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

// Application-wide state, as Svelte 5 runes. Fed by api calls and by core events.
import type { AppStatus, EventPayload, IssueResult, KeyRow, OpOutput, Settings, TenantOverview } from '../../../shared/contract'
import type { Instance, KeyRef } from '../../../shared/domain'
import { api, errorText, must } from './api'
import { attention } from './attention.svelte'
import { Coalescer } from './coalesce'
import { lock } from './lock.svelte'
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

export type View = 'inventory' | 'attention' | 'tenants' | 'settings' | 'add-instance'

/**
 * The result of something the operator just did (never a warning: those are in Needs
 * attention). Shown in the status bar, which covers nothing; gone after a while, or at once
 * when `stale` says it is no longer true.
 */
export interface Toast {
  id: number
  kind: 'error' | 'info' | 'success'
  title: string
  body: string
  /** Reactive: true once what the toast says no longer holds (the key changed again, ...). */
  stale?: () => boolean
  action?: { label: string; run: () => void }
}

export interface ClipboardState {
  refKey: string
  keyName: string
  clearsAt: number
  cleared: boolean | null
}

/** A value the keychain refused, kept by the core until dismissed (keys.unsaved). */
export type UnsavedValue = OpOutput<'keys.unsaved'>['values'][number]

export type HandOff =
  | {
    issued: IssueResult
    /** What produced it: 'Created', or 'Rotated from' / 'Replaced' with the old key's name. */
    origin: string
  }
  | {
    /** Shown again after a reload (or an unlock): the keychain could not take it when it was issued. */
    recovered: UnsavedValue
    /** The key's cached row, when the cache has it. */
    key: KeyRow | null
    origin: string
  }

/** Where a new key goes by default: the tenant in view, or the open key's. */
export interface CreateContext {
  instanceId: string
  tenantId: string
}

/** How an instance's data stands: what the sidebar, the banners and the header say. */
export type InstanceHealth =
  | { kind: 'fresh'; at: string | null }
  | { kind: 'never' }
  | { kind: 'unreachable'; reason: string; since: string; lastGoodAt: string | null }
  | { kind: 'login'; reason: string; lastGoodAt: string | null }
  | { kind: 'stale'; failing: number; reasons: string[]; lastGoodAt: string | null }

const SIDEBAR_KEY = 'fbk.sidebar'
/** Summary notifications remembered for their click (older ones have left the screen). */
const MAX_SUMMARY_REFS = 50

function lastGood(t: TenantOverview): string | null {
  const s = t.sync
  return s.kind === 'fresh' ? s.at : s.kind === 'never' ? null : s.lastGoodAt
}

/** The oldest last good sync of these tenants (what the whole instance is "as of"). */
function oldest(tenants: readonly TenantOverview[]): string | null {
  let min: number | null = null
  for (const t of tenants) {
    const at = lastGood(t)
    if (!at) continue
    const ms = Date.parse(at)
    min = min === null ? ms : Math.min(min, ms)
  }
  return min === null ? null : new Date(min).toISOString()
}

class AppStore {
  status = $state<AppStatus | null>(null)
  instances = $state.raw<Instance[]>([])
  tenants = $state.raw<TenantOverview[]>([])
  /** False until tenants.list has answered once (the sidebar shows its counts after that). */
  tenantsLoaded = $state(false)
  settings = $state<Settings | null>(null)
  progress = $state<EventPayload<'sync.progress'> | null>(null)
  view = $state<View>('inventory')
  openRef = $state<KeyRef | null>(null)
  handOff = $state<HandOff | null>(null)
  /** Hand-offs waiting for the one on screen to close (unsaved values found on start). */
  private handOffQueue: HandOff[] = []
  /** Unsaved values already shown or queued (by their core id), so none is shown twice. */
  private readonly unsavedSeen = new Set<string>()
  toasts = $state<Toast[]>([])
  clipboard = $state<ClipboardState | null>(null)
  /** The instances and settings have been read (the lock screen may stand before that). */
  loaded = $state(false)
  loadError = $state<string | null>(null)
  createOpen = $state(false)
  createContext = $state<CreateContext | null>(null)
  exportOpen = $state(false)
  paletteOpen = $state(false)
  shortcutsOpen = $state(false)
  signInFor = $state<Instance | null>(null)
  /** The instances-and-tenants sidebar is shown (the operator's choice, kept across starts). */
  sidebarOpen = $state(true)
  private toastSeq = 0
  /** Keys that desktop summary notifications named (their click opens Needs attention, not the key). */
  private readonly summaryRefs = new Set<string>()
  private readonly changeListeners = new Set<ChangeListener>()
  /** The one reload trigger: the core's inventory.changed events, coalesced. */
  private readonly changes = new Coalescer<string>((reasons) => this.reload(reasons), { delayMs: CHANGE_WINDOW_MS, leading: true })
  private secondary: Promise<void> | null = null

  get offline(): boolean {
    return this.status?.offline ?? false
  }

  /** Why changes are not possible right now, or null when they are. */
  get mutationBlock(): string | null {
    if (this.status?.offline) return 'Offline: changes are disabled until the Fluxbase server can be reached again.'
    return null
  }

  /** Why keys of this instance cannot be changed right now (its server is unreachable), or null. */
  mutationBlockFor(instanceId: string): string | null {
    if (this.mutationBlock) return this.mutationBlock
    if (this.status?.unreachable.some((u) => u.instanceId === instanceId)) {
      return `${this.instanceLabel(instanceId)} cannot be reached: changes to its keys wait until it answers again.`
    }
    return null
  }

  get syncing(): boolean {
    return this.status?.syncing ?? false
  }

  instanceLabel(instanceId: string): string {
    return this.instances.find((i) => i.id === instanceId)?.label ?? 'Unknown instance'
  }

  /** The instance is reached over plain http (marked in red wherever it appears). */
  insecure(instanceId: string): boolean {
    return this.instances.find((i) => i.id === instanceId)?.insecureTransport ?? false
  }

  /** More than one instance: tenant names are always shown with theirs. */
  get multiInstance(): boolean {
    return this.instances.length > 1
  }

  health(instanceId: string): InstanceHealth {
    const own = this.tenants.filter((t) => t.instanceId === instanceId && t.selected)
    const down = this.status?.unreachable.find((u) => u.instanceId === instanceId)
    if (down) return { kind: 'unreachable', reason: down.reason, since: down.since, lastGoodAt: oldest(own) }
    const login = own.find((t) => t.sync.kind === 'needs_login')
    if (login && login.sync.kind === 'needs_login') return { kind: 'login', reason: login.sync.reason, lastGoodAt: oldest(own) }
    const failing = own.filter((t) => t.sync.kind === 'stale')
    if (failing.length > 0) {
      const reasons = [...new Set(failing.map((t) => (t.sync.kind === 'stale' ? t.sync.reason : '')))]
      return { kind: 'stale', failing: failing.length, reasons, lastGoodAt: oldest(failing) }
    }
    if (own.length > 0 && own.every((t) => t.sync.kind === 'never')) return { kind: 'never' }
    return { kind: 'fresh', at: oldest(own) }
  }

  async init(): Promise<void> {
    try {
      this.sidebarOpen = (localStorage.getItem(SIDEBAR_KEY) ?? (window.innerWidth >= 1200 ? 'open' : 'closed')) === 'open'
    } catch {
      this.sidebarOpen = window.innerWidth >= 1200
    }
    lock.onChange((locked) => { if (locked) this.onLocked(); else void this.onUnlocked() })
    api.on('app.status', (s) => {
      const before = JSON.stringify(this.status?.unreachable ?? [])
      this.status = s
      lock.follow(s.locked)
      if (!s.locked && JSON.stringify(s.unreachable) !== before) attention.refresh()
    })
    api.on('sync.progress', (p) => { this.progress = p })
    api.on('inventory.changed', ({ reason }) => { if (!lock.locked) this.changes.signal(reason) })
    // Warnings are facts Needs attention lists (main shows them as desktop notifications): the
    // inbox looks again, and nothing pops up over the table.
    api.on('warning', (w) => {
      if (lock.locked) return
      if (w.kind === 'summary' && w.ref) {
        this.summaryRefs.add(refId(w.ref))
        // Only recent summaries can still be clicked (the OS drops old notifications): keep a few.
        for (const old of this.summaryRefs) {
          if (this.summaryRefs.size <= MAX_SUMMARY_REFS) break
          this.summaryRefs.delete(old)
        }
      }
      attention.refresh()
    })
    api.on('key.open', (ref) => {
      // A summary notification stands for many keys: its click opens the inbox, not one of them.
      if (this.summaryRefs.has(refId(ref))) {
        this.summaryRefs.delete(refId(ref))
        this.view = 'attention'
        return
      }
      this.open(ref)
    })
    api.on('clipboard.cleared', (c) => {
      if (this.clipboard && this.clipboard.refKey === refId(c.ref)) this.clipboard = { ...this.clipboard, cleared: c.cleared }
    })
    try {
      // The lock first: while locked the core answers nothing else, and nothing else is shown.
      const [status, locked] = await Promise.all([must(api.app.status({})), must(api.lock.status({}))])
      this.status = status
      lock.apply(locked)
    } catch (err) {
      this.loadError = errorText(err)
      this.loaded = true
      return
    }
    if (!lock.locked) await this.load()
  }

  /** Reads what every view needs (once unlocked), then the unsaved values and the rest. */
  private async load(): Promise<void> {
    try {
      const [instances, settings] = await Promise.all([must(api.instances.list({})), must(api.settings.get({}))])
      this.instances = instances
      this.settings = settings
      this.loadError = null
      if (instances.length === 0) {
        this.view = 'add-instance'
        this.loadSecondary()
      } else {
        // Tenant counts read every key and the inbox several indexes: they wait for the first
        // rows (or a moment), so the table is never held back by them.
        setTimeout(() => this.loadSecondary(), 1500)
      }
      this.loaded = true
      void this.showUnsaved()
    } catch (err) {
      // Locked meanwhile: the lock screen stands, and the unlock loads again.
      if (lock.locked) return
      this.loadError = errorText(err)
      this.loaded = true
    }
  }

  /** The app locked: what stood open goes (the lock screen replaces everything); an unsaved value stays for after. */
  private onLocked(): void {
    this.createOpen = false
    this.exportOpen = false
    this.paletteOpen = false
    this.shortcutsOpen = false
    this.signInFor = null
    this.toasts = []
    this.progress = null
  }

  /** Unlocked: read everything again (the views remount and ask for theirs). */
  private async onUnlocked(): Promise<void> {
    if (!this.loaded || this.loadError) {
      await this.load()
      return
    }
    try {
      this.status = await must(api.app.status({}))
    } catch { /* the next app.status event brings it */ }
    const settings = await api.settings.get({})
    if (settings.ok) this.settings = settings.value
    attention.refresh()
    await Promise.all([this.loadTenants(), this.loadInstances()])
    void this.showUnsaved()
  }

  /**
   * Values the keychain could not take, still held by the core: shown again (one hand-off each)
   * so a reload never loses an issued key's value.
   */
  private async showUnsaved(): Promise<void> {
    const r = await api.keys.unsaved({})
    if (!r.ok) return
    for (const value of r.value.values) {
      if (this.unsavedSeen.has(value.id)) continue
      this.unsavedSeen.add(value.id)
      const row = await api.keys.get(value.ref)
      this.showHandOff({ recovered: value, key: row.ok ? row.value.key : null, origin: 'Not stored yet' })
    }
  }

  /** Shows a hand-off, or queues it behind the one on screen. */
  showHandOff(handOff: HandOff): void {
    if ('issued' in handOff && !handOff.issued.storedInKeychain) this.unsavedSeen.add(handOff.issued.unsavedId)
    if (this.handOff) this.handOffQueue.push(handOff)
    else this.handOff = handOff
  }

  /** The hand-off on screen closed: the next one, if any. */
  closeHandOff(): void {
    this.handOff = this.handOffQueue.shift() ?? null
  }

  /** The inventory painted its first rows: the tenant counts and the inbox may load now. */
  firstRowsShown(): void {
    this.loadSecondary()
  }

  private loadSecondary(): void {
    this.secondary ??= (async () => {
      await this.loadTenants()
      attention.start()
    })()
  }

  setSidebar(open: boolean): void {
    this.sidebarOpen = open
    try { localStorage.setItem(SIDEBAR_KEY, open ? 'open' : 'closed') } catch { /* private mode: not kept */ }
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

  /** One burst of changes: every view reloads what it shows; the tenant counts, instances and inbox too. */
  private async reload(reasons: string[]): Promise<void> {
    for (const listener of [...this.changeListeners]) {
      try {
        listener(reasons)
      } catch (error) {
        console.error('inventory listener failed', error)
      }
    }
    attention.refresh()
    await Promise.all([this.loadTenants(), this.loadInstances()])
  }

  private async loadTenants(): Promise<void> {
    const r = await api.tenants.list({})
    if (r.ok) {
      this.tenants = r.value
      this.tenantsLoaded = true
    }
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

  /** instances.setTransport answered: the instance as it is now reached. */
  instanceChanged(instance: Instance): void {
    this.instances = this.instances.map((i) => (i.id === instance.id ? instance : i))
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
    this.tenantsLoaded = true
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
      // What failed is listed (once per server or reason) in Needs attention, as long as it fails.
      this.toast('error', 'Sync finished with problems', `${r.value.ok} of ${r.value.tenants} tenants synced; ${r.value.failed} failed.`, {
        action: { label: 'Show what failed', run: () => { this.view = 'attention' } },
        stale: () => this.instances.every((i) => {
          const h = this.health(i.id)
          return h.kind !== 'stale' && h.kind !== 'unreachable' && h.kind !== 'login'
        })
      })
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

  /** New key, preselecting `context` (the tenant in view, or the open key's). */
  newKey(context: CreateContext | null): void {
    this.createContext = context
    this.createOpen = true
  }

  toast(kind: Toast['kind'], title: string, body = '', extra: Pick<Toast, 'stale' | 'action'> & { ttlMs?: number } = {}): void {
    // Locked: what was refused is not an error to show; the lock screen says why.
    if (lock.locked) return
    const id = ++this.toastSeq
    const { ttlMs = kind === 'error' ? 15_000 : 8000, ...rest } = extra
    this.toasts = [...this.toasts.slice(-2), { id, kind, title, body, ...rest }]
    if (ttlMs > 0) setTimeout(() => this.dismiss(id), ttlMs)
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id)
  }
}

export const app = new AppStore()

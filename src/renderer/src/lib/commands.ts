// What the command palette offers (and the shortcuts that reach the same things): navigation,
// actions, and every instance and tenant as a place to go.
import { app, type CreateContext } from './app.svelte'
import { attention } from './attention.svelte'
import { inventory } from './inventory.svelte'
import { api } from './api'
import { lock } from './lock.svelte'

/** Locks the app now (Ctrl+L, the palette, Settings); only with a passcode set. */
export async function lockNow(): Promise<void> {
  if (!lock.enabled) return
  const r = await api.lock.lock({})
  if (r.ok) lock.apply(r.value)
  else app.toast('error', 'Could not lock the app', r.error.message)
}

/** Where New key points: the open key's tenant, else the tenant in view, else none (the operator picks). */
export function newKeyContext(): CreateContext | null {
  if (app.view === 'inventory' && app.openRef) return { instanceId: app.openRef.instanceId, tenantId: app.openRef.tenantId }
  return inventory.tenantInView
}

export interface Command {
  id: string
  label: string
  /** Shown muted after the label (the instance of a tenant, what a command does). */
  detail?: string
  group: 'Go to' | 'Actions' | 'Instances' | 'Tenants'
  shortcut?: string
  disabled?: string | null
  run: () => void
}

export function commands(focusSearch: () => void): Command[] {
  const go = (view: typeof app.view) => () => { app.view = view }
  const list: Command[] = [
    { id: 'go-inventory', group: 'Go to', label: 'Inventory', shortcut: 'Alt+1', run: go('inventory') },
    { id: 'go-attention', group: 'Go to', label: 'Needs attention', detail: attention.badge ? `${attention.badge} items` : undefined, shortcut: 'Alt+2', run: go('attention') },
    { id: 'go-tenants', group: 'Go to', label: 'Tenants', shortcut: 'Alt+3', run: go('tenants') },
    { id: 'go-settings', group: 'Go to', label: 'Settings', shortcut: 'Alt+4', run: go('settings') },
    { id: 'new-key', group: 'Actions', label: 'New key…', shortcut: 'N', disabled: app.mutationBlock, run: () => app.newKey(newKeyContext()) },
    { id: 'search', group: 'Actions', label: 'Search keys', shortcut: '/', run: focusSearch },
    { id: 'sync', group: 'Actions', label: 'Sync all', disabled: app.syncing ? 'A sync is running.' : null, run: () => void app.sync({ firstTenantIds: inventory.tenantsInView }) },
    { id: 'export', group: 'Actions', label: 'Export…', detail: 'CSV or JSON, never a secret', shortcut: 'Ctrl+E', run: () => { app.exportOpen = true } },
    { id: 'sidebar', group: 'Actions', label: app.sidebarOpen ? 'Hide the instances list' : 'Show the instances list', shortcut: 'Ctrl+B', run: () => app.setSidebar(!app.sidebarOpen) },
    { id: 'clear', group: 'Actions', label: 'Show every key (clear filters)', run: () => { inventory.clearAll(); app.view = 'inventory' } },
    { id: 'add-instance', group: 'Actions', label: 'Add instance…', run: go('add-instance') },
    { id: 'shortcuts', group: 'Actions', label: 'Keyboard shortcuts', shortcut: '?', run: () => { app.shortcutsOpen = true } }
  ]
  if (lock.enabled) list.push({ id: 'lock', group: 'Actions', label: 'Lock now', detail: 'Hide everything until the passcode is entered', shortcut: 'Ctrl+L', run: () => void lockNow() })
  if (app.openRef) list.splice(5, 0, { id: 'close-detail', group: 'Actions', label: 'Close the key detail', shortcut: 'Esc', run: () => { app.openRef = null } })
  for (const i of app.instances) {
    list.push({ id: `instance-${i.id}`, group: 'Instances', label: i.label, detail: i.baseUrl, run: () => { inventory.scope(i.id); app.view = 'inventory' } })
  }
  for (const t of app.tenants) {
    if (!t.selected) continue
    list.push({ id: `tenant-${t.instanceId}-${t.id}`, group: 'Tenants', label: t.name, detail: t.instanceLabel, run: () => { inventory.scope(t.instanceId, t.id); app.view = 'inventory' } })
  }
  return list
}

/** Commands whose label or detail contains every word typed, best (label starts with it) first. */
export function matchCommands(all: readonly Command[], query: string, limit = 60): Command[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return all.filter((c) => c.group === 'Go to' || c.group === 'Actions').slice(0, limit)
  const scored: Array<{ c: Command; score: number }> = []
  for (const c of all) {
    const hay = `${c.label} ${c.detail ?? ''} ${c.group}`.toLowerCase()
    if (!words.every((w) => hay.includes(w))) continue
    const label = c.label.toLowerCase()
    scored.push({ c, score: label.startsWith(words[0] ?? '') ? 0 : label.includes(words[0] ?? '') ? 1 : 2 })
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, limit).map((s) => s.c)
}

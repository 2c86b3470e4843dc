// Tray icon: what needs attention (the core's attention.count) and how many keys are in grace,
// refreshed when the inventory or the app's state changes and every minute (a grace period
// ending soon becomes an attention item as time passes). While the app is locked it says only
// that. The app keeps running (and warning) with the window closed; Quit lives in this menu.
import { app, Menu, Tray, nativeImage } from 'electron'
import type { CoreHost } from '../core/host'
import { countInGrace, trayBadge, trayTooltip, type TraySummary } from './security/tray-summary'

export interface AppTrayOptions {
  host: Pick<CoreHost, 'dispatch' | 'onEvent'>
  iconPath: string
  platform: NodeJS.Platform
  show: () => void
  quit: () => void
  log: (line: string) => void
  /** How often the counts are read again without an event (ms). */
  refreshEveryMs?: number
}

async function summarize(host: AppTrayOptions['host']): Promise<TraySummary | null> {
  const counts = await host.dispatch('attention.count', {})
  if (!counts.ok) return counts.error.code === 'locked' ? { locked: true } : null
  const tenants = await host.dispatch('tenants.list', {})
  if (!tenants.ok) return tenants.error.code === 'locked' ? { locked: true } : null
  return { locked: false, needAttention: counts.value.badge, critical: counts.value.critical, inGrace: countInGrace(tenants.value) }
}

export function createAppTray({ host, iconPath, platform, show, quit, log, refreshEveryMs = 60_000 }: AppTrayOptions): { dispose(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconPath))
  let disposed = false

  const render = (summary: TraySummary | null): void => {
    if (disposed) return
    const tooltip = trayTooltip(summary)
    const badge = trayBadge(summary)
    tray.setToolTip(tooltip)
    // macOS shows text beside the menu-bar icon; the dock (macOS) and Unity-style launchers
    // (Linux) show the badge. Windows has neither for a tray icon: the tooltip carries it.
    if (platform === 'darwin') tray.setTitle(badge > 0 ? String(badge) : '')
    if (platform === 'darwin' || platform === 'linux') app.setBadgeCount(badge)
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: tooltip, enabled: false },
      { type: 'separator' },
      { label: 'Open Fluxbase Keys', click: show },
      { label: 'Quit', click: quit }
    ]))
  }

  // One read at a time; events during a read ask for one more read after it, not one each.
  let reading = false
  let again = false
  const refresh = (): void => {
    if (disposed) return
    if (reading) {
      again = true
      return
    }
    reading = true
    summarize(host)
      .then(render, (error: unknown) => log(`tray refresh failed: ${String(error)}`))
      .finally(() => {
        reading = false
        if (again) {
          again = false
          refresh()
        }
      })
  }

  tray.on('click', show)
  render(null)
  refresh()
  const unsubscribe = host.onEvent((name) => {
    if (name === 'inventory.changed' || name === 'app.status') refresh()
  })
  const timer = setInterval(refresh, refreshEveryMs)
  timer.unref?.()
  return {
    dispose() {
      disposed = true
      clearInterval(timer)
      unsubscribe()
      tray.destroy()
    }
  }
}

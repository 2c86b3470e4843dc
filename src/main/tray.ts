// Tray icon: how many keys are in grace or expiring soon, refreshed when the inventory changes.
// The app keeps running (and warning) with the window closed; Quit lives in this menu.
import { Menu, Tray, nativeImage } from 'electron'
import type { CoreHost } from '../core/host'
import { EXPIRING_SOON_MS, countInGrace, trayTooltip, type TraySummary } from './security/tray-summary'

export interface AppTrayOptions {
  host: CoreHost
  iconPath: string
  show: () => void
  quit: () => void
  log: (line: string) => void
}

async function summarize(host: CoreHost): Promise<TraySummary | null> {
  const tenants = await host.dispatch('tenants.list', {})
  const expiring = await host.dispatch('inventory.query', { statuses: ['active'], expiringWithinMs: EXPIRING_SOON_MS, limit: 1 })
  if (!tenants.ok || !expiring.ok) return null
  return {
    inGrace: countInGrace(tenants.value),
    expiringSoon: expiring.value.total
  }
}

export function createAppTray({ host, iconPath, show, quit, log }: AppTrayOptions): { dispose(): void } {
  const tray = new Tray(nativeImage.createFromPath(iconPath))
  let disposed = false

  const render = (summary: TraySummary | null): void => {
    if (disposed) return
    const tooltip = trayTooltip(summary)
    tray.setToolTip(tooltip)
    tray.setContextMenu(Menu.buildFromTemplate([
      { label: tooltip, enabled: false },
      { type: 'separator' },
      { label: 'Open Fluxbase Keys', click: show },
      { label: 'Quit', click: quit }
    ]))
  }

  const refresh = (): void => {
    summarize(host).then(render, (error: unknown) => log(`tray refresh failed: ${String(error)}`))
  }

  tray.on('click', show)
  render(null)
  refresh()
  const unsubscribe = host.onEvent((name) => {
    if (name === 'inventory.changed') refresh()
  })
  return {
    dispose() {
      disposed = true
      unsubscribe()
      tray.destroy()
    }
  }
}

// The desktop shell's lifecycle: composes the core host with Electron-backed ports, the hardened
// window, IPC, notifications, tray, menu and the app events. index.ts only calls startShell();
// the seams below (the host factory, the renderer folder, the environment) exist so that
// test/main can run this exact wiring against a stand-in for the electron module.
import { app, BrowserWindow, clipboard, ClipboardItem, dialog, Menu, powerMonitor, session } from 'electron'
import { createCoreHost, type CoreHost, type CoreHostOptions } from '../core/host'
import { createKeytarStore, keychainLockFile } from '../core/secrets'
import { APP_ID, LINUX_DESKTOP_NAME, TRAY_ICON, WINDOW_ICON } from './app-identity'
import { createBiometric } from './biometric'
import { createClipboard } from './clipboard'
import { createExportTarget } from './export-target'
import { registerIpc, sendEvent } from './ipc'
import { appMenuTemplate } from './menu'
import { createNotifier } from './notifications'
import { devServerOrigin, trustedOrigins } from './security/app-origin'
import { concealedClipboardPayload } from './security/clipboard-hints'
import { ensurePrivateDir } from './security/private-dir'
import { createAppTray } from './tray'
import { createAppWindow, createExternalOpener, denyAllPermissions, hardenWebContents, iconPath, registerAppScheme, serveRenderer } from './window'

export interface ShellOptions {
  /** The built renderer served over app:// (out/renderer next to out/main). */
  rendererDir: string
  /** Opens the core; the real one unless a test passes its own (e.g. with a throwaway keychain). */
  createHost?: (options: CoreHostOptions) => Promise<CoreHost>
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
}

const log = (line: string): void => console.log(`[main] ${line}`)

/**
 * Starts the shell. Resolves once the window, IPC and tray are up, or at once when another
 * instance holds the lock (this one quits) or the local data cannot be opened (this one exits).
 */
export async function startShell(options: ShellOptions): Promise<void> {
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  // Unpackaged only (development, the e2e specs): FLUXBASE_KEYS_KEYCHAIN_SERVICE points the
  // keychain at a throwaway service, so a launched dev build never reads or writes the operator's
  // real "Fluxbase Keys" entries. A packaged app ignores it.
  const service = app.isPackaged ? undefined : env['FLUXBASE_KEYS_KEYCHAIN_SERVICE']?.trim()
  const createHost = options.createHost ?? ((o: CoreHostOptions) => createCoreHost(service ? { ...o, secrets: createKeytarStore({ service, lockFile: keychainLockFile(o.dataDir) }) } : o))

  // Before ready: the privileged app:// scheme, the sandbox for every renderer, the OS identity.
  registerAppScheme()
  app.enableSandbox()
  if (platform === 'win32') app.setAppUserModelId(APP_ID)
  if (platform === 'linux') app.setDesktopName(LINUX_DESKTOP_NAME)

  if (!app.requestSingleInstanceLock()) {
    // Another instance owns the data directory; it focuses its window (see 'second-instance').
    app.quit()
    return
  }

  const devOrigin = devServerOrigin(env['ELECTRON_RENDERER_URL'], app.isPackaged)
  const origins = trustedOrigins(devOrigin)

  let win: BrowserWindow | null = null
  let host: CoreHost | null = null
  let quitting = false
  const currentWindow = (): BrowserWindow | null => (win && !win.isDestroyed() ? win : null)
  const showWindow = (): void => {
    if (!app.isReady() || !host) return
    const w = currentWindow() ?? openWindow()
    if (w.isMinimized()) w.restore()
    w.show()
    w.focus()
  }

  // A copied value carries the platform's "keep out of clipboard history" markers with its text.
  const concealingClipboard = {
    writeText: (text: string) => clipboard.write([new ClipboardItem(concealedClipboardPayload(text, platform))]),
    readText: () => clipboard.readText(),
    clear: () => clipboard.clear()
  }
  const systemClipboard = createClipboard(concealingClipboard, {
    clearAfterMs: async () => {
      const settings = host ? await host.dispatch('settings.get', {}) : null
      return (settings?.ok ? settings.value.clipboardClearSeconds : 30) * 1000
    },
    onSafetyClear: () => log('clipboard safety net cleared a copied value')
  })
  const confirmOrigin = async (origin: string): Promise<boolean> => {
    const question = {
      type: 'question' as const,
      buttons: ['Open in browser', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      message: `Open ${origin} in your browser?`,
      detail: 'Fluxbase Keys opens pages of your Fluxbase instances in your browser. It asks once per instance each time it runs, so a page cannot open other sites on its own.'
    }
    const parent = currentWindow()
    const answer = parent ? await dialog.showMessageBox(parent, question) : await dialog.showMessageBox(question)
    return answer.response === 0
  }
  const openExternal = createExternalOpener(async () => {
    const listed = host ? await host.dispatch('instances.list', {}) : null
    return listed?.ok ? listed.value.map((instance) => instance.baseUrl) : []
  }, confirmOrigin, log)

  app.on('second-instance', showWindow)
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origins, openExternal))
  // The window hides instead of closing, so this only fires while quitting; never quit from here:
  // warnings keep coming from the tray.
  app.on('window-all-closed', () => undefined)
  app.on('activate', showWindow)

  await app.whenReady()

  const dataDir = ensurePrivateDir(app.getPath('userData'))
  denyAllPermissions(session.defaultSession)
  serveRenderer(options.rendererDir)
  const menu = appMenuTemplate(app.isPackaged, platform)
  Menu.setApplicationMenu(menu ? Menu.buildFromTemplate(menu) : null)

  try {
    host = await createHost({
      dataDir,
      shell: 'electron',
      version: app.getVersion(),
      clipboard: systemClipboard,
      notifier: createNotifier({
        focus: showWindow,
        openKey: (ref) => sendEvent(currentWindow(), 'key.open', ref),
        log
      }),
      exportTarget: createExportTarget(currentWindow),
      biometric: createBiometric(platform),
      log
    })
  } catch (error) {
    dialog.showErrorBox('Fluxbase Keys could not start', `The local data in ${dataDir} could not be opened.\n\n${error instanceof Error ? error.message : String(error)}`)
    app.exit(1)
    return
  }
  const core = host

  const unregisterIpc = registerIpc({ host: core, window: currentWindow, origins, log })

  function openWindow(): BrowserWindow {
    const created = createAppWindow({ devServerUrl: devOrigin ? (env['ELECTRON_RENDERER_URL'] ?? null) : null, iconPath: iconPath(WINDOW_ICON) })
    created.on('close', (event) => {
      // Closing hides to the tray (Linux/Windows) or the dock (macOS); Quit is in the tray menu.
      if (quitting) return
      event.preventDefault()
      created.hide()
    })
    win = created
    return created
  }
  openWindow()

  const tray = createAppTray({ host: core, iconPath: iconPath(TRAY_ICON), platform, show: showWindow, quit: () => app.quit(), log })

  // After sleep the expiry schedule may have passed several warnings: re-check at once.
  const recheck = (): void => void core.checkSchedule().catch((error: unknown) => log(`schedule check failed: ${String(error)}`))
  powerMonitor.on('resume', recheck)
  powerMonitor.on('unlock-screen', recheck)
  // The OS lock and sleep lock the app too (a no-op without a passcode).
  powerMonitor.on('lock-screen', () => core.lock('the screen was locked'))
  powerMonitor.on('suspend', () => core.lock('the computer went to sleep'))

  let closing = false
  let closed = false
  app.on('before-quit', (event) => {
    quitting = true
    if (closed) return
    event.preventDefault()
    if (closing) return
    closing = true
    tray.dispose()
    unregisterIpc()
    // Never leave one of our secrets on the clipboard after we are gone; the operator's own copies stay.
    systemClipboard.clearIfOurs()
      .catch((error: unknown) => log(`clipboard clear on quit failed: ${String(error)}`))
      .then(() => systemClipboard.dispose())
      .then(() => core.close())
      .catch((error: unknown) => log(`close failed: ${String(error)}`))
      .finally(() => {
        closed = true
        app.quit()
      })
  })
}

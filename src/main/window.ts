// The one hardened BrowserWindow, the app:// protocol that serves the renderer, and the
// navigation / window.open / permission / openExternal guards.
import { app, BrowserWindow, protocol, session, shell, type Session, type WebContents } from 'electron'
import { join } from 'node:path'
import { PRODUCT_NAME } from './app-identity'
import { APP_ENTRY_URL, APP_SCHEME, isTrustedUrl } from './security/app-origin'
import { serveAppRequest } from './security/app-protocol'
import { externalAllowlist, isAllowedExternalUrl } from './security/external-url'

/**
 * Must run before `app` is ready. `standard` + `secure` give the scheme a real origin, secure-context
 * APIs and relative URL resolution; `supportFetchAPI` lets the bundle load its own modules. No
 * `bypassCSP`, no `corsEnabled`, no service workers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

/** Serve out/renderer over app://fluxbase-keys/ (after ready). */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererDir))
}

/** Deny every permission (camera, notifications from the page, clipboard-read, HID, ...) on a session. */
export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null))
}

/** Opens a URL in the system browser only if it is https on a configured instance's origin. */
export type ExternalOpener = (url: string) => Promise<boolean>

/** Asks the operator, in a native dialog the page cannot answer, whether to open this origin. */
export type OriginConfirmer = (origin: string) => Promise<boolean>

/**
 * The allowlist comes from the configured instances, and the renderer can add an instance, so a
 * compromised page could add one for any https origin and then open it. Each origin therefore
 * opens only after the operator confirmed it once in a native dialog (main process, not the
 * page) during this run; concurrent requests for one origin share one dialog.
 */
export function createExternalOpener(listBaseUrls: () => Promise<string[]>, confirmOrigin: OriginConfirmer, log: (line: string) => void): ExternalOpener {
  const confirmed = new Set<string>()
  const asking = new Map<string, Promise<boolean>>()
  const confirmOnce = async (origin: string): Promise<boolean> => {
    if (confirmed.has(origin)) return true
    let pending = asking.get(origin)
    if (!pending) {
      pending = confirmOrigin(origin).catch(() => false).finally(() => asking.delete(origin))
      asking.set(origin, pending)
    }
    const yes = await pending
    if (yes) confirmed.add(origin)
    return yes
  }
  return async (url) => {
    // The allowlist is read fresh each time, so removing an instance revokes its origin at once.
    const allowed = isAllowedExternalUrl(url, externalAllowlist(await listBaseUrls().catch(() => [])))
    if (!allowed) {
      log(`refused to open external URL (not an https URL of a configured instance): ${safeForLog(url)}`)
      return false
    }
    if (!(await confirmOnce(new URL(url).origin))) {
      log(`the operator declined to open ${safeForLog(url)}`)
      return false
    }
    await shell.openExternal(url)
    return true
  }
}

/** Only scheme + host go to the log: query strings could carry tokens. */
function safeForLog(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return '(unparseable)'
  }
}

/**
 * Applied to EVERY web contents the app ever creates (app 'web-contents-created'), not only ours:
 * no <webview>, no window.open (allowed https links go to the browser instead), no navigation away
 * from the app origin, including via redirects and in subframes.
 */
export function hardenWebContents(contents: WebContents, origins: readonly string[], openExternal: ExternalOpener): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    void openExternal(url)
    return { action: 'deny' }
  })
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (isTrustedUrl(event.url, origins)) return
    event.preventDefault()
    void openExternal(event.url)
  }
  contents.on('will-navigate', guard)
  contents.on('will-frame-navigate', guard)
  contents.on('will-redirect', (event) => {
    if (!isTrustedUrl(event.url, origins)) event.preventDefault()
  })
}

export interface AppWindowOptions {
  /** ELECTRON_RENDERER_URL in development (already vetted as loopback, unpackaged); null in production. */
  devServerUrl: string | null
  iconPath: string
}

export function createAppWindow(options: AppWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: PRODUCT_NAME,
    icon: options.iconPath,
    backgroundColor: '#111418',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'), // CommonJS, so it runs in the sandbox
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      session: session.defaultSession
    }
  })

  // Content protection for the window's whole lifetime, not toggled per secret. Why:
  // - nothing the renderer sends can switch it off, so there is no IPC message to abuse;
  // - no race: the one-time unsavedValue (keychain-failure fallback) is on screen the moment the
  //   renderer draws it, before any round-trip to main could turn protection on;
  // - the inventory itself (tenants, key names and prefixes, scopes) is sensitive too.
  // The cost is that operators cannot screenshot the app (macOS/Windows; a no-op on Linux).
  win.setContentProtection(true)

  win.once('ready-to-show', () => win.show())
  const url = options.devServerUrl ?? APP_ENTRY_URL
  void win.loadURL(url)
  return win
}

export function iconPath(name: string): string {
  // resources/ sits next to out/ in development and is unpacked next to the asar when packaged.
  return app.isPackaged ? join(process.resourcesPath, name) : join(__dirname, '../../resources', name)
}

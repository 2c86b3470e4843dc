// STAND-IN for the `electron` module: Electron's binary cannot run on this machine, so this is the
// one boundary test/main replaces (`vi.mock('electron', () => import('../support/electron-standin'))`).
// It is not Electron. It implements only what src/main calls, behaves the way Electron documents
// for those calls where our code depends on it (ipcMain.handle refuses a second handler for a
// channel; app.quit emits a cancellable 'before-quit'; every new BrowserWindow's webContents is
// announced with 'web-contents-created'; a Notification keeps its listeners), and records
// everything so a test can assert what the real shell asked of Electron.
import { EventEmitter } from 'node:events'

/** The fields of WebFrameMain the IPC sender check reads. */
export interface StandInFrame {
  url: string
  processId: number
  routingId: number
  parent: StandInFrame | null
}

let nextId = 1

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++
  readonly mainFrame: StandInFrame
  readonly sent: Array<{ channel: string; payload: unknown }> = []
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null
  private destroyed = false
  loadedUrl: string | null = null

  constructor(url = 'about:blank') {
    super()
    this.mainFrame = { url, processId: 100 + this.id, routingId: 1, parent: null }
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }

  isDestroyed(): boolean { return this.destroyed }
  destroy(): void { this.destroyed = true }

  /** A subframe of this page (an <iframe>), on whatever URL. */
  subframe(url: string): StandInFrame {
    return { url, processId: this.mainFrame.processId, routingId: 99, parent: this.mainFrame }
  }

  /**
   * Emits a navigation event the way Electron does ({url, preventDefault}); answers whether a
   * listener prevented it.
   */
  navigate(eventName: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): boolean {
    let prevented = false
    this.emit(eventName, { url, preventDefault: () => { prevented = true } })
    return prevented
  }

  /** A page asks to attach a <webview>; answers whether it was prevented. */
  attachWebview(): boolean {
    let prevented = false
    const webPreferences = {}
    this.emit('will-attach-webview', { preventDefault: () => { prevented = true } }, webPreferences, { src: 'https://example.com/' })
    return prevented
  }
}

export interface StandInWindowOptions {
  title?: string
  show?: boolean
  webPreferences?: Record<string, unknown>
  [key: string]: unknown
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = []
  static getAllWindows(): BrowserWindow[] { return BrowserWindow.all.filter((w) => !w.isDestroyed()) }

  readonly options: StandInWindowOptions
  readonly webContents: StandInWebContents
  private destroyed = false
  private visible = false
  private minimized = false
  contentProtected = false
  focusCount = 0
  loadedUrl: string | null = null

  constructor(options: StandInWindowOptions = {}) {
    super()
    this.options = options
    this.webContents = new StandInWebContents()
    BrowserWindow.all.push(this)
    standIn.windowsCreated.push(options)
    app.emit('web-contents-created', {}, this.webContents)
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.webContents.mainFrame.url = url
    this.webContents.loadedUrl = url
    return Promise.resolve()
  }

  setContentProtection(on: boolean): void { this.contentProtected = on }
  isContentProtected(): boolean { return this.contentProtected }
  isDestroyed(): boolean { return this.destroyed }
  isVisible(): boolean { return this.visible }
  isMinimized(): boolean { return this.minimized }
  minimize(): void { this.minimized = true; this.visible = false }
  restore(): void { this.minimized = false }
  show(): void { this.visible = true }
  hide(): void { this.visible = false }
  focus(): void { this.focusCount++ }

  /** The user closes the window: 'close' is cancellable, as in Electron. */
  close(): void {
    let prevented = false
    this.emit('close', { preventDefault: () => { prevented = true } })
    if (!prevented) this.destroy()
  }

  destroy(): void {
    this.destroyed = true
    this.visible = false
    this.webContents.destroy()
    this.emit('closed')
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown

class StandInIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>()
  /** Every channel ever passed to handle(), in order (a second registration would have thrown). */
  readonly registered: string[] = []

  handle(channel: string, handler: Handler): void {
    // Electron: "Attempted to register a second handler for '<channel>'".
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
    this.registered.push(channel)
  }

  handleOnce(channel: string): void {
    throw new Error(`stand-in: ipcMain.handleOnce('${channel}') is not expected from src/main`)
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }

  /** What ipcRenderer.invoke(channel, input) from `sender` / `senderFrame` would get back. */
  async invoke(channel: string, from: { sender: StandInWebContents; senderFrame: StandInFrame | null }, input: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel)
    // Electron: "No handler registered for '<channel>'".
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return handler({ sender: from.sender, senderFrame: from.senderFrame, processId: from.senderFrame?.processId, frameId: from.senderFrame?.routingId }, input)
  }
}

class StandInApp extends EventEmitter {
  isPackaged = false
  readonly paths = new Map<string, string>()
  readonly calls: Array<[string, ...unknown[]]> = []
  singleInstanceLock = true
  private ready = false
  private readyWaiters: Array<() => void> = []
  quitRequests = 0
  /** The last app.setBadgeCount (dock / launcher badge). */
  badgeCount = 0
  /** Set once a quit went through (no before-quit listener prevented it). */
  quitted = false
  exitCode: number | null = null

  resetState(): void {
    this.removeAllListeners()
    this.isPackaged = false
    this.paths.clear()
    this.calls.length = 0
    this.singleInstanceLock = true
    this.ready = false
    this.readyWaiters = []
    this.quitRequests = 0
    this.badgeCount = 0
    this.quitted = false
    this.exitCode = null
  }

  enableSandbox(): void { this.calls.push(['enableSandbox', this.ready]) }
  setAppUserModelId(id: string): void { this.calls.push(['setAppUserModelId', id]) }
  setBadgeCount(count: number): boolean { this.badgeCount = count; return true }
  setDesktopName(name: string): void { this.calls.push(['setDesktopName', name, this.ready]) }
  requestSingleInstanceLock(): boolean { this.calls.push(['requestSingleInstanceLock']); return this.singleInstanceLock }
  getVersion(): string { return '0.0.0-standin' }
  getPath(name: string): string {
    const path = this.paths.get(name)
    if (!path) throw new Error(`stand-in: app.getPath('${name}') was not set by the test`)
    return path
  }
  isReady(): boolean { return this.ready }
  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve))
  }
  /** The test decides when Electron is ready. */
  becomeReady(): void {
    this.ready = true
    for (const resolve of this.readyWaiters.splice(0)) resolve()
    this.emit('ready')
  }

  /** As Electron: 'before-quit' first, which a listener may cancel with preventDefault(). */
  quit(): void {
    this.quitRequests++
    let prevented = false
    this.emit('before-quit', { preventDefault: () => { prevented = true } })
    if (!prevented) this.quitted = true
  }

  exit(code = 0): void { this.exitCode = code }
}

class StandInSession {
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null = null
  permissionCheckHandler: ((wc: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null
  devicePermissionHandler: ((details: unknown) => boolean) | null = null
  displayMediaRequestHandler: ((request: unknown, callback: (streams: unknown) => void) => void) | null = null
  setPermissionRequestHandler(handler: StandInSession['permissionRequestHandler']): void { this.permissionRequestHandler = handler }
  setPermissionCheckHandler(handler: StandInSession['permissionCheckHandler']): void { this.permissionCheckHandler = handler }
  setDevicePermissionHandler(handler: StandInSession['devicePermissionHandler']): void { this.devicePermissionHandler = handler }
  setDisplayMediaRequestHandler(handler: StandInSession['displayMediaRequestHandler']): void { this.displayMediaRequestHandler = handler }
}

class StandInProtocol {
  readonly privileged: Array<{ scheme: string; privileges: Record<string, boolean> }> = []
  readonly handlers = new Map<string, (request: Request) => Promise<Response> | Response>()
  registeredBeforeReady: boolean | null = null
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>): void {
    this.registeredBeforeReady = !app.isReady()
    this.privileged.push(...schemes)
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void {
    if (this.handlers.has(scheme)) throw new Error(`stand-in: protocol.handle('${scheme}') twice`)
    this.handlers.set(scheme, handler)
  }
  /**
   * What the renderer would get for `url`. The handler gets the URL exactly as written here (a
   * real Request would already have folded `.` / `..` segments): the stricter case.
   */
  async fetch(url: string, method = 'GET'): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'))
    const handler = this.handlers.get(scheme)
    if (!handler) throw new Error(`stand-in: no protocol handler for ${scheme}:`)
    return handler({ url, method } as Request)
  }
}

class StandInTray extends EventEmitter {
  tooltip = ''
  /** macOS: the text beside the menu-bar icon. */
  title = ''
  menu: { items: MenuItem[] } | null = null
  destroyed = false
  constructor(readonly image: unknown) {
    super()
    standIn.trays.push(this)
  }
  setToolTip(text: string): void { this.tooltip = text }
  setTitle(text: string): void { this.title = text }
  setContextMenu(menu: { items: MenuItem[] }): void { this.menu = menu }
  destroy(): void { this.destroyed = true }
  /** Clicks the context-menu item with this label. */
  clickItem(label: string): void {
    const item = this.menu?.items.find((i) => i.label === label)
    if (!item?.click) throw new Error(`stand-in: the tray menu has no clickable '${label}'`)
    item.click()
  }
}

interface MenuItem {
  label?: string
  role?: string
  type?: string
  enabled?: boolean
  click?: () => void
  submenu?: MenuItem[]
}

export class Notification extends EventEmitter {
  static supported = true
  static isSupported(): boolean { return Notification.supported }
  shown = false
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {
    super()
    standIn.notifications.push(this)
  }
  show(): void { this.shown = true }
  /** The operator clicks it. */
  click(): void { this.emit('click', {}) }
}

/** Electron 45's ClipboardItem: MIME type -> payload (string or Blob), the keys are its types. */
export class ClipboardItem {
  readonly types: string[]
  constructor(readonly items: Record<string, string | Blob>) {
    this.types = Object.keys(items)
  }
}

class StandInClipboard {
  text = ''
  /** Every format of the last write, as bytes (a string payload is UTF-8, as Electron encodes it). */
  formats = new Map<string, Uint8Array>()
  clears = 0
  async writeText(text: string): Promise<void> {
    this.text = text
    this.formats = new Map([['text/plain', new TextEncoder().encode(text)]])
  }
  /** Like Electron: one call replaces the clipboard with every format of its items at once. */
  async write(items: ClipboardItem[]): Promise<void> {
    const formats = new Map<string, Uint8Array>()
    for (const item of items) {
      for (const [type, payload] of Object.entries(item.items)) {
        formats.set(type, typeof payload === 'string' ? new TextEncoder().encode(payload) : new Uint8Array(await payload.arrayBuffer()))
      }
    }
    this.formats = formats
    const text = formats.get('text/plain')
    this.text = text ? new TextDecoder().decode(text) : ''
  }
  async readText(): Promise<string> { return this.text }
  clear(): void { this.text = ''; this.formats = new Map(); this.clears++ }
}

export const app = new StandInApp()
export const ipcMain = new StandInIpcMain()
export const session = { defaultSession: new StandInSession() }
export const protocol = new StandInProtocol()
export const clipboard = new StandInClipboard()
export const powerMonitor = new EventEmitter()
export const shell = { opened: [] as string[], async openExternal(url: string): Promise<void> { shell.opened.push(url) } }
export const dialog = {
  errors: [] as Array<[string, string]>,
  saveDialogs: 0,
  /** Every showMessageBox question, and the button index the next ones answer with. */
  messageBoxes: [] as Array<{ message: string; buttons: string[]; parented: boolean }>,
  messageBoxResponse: 0,
  async showMessageBox(...args: unknown[]): Promise<{ response: number; checkboxChecked: boolean }> {
    const options = args.at(-1) as { message: string; buttons?: string[] }
    dialog.messageBoxes.push({ message: options.message, buttons: options.buttons ?? [], parented: args.length > 1 })
    return { response: dialog.messageBoxResponse, checkboxChecked: false }
  },
  showErrorBox(title: string, content: string): void { dialog.errors.push([title, content]) },
  async showSaveDialog(): Promise<{ canceled: boolean; filePath?: string }> { dialog.saveDialogs++; return { canceled: true } }
}
export const systemPreferences = {
  touchId: { available: true, answer: true, prompts: [] as string[] },
  canPromptTouchID: (): boolean => systemPreferences.touchId.available,
  async promptTouchID(reason: string): Promise<void> {
    systemPreferences.touchId.prompts.push(reason)
    if (!systemPreferences.touchId.answer) throw new Error('stand-in: Touch ID cancelled')
  }
}
export const nativeImage = { createFromPath: (path: string) => ({ path }) }
export const Menu = {
  applicationMenu: undefined as { items: MenuItem[] } | null | undefined,
  buildFromTemplate: (items: MenuItem[]) => ({ items }),
  setApplicationMenu(menu: { items: MenuItem[] } | null): void { Menu.applicationMenu = menu }
}
export { StandInTray as Tray }

/** What the stand-in recorded, beyond the objects above. */
export const standIn = {
  windowsCreated: [] as StandInWindowOptions[],
  trays: [] as StandInTray[],
  notifications: [] as Notification[],
  /** Back to a fresh, not-ready Electron (between tests; src/main keeps no module state). */
  reset(): void {
    app.resetState()
    for (const emitter of [ipcMain, powerMonitor]) emitter.removeAllListeners()
    ipcMain.handlers.clear()
    ipcMain.registered.length = 0
    session.defaultSession = new StandInSession()
    protocol.privileged.length = 0
    protocol.handlers.clear()
    protocol.registeredBeforeReady = null
    clipboard.text = ''
    clipboard.formats = new Map()
    clipboard.clears = 0
    shell.opened.length = 0
    dialog.errors.length = 0
    dialog.saveDialogs = 0
    dialog.messageBoxes.length = 0
    dialog.messageBoxResponse = 0
    Menu.applicationMenu = undefined
    BrowserWindow.all.length = 0
    standIn.windowsCreated.length = 0
    standIn.trays.length = 0
    standIn.notifications.length = 0
    Notification.supported = true
    systemPreferences.touchId = { available: true, answer: true, prompts: [] }
  }
}

// The real src/main (shell.ts and every module it wires: window, ipc, tray, notifications,
// clipboard, menu, security/*) run against a STAND-IN for the electron module
// (test/support/electron-standin.ts): Electron's binary cannot run here, so that module is the one
// boundary replaced. What the shell promises is asserted on what it asked of "Electron": the
// channels it registered, the windows it created, the handlers it installed.
// Two kinds of core behind it: a FAKE host (named so) where the point is the shell's own checks,
// and the real core host (SQLite in a temp dir, keytar with a throwaway keychain service, the
// emulator over HTTP) for the journeys the core takes part in. Run inside scripts/with-keyring.sh.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../support/electron-standin'))

import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, Notification, powerMonitor, protocol, session, shell, standIn, StandInWebContents, systemPreferences } from '../support/electron-standin'
import { startShell } from '../../src/main/shell'
import { APP_ID, LINUX_DESKTOP_NAME, PRODUCT_NAME } from '../../src/main/app-identity'
import { APP_ENTRY_URL } from '../../src/main/security/app-origin'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/app-protocol'
import { forbidden } from '../../src/main/security/sender'
import { countInGrace, trayTooltip } from '../../src/main/security/tray-summary'
import { rawFormat } from '../../src/main/security/clipboard-hints'
import { createCoreHost, type CoreHost, type CoreHostOptions } from '../../src/core/host'
import { createKeytarStore, type SecretStore } from '../../src/core/secrets'
import { EVENT_NAMES, eventChannel, OPERATION_NAMES, type EventName, type KeyRow } from '../../src/shared/contract'
import { startEmulator, type RunningEmulator } from '../../emulator/index'
import { tempDir } from '../support/temp'

const HOUR = 3_600_000
const INSTANCE_URL = 'https://fluxbase.example.com'

/** A FAKE core host: records what reaches dispatch and answers the few reads the shell makes itself. */
function fakeHost() {
  const dispatched: Array<[string, unknown]> = []
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  const answers: Record<string, unknown> = {
    'settings.get': { clipboardClearSeconds: 30 },
    'instances.list': [{ id: 'i1', baseUrl: INSTANCE_URL, label: 'Example' }],
    'tenants.list': [{ counts: { grace: 2 } }, { counts: { grace: 1, active: 4 } }],
    'inventory.query': { rows: [], total: 5 },
    'attention.count': { badge: 4, critical: 1, warning: 3, info: 2 }
  }
  /** Operations answered with this error code instead (e.g. 'locked'). */
  const refusing = new Map<string, string>()
  const fake = {
    answers,
    dispatched,
    checks: 0,
    closed: false,
    refusing,
    async dispatch(name: string, input: unknown) {
      dispatched.push([name, input])
      const code = refusing.get(name)
      if (code) return { ok: false, error: { code, message: `refused: ${code}` } }
      return { ok: true, value: answers[name] ?? {} }
    },
    onEvent(listener: (event: EventName, payload: unknown) => void) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    emit(event: EventName, payload: unknown) {
      for (const listener of listeners) listener(event, payload)
    },
    async checkSchedule() { fake.checks++ },
    locks: [] as string[],
    lock(why: string) { fake.locks.push(why) },
    async close() { fake.closed = true }
  }
  return fake
}
type FakeHost = ReturnType<typeof fakeHost>

interface Boot {
  window: BrowserWindow
  hostOptions: CoreHostOptions
  /** The app window's main frame, as ipcRenderer.invoke from the page would present it. */
  trusted: { sender: StandInWebContents; senderFrame: StandInWebContents['mainFrame'] }
}

let rendererDir: string
let outside: string

async function boot(options: { host?: FakeHost | ((o: CoreHostOptions) => Promise<CoreHost>); packaged?: boolean; platform?: NodeJS.Platform } = {}): Promise<Boot> {
  standIn.reset()
  app.isPackaged = options.packaged ?? false
  // Electron sets this in a packaged app; iconPath() reads it there.
  Object.assign(process, { resourcesPath: '/opt/Fluxbase Keys/resources' })
  const userData = tempDir('fbk-main-')
  app.paths.set('userData', join(userData, 'profile'))
  app.paths.set('documents', userData)
  let hostOptions: CoreHostOptions | null = null
  const host = options.host ?? fakeHost()
  const started = startShell({
    rendererDir,
    env: {},
    platform: options.platform ?? 'linux',
    createHost: async (o) => {
      hostOptions = o
      return typeof host === 'function' ? host(o) : (host as unknown as CoreHost)
    }
  })
  app.becomeReady()
  await started
  const window = BrowserWindow.all[0]!
  return { window, hostOptions: hostOptions!, trusted: { sender: window.webContents, senderFrame: window.webContents.mainFrame } }
}

/** Quits the way the tray's Quit does and waits until the shell let the quit through. */
async function quit(): Promise<void> {
  if (app.quitted || BrowserWindow.all.length === 0) return
  app.quit()
  await vi.waitFor(() => expect(app.quitted).toBe(true), { timeout: 20_000 })
}

beforeAll(() => {
  const dir = tempDir('fbk-renderer-')
  rendererDir = join(dir, 'renderer')
  outside = join(dir, 'outside')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  mkdirSync(outside)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Fluxbase Keys</title>')
  writeFileSync(join(rendererDir, 'assets/app.js'), 'export {}')
  writeFileSync(join(outside, 'secret.txt'), 'OUTSIDE-SECRET')
  try {
    symlinkSync(join(outside, 'secret.txt'), join(rendererDir, 'assets/link.txt'))
    symlinkSync(outside, join(rendererDir, 'linked-dir'), 'junction')
  } catch (error) {
    // Windows without Developer Mode may not create file symlinks: those two requests are then
    // just missing files (still refused), and the symlink case is covered on Linux and macOS.
    if (process.platform !== 'win32') throw error
  }
})

afterEach(async () => {
  await quit()
})

describe('IPC: one handler per contract operation, each checking its sender', () => {
  it('registers exactly one ipcMain.handle per operation in OPERATION_NAMES and no other channel', async () => {
    await boot()
    expect([...ipcMain.registered].sort()).toEqual([...OPERATION_NAMES].sort())
    expect(new Set(ipcMain.registered).size).toBe(ipcMain.registered.length)
    expect(ipcMain.eventNames(), 'no ipcMain.on / once listeners').toEqual([])
  })

  it('every operation refuses a sender that is not the app window\'s main frame on the app origin, before the core sees it', async () => {
    const host = fakeHost()
    const { window } = await boot({ host })
    const stranger = new StandInWebContents(APP_ENTRY_URL)
    const untrusted = {
      'a subframe of the app window, even on the app origin': { sender: window.webContents, senderFrame: window.webContents.subframe(APP_ENTRY_URL) },
      'another web contents on the app origin': { sender: stranger, senderFrame: stranger.mainFrame },
      'the app window after it navigated away': { sender: window.webContents, senderFrame: { ...window.webContents.mainFrame, url: 'https://evil.example/' } },
      'a frame that is gone': { sender: window.webContents, senderFrame: null }
    }
    for (const name of OPERATION_NAMES) {
      for (const [who, from] of Object.entries(untrusted)) {
        expect(await ipcMain.invoke(name, from, { marker: name }), `${name} from ${who}`).toEqual(forbidden())
      }
    }
    // The shell's own reads (tray counts, clipboard delay) reach the core; no refused call did.
    expect(host.dispatched.filter(([, input]) => (input as { marker?: string } | null)?.marker !== undefined)).toEqual([])
  })

  it('every operation from the app window reaches the core once, with its input', async () => {
    const host = fakeHost()
    const { trusted } = await boot({ host })
    for (const name of OPERATION_NAMES) {
      const before = host.dispatched.length
      await ipcMain.invoke(name, trusted, { marker: name })
      expect(host.dispatched.slice(before).filter(([, input]) => (input as { marker?: string })?.marker === name), name).toEqual([[name, { marker: name }]])
    }
  })

  it('core events go to the app window only, on event:<name> channels', async () => {
    const host = fakeHost()
    const { window } = await boot({ host })
    for (const name of EVENT_NAMES) host.emit(name, { probe: name })
    host.emit('not.an.event' as EventName, { probe: 'stray' })
    const channels = window.webContents.sent.filter((m) => (m.payload as { probe?: string })?.probe).map((m) => m.channel)
    expect(channels).toEqual(EVENT_NAMES.map(eventChannel))
  })

  it('removes every handler on quit', async () => {
    await boot()
    await quit()
    expect(ipcMain.handlers.size).toBe(0)
  })
})

describe('windows: every one hardened', () => {
  const SECURE = {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false
  }

  it('creates every window sandboxed, context-isolated, without Node, with web security and content protection', async () => {
    const { window } = await boot()
    // Closing hides (tray app); once the window is really gone, activate and second-instance make a new one.
    window.close()
    expect(window.isDestroyed()).toBe(false)
    window.destroy()
    app.emit('activate')
    BrowserWindow.all.at(-1)!.destroy()
    app.emit('second-instance', {}, [], '')
    expect(standIn.windowsCreated).toHaveLength(3)
    for (const [i, options] of standIn.windowsCreated.entries()) {
      expect(options.webPreferences, `window ${i}`).toMatchObject(SECURE)
      expect(options.webPreferences?.['enableBlinkFeatures'], `window ${i}`).toBeUndefined()
      expect(options.webPreferences?.['session'], `window ${i}`).toBe(session.defaultSession)
      expect(String(options.webPreferences?.['preload']), `window ${i}: the CommonJS preload`).toMatch(/[\\/]preload[\\/]index\.js$/)
      expect(options.title).toBe(PRODUCT_NAME)
      expect(options.show, 'shown on ready-to-show, not before').toBe(false)
    }
    expect(BrowserWindow.all.every((w) => w.isContentProtected())).toBe(true)
    expect(BrowserWindow.all.every((w) => w.loadedUrl === APP_ENTRY_URL)).toBe(true)
  })

  it('turns the sandbox on for every renderer and registers app:// before ready, with no extra privileges', async () => {
    await boot()
    expect(app.calls).toContainEqual(['enableSandbox', false])
    expect(protocol.registeredBeforeReady).toBe(true)
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
  })

  it('tells the OS who it is: AppUserModelID on Windows, the desktop name on Linux, before ready', async () => {
    await boot({ platform: 'win32' })
    expect(app.calls).toContainEqual(['setAppUserModelId', APP_ID])
    await quit()
    await boot({ platform: 'linux' })
    expect(app.calls).toContainEqual(['setDesktopName', LINUX_DESKTOP_NAME, false])
  })

  it('the lock holder brings its window back on a second instance; a second instance quits at once', async () => {
    const { window } = await boot()
    window.minimize()
    app.emit('second-instance', {}, [], '')
    expect(window.isMinimized()).toBe(false)
    expect(window.isVisible()).toBe(true)
    expect(window.focusCount).toBeGreaterThan(0)
    await quit()

    standIn.reset()
    app.singleInstanceLock = false
    const createHost = vi.fn()
    const started = startShell({ rendererDir, env: {}, platform: 'linux', createHost })
    app.becomeReady()
    await started
    expect(app.quitRequests).toBe(1)
    expect(standIn.windowsCreated).toHaveLength(0)
    expect(ipcMain.handlers.size).toBe(0)
    expect(createHost).not.toHaveBeenCalled()
  })

  it('says once why it cannot start when the local data cannot be opened, and exits 1', async () => {
    standIn.reset()
    app.paths.set('userData', join(tempDir('fbk-main-'), 'profile'))
    const started = startShell({ rendererDir, env: {}, platform: 'linux', createHost: async () => { throw new Error('database disk image is malformed') } })
    app.becomeReady()
    await started
    expect(dialog.errors).toHaveLength(1)
    expect(dialog.errors[0]![1]).toMatch(/malformed/)
    expect(app.exitCode).toBe(1)
    expect(standIn.windowsCreated).toHaveLength(0)
  })
})

describe('web contents: navigation, window.open, webviews and permissions denied', () => {
  it('applies to the app window and to any web contents created later', async () => {
    const { window } = await boot()
    const later = new StandInWebContents('about:blank')
    app.emit('web-contents-created', {}, later)
    for (const contents of [window.webContents, later]) {
      expect(contents.navigate('will-navigate', 'app://fluxbase-keys/index.html#/keys'), 'inside the app').toBe(false)
      expect(contents.navigate('will-navigate', 'https://evil.example/phish'), 'away').toBe(true)
      expect(contents.navigate('will-frame-navigate', 'file:///etc/passwd'), 'a frame away').toBe(true)
      expect(contents.navigate('will-redirect', 'https://evil.example/'), 'a redirect away').toBe(true)
      expect(contents.navigate('will-navigate', `${INSTANCE_URL}/dashboard`), 'an instance page: to the browser instead').toBe(true)
      expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
      expect(contents.windowOpenHandler?.({ url: `${INSTANCE_URL}/docs` })).toEqual({ action: 'deny' })
      expect(contents.attachWebview(), '<webview>').toBe(true)
    }
    // Only https pages of a configured instance go to the system browser, after one native
    // confirmation for that origin (four requests at once share one dialog).
    await vi.waitFor(() => expect(shell.opened.length).toBe(4))
    expect(new Set(shell.opened)).toEqual(new Set([`${INSTANCE_URL}/dashboard`, `${INSTANCE_URL}/docs`]))
    expect(dialog.messageBoxes).toEqual([{ message: `Open ${INSTANCE_URL} in your browser?`, buttons: ['Open in browser', 'Cancel'], parented: true }])
  })

  it('an instance the page added on its own opens nothing until the operator confirms it in a native dialog', async () => {
    const host = fakeHost()
    const { window } = await boot({ host })
    // A compromised page adds https://evil.example as an instance: it is on the allowlist now.
    const evil = 'https://evil.example'
    host.answers['instances.list'] = [{ id: 'i1', baseUrl: INSTANCE_URL, label: 'Example' }, { id: 'i2', baseUrl: evil, label: 'Looks fine' }]
    dialog.messageBoxResponse = 1 // Cancel
    expect(window.webContents.windowOpenHandler?.({ url: `${evil}/login` })).toEqual({ action: 'deny' })
    await vi.waitFor(() => expect(dialog.messageBoxes).toHaveLength(1))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(shell.opened).toEqual([])
    // Declined is not remembered as yes: the next request asks again; confirmed, it opens,
    // and later pages of that origin open without asking again this run.
    dialog.messageBoxResponse = 0
    window.webContents.windowOpenHandler?.({ url: `${evil}/login` })
    await vi.waitFor(() => expect(shell.opened).toEqual([`${evil}/login`]))
    window.webContents.windowOpenHandler?.({ url: `${evil}/other` })
    await vi.waitFor(() => expect(shell.opened).toEqual([`${evil}/login`, `${evil}/other`]))
    expect(dialog.messageBoxes.map((m) => m.message)).toEqual([`Open ${evil} in your browser?`, `Open ${evil} in your browser?`])
  })

  it('denies every permission request and check on the session', async () => {
    await boot()
    const ses = session.defaultSession
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'hid', 'fullscreen']) {
      const callback = vi.fn()
      ses.permissionRequestHandler!({}, permission, callback, {})
      expect(callback, permission).toHaveBeenCalledWith(false)
      expect(ses.permissionCheckHandler!({}, permission, 'app://fluxbase-keys', {}), permission).toBe(false)
    }
    expect(ses.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false)
    const display = vi.fn()
    ses.displayMediaRequestHandler!({}, display)
    expect(display).toHaveBeenCalledWith(null)
  })
})

describe('app:// serves only the renderer folder', () => {
  it('serves the bundle with its CSP, and nothing outside it (traversal, encoded traversal, symlinks, other hosts, writes)', async () => {
    await boot()
    const index = await protocol.fetch('app://fluxbase-keys/index.html')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect((await protocol.fetch('app://fluxbase-keys/')).status).toBe(200)
    expect((await protocol.fetch('app://fluxbase-keys/assets/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/)
    const refused = [
      'app://fluxbase-keys/../outside/secret.txt',
      'app://fluxbase-keys/%2e%2e/outside/secret.txt',
      'app://fluxbase-keys/assets/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt',
      'app://fluxbase-keys/%252e%252e/outside/secret.txt',
      'app://fluxbase-keys/..%5coutside%5csecret.txt',
      'app://fluxbase-keys/assets/link.txt',
      'app://fluxbase-keys/linked-dir/secret.txt',
      'app://evil/index.html',
      'app://fluxbase-keys.evil/index.html'
    ]
    for (const url of refused) {
      const response = await protocol.fetch(url)
      expect(response.status, url).toBeGreaterThanOrEqual(400)
      expect(await response.text(), url).not.toContain('OUTSIDE-SECRET')
    }
    expect((await protocol.fetch('app://fluxbase-keys/index.html', 'POST')).status).toBe(405)
  })
})

describe('menu', () => {
  const roles = (items: Array<{ role?: string; submenu?: unknown }> | undefined): string[] =>
    (items ?? []).flatMap((item) => [item.role ?? '', ...roles(item.submenu as never)])

  it('the packaged app has no Reload and no developer tools; development keeps them', async () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      await boot({ packaged: true, platform })
      const menu = Menu.applicationMenu
      expect(menu, `${platform}: a menu was set (not Electron's default)`).not.toBeUndefined()
      const all = roles(menu?.items)
      for (const role of ['reload', 'forceReload', 'toggleDevTools']) expect(all, `${platform} packaged`).not.toContain(role)
      if (platform === 'darwin') expect(all).toEqual(expect.arrayContaining(['editMenu', 'quit']))
      await quit()
    }
    await boot({ packaged: false })
    expect(roles(Menu.applicationMenu?.items)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']))
  })
})

describe('tray, notifications, sleep and quit (fake host)', () => {
  it('the tray shows what needs attention and what is in grace, and refreshes on inventory and status changes', async () => {
    const host = fakeHost()
    await boot({ host })
    const tray = standIn.trays[0]!
    const expected = trayTooltip({ locked: false, needAttention: 4, critical: 1, inGrace: 3 })
    expect(expected).toBe('Fluxbase Keys: 4 items need attention (1 critical), 3 keys in grace')
    await vi.waitFor(() => expect(tray.tooltip).toBe(expected))
    expect(tray.menu?.items.map((i) => i.label)).toEqual([expected, undefined, 'Open Fluxbase Keys', 'Quit'])
    // Linux: the launcher badge; the menu-bar title is macOS only.
    expect(app.badgeCount).toBe(4)
    expect(tray.title).toBe('')
    const reads = (): number => host.dispatched.filter(([n]) => n === 'attention.count').length
    const before = reads()
    host.emit('inventory.changed', { reason: 'sync' })
    await vi.waitFor(() => expect(reads()).toBe(before + 1))
    host.emit('app.status', {})
    await vi.waitFor(() => expect(reads()).toBe(before + 2))
  })

  it('a burst of events is one more read, not one each', async () => {
    const host = fakeHost()
    await boot({ host })
    const reads = (): number => host.dispatched.filter(([n]) => n === 'attention.count').length
    await vi.waitFor(() => expect(reads()).toBe(1))
    for (let i = 0; i < 50; i++) host.emit('inventory.changed', { reason: 'bulk' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(reads()).toBeLessThanOrEqual(3)
  })

  it('locked: the tray says only that, with no badge; macOS puts the count beside the menu-bar icon', async () => {
    const host = fakeHost()
    await boot({ host, platform: 'darwin' })
    const tray = standIn.trays[0]!
    await vi.waitFor(() => expect(tray.title).toBe('4'))
    expect(app.badgeCount).toBe(4)
    host.refusing.set('attention.count', 'locked')
    host.refusing.set('tenants.list', 'locked')
    host.emit('app.status', { locked: true })
    await vi.waitFor(() => expect(tray.tooltip).toBe('Fluxbase Keys: locked'))
    expect(tray.title).toBe('')
    expect(app.badgeCount).toBe(0)
  })

  it('resume from sleep and unlock re-plan the schedule', async () => {
    const host = fakeHost()
    await boot({ host })
    const before = host.checks
    powerMonitor.emit('resume')
    powerMonitor.emit('unlock-screen')
    expect(host.checks).toBe(before + 2)
  })

  it('the OS lock and sleep lock the app; Touch ID is offered to the core on macOS only', async () => {
    const host = fakeHost()
    const { hostOptions } = await boot({ host })
    powerMonitor.emit('lock-screen')
    powerMonitor.emit('suspend')
    expect(host.locks).toEqual(['the screen was locked', 'the computer went to sleep'])
    expect(hostOptions.biometric).toBeUndefined()
    await quit()

    const mac = await boot({ platform: 'darwin' })
    const touchId = mac.hostOptions.biometric!
    expect(touchId.available()).toBe(true)
    expect(await touchId.verify('unlock Fluxbase Keys')).toBe(true)
    systemPreferences.touchId.answer = false
    expect(await touchId.verify('unlock Fluxbase Keys')).toBe(false)
    expect(systemPreferences.touchId.prompts).toEqual(['unlock Fluxbase Keys', 'unlock Fluxbase Keys'])
  })

  it('a notification click brings the window up and opens that key; none is made where unsupported', async () => {
    const { window, hostOptions } = await boot()
    window.hide()
    const ref = { instanceId: 'i1', tenantId: 't1', keyId: 'k1' }
    hostOptions.notifier.show({ kind: 'grace_ending', title: 'Grace period ends in 23 hours', body: 'k1', ref } as never)
    const note = standIn.notifications.at(-1)!
    expect(note.shown).toBe(true)
    note.click()
    expect(window.isVisible()).toBe(true)
    expect(window.webContents.sent).toContainEqual({ channel: eventChannel('key.open'), payload: ref })
    Notification.supported = false
    hostOptions.notifier.show({ kind: 'grace_ending', title: 't', body: 'b', ref } as never)
    expect(standIn.notifications).toHaveLength(1)
  })

  it.each([
    ['linux', 'x-kde-passwordManagerHint'],
    ['win32', 'ExcludeClipboardContentFromMonitorProcessing'],
    ['darwin', 'org.nspasteboard.ConcealedType']
  ] as const)('on %s a copied value is written with its text and the %s marker in one write', async (platform, marker) => {
    const { hostOptions } = await boot({ platform })
    await hostOptions.clipboard.writeText('fbk_copied_secret')
    expect(clipboard.text).toBe('fbk_copied_secret')
    expect([...clipboard.formats.keys()]).toContain(rawFormat(marker))
    expect(new TextDecoder().decode(clipboard.formats.get('text/plain'))).toBe('fbk_copied_secret')
    // The shell's clear-if-unchanged still recognises its own value.
    expect(await hostOptions.clipboard.readText()).toBe('fbk_copied_secret')
  })

  it('quit clears a value we copied, leaves what the operator copied since, and closes the core last', async () => {
    const host = fakeHost()
    const { hostOptions } = await boot({ host })
    await hostOptions.clipboard.writeText('fbk_copied_secret')
    expect(clipboard.text).toBe('fbk_copied_secret')
    await quit()
    expect(clipboard.text).toBe('')
    expect(host.closed).toBe(true)
    expect(standIn.trays[0]!.destroyed).toBe(true)

    const second = fakeHost()
    const again = await boot({ host: second })
    await again.hostOptions.clipboard.writeText('fbk_copied_secret')
    clipboard.text = 'the operator\'s own text'
    await quit()
    expect(clipboard.text).toBe('the operator\'s own text')
  })
})

describe('with the real core host (SQLite, keytar, the emulator)', () => {
  let emulator: RunningEmulator
  const stores: SecretStore[] = []
  beforeAll(async () => {
    emulator = await startEmulator({ controlRoutes: true, seed: { tenants: 2, keysPerTenant: 2, seed: 15 } })
  })
  afterAll(async () => {
    await emulator?.close()
    for (const secrets of stores) for (const account of await secrets.list().catch(() => [])) await secrets.delete(account).catch(() => false)
  })
  const realHost = () => {
    const secrets = createKeytarStore({ service: `Fluxbase Keys test ${randomUUID()}` })
    stores.push(secrets)
    return (options: CoreHostOptions) => createCoreHost({ ...options, secrets, now: () => emulator.clock.now() })
  }
  const ok = async <T>(promise: Promise<unknown>): Promise<T> => {
    const result = (await promise) as { ok: boolean; value?: T; error?: { message: string } }
    if (!result.ok) throw new Error(result.error?.message)
    return result.value as T
  }

  it('unpackaged, FLUXBASE_KEYS_KEYCHAIN_SERVICE keeps the default core on a throwaway keychain service', async () => {
    standIn.reset()
    app.paths.set('userData', join(tempDir('fbk-main-'), 'profile'))
    const service = `Fluxbase Keys test ${randomUUID()}`
    const secrets = createKeytarStore({ service })
    stores.push(secrets)
    const started = startShell({ rendererDir, platform: 'linux', env: { FLUXBASE_KEYS_KEYCHAIN_SERVICE: service } })
    app.becomeReady()
    await started
    const window = BrowserWindow.all[0]!
    const { instanceAdmin } = emulator.credentials
    const { instance } = await ok<{ instance: { id: string } }>(ipcMain.invoke('instances.add', { sender: window.webContents, senderFrame: window.webContents.mainFrame }, {
      baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password }
    }))
    expect(await secrets.list()).toContain(`instance:${instance.id}:admin`)
  })

  it('through IPC: onboarding, a key in grace on the tray, resume re-plans the warning, its notification opens the key, quit clears the copied value', async () => {
    const { window, trusted } = await boot({ host: realHost() })
    const call = <T>(name: string, input: unknown): Promise<T> => ok<T>(ipcMain.invoke(name, trusted, input))
    expect(await call('app.status', {})).toMatchObject({ shell: 'electron' })

    const { instanceAdmin } = emulator.credentials
    const { instance } = await call<{ instance: { id: string } }>('instances.add', {
      baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password }
    })
    await call('sync.run', {})
    const tray = standIn.trays[0]!
    const expectedTooltip = async (): Promise<string> => {
      const counts = await call<{ badge: number; critical: number }>('attention.count', {})
      return trayTooltip({ locked: false, needAttention: counts.badge, critical: counts.critical, inGrace: countInGrace(await call('tenants.list', {})) })
    }
    await vi.waitFor(async () => expect(tray.tooltip).toBe(await expectedTooltip()))
    const graceBefore = countInGrace(await call('tenants.list', {}))

    const tenantId = emulator.tenants.find((t) => !t.isDefault)!.id
    const name = `shell-${randomUUID().slice(0, 8)}`
    const created = await call<{ key: KeyRow }>('keys.create', { instanceId: instance.id, tenantId, input: { name, keyType: 'service', scopes: ['*'] } })
    const ref = { instanceId: instance.id, tenantId, keyId: created.key.id }
    await call('keys.deprecate', { ref, graceHours: 30 })
    // The tray follows: one more key in grace.
    await vi.waitFor(async () => {
      expect(countInGrace(await call('tenants.list', {}))).toBe(graceBefore + 1)
      expect(tray.tooltip).toBe(await expectedTooltip())
    })

    // Asleep for 7 hours: 23 h of grace left, the 24 h warning is due; resume re-plans at once.
    window.hide()
    emulator.clock.advance(7 * HOUR)
    powerMonitor.emit('resume')
    const ours = (): Notification | undefined => standIn.notifications.find((n) => n.options.body.includes(name))
    await vi.waitFor(() => expect(ours()?.shown).toBe(true), { timeout: 10_000 })
    expect(ours()!.options.title).toMatch(/^Grace period ends in/)
    ours()!.click()
    expect(window.isVisible()).toBe(true)
    expect(window.webContents.sent).toContainEqual({ channel: eventChannel('key.open'), payload: ref })

    // The key's value goes to the system clipboard through the core, and quitting takes it off.
    await call('keys.copyValue', ref)
    expect(clipboard.text).toMatch(/^sk_live_/)
    tray.clickItem('Quit')
    await vi.waitFor(() => expect(app.quitted).toBe(true), { timeout: 20_000 })
    expect(clipboard.text).toBe('')
    expect(ipcMain.handlers.size).toBe(0)
  }, 60_000)
})

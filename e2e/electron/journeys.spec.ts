// The journeys only the real Electron shell can show, through Playwright's _electron.launch
// against the built app and an in-process emulator: the system clipboard cleared after the delay,
// a real Notification's click, the tray menu, the app menu, and a reload (that keeps a locked app
// locked, once the lock feature is in the contract). Where no Electron binary
// is installed every test skips with the printed reason (launch.ts).
// Two things are driven from the main process because no automation reaches them: the OS does
// not let a test click a notification bubble or a tray menu, so the spec keeps the Notification
// objects and tray menus the app creates (by wrapping Notification.prototype.show and
// Tray.prototype.setContextMenu) and emits the click on the real object, where the app's own
// handler runs. The packaged app's menu cannot be read here: Playwright attaches through the
// inspector, which the packaged app's nodeCliInspect fuse turns off; test/main/shell.test.ts
// ("menu") asserts it for the packaged case.
import { expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import type { RunningEmulator } from '../../emulator/index'
import { startEmulator } from '../../emulator/index'
import { createKeytarStore } from '../../src/core/secrets'
import { binary, launchApp, skipWithoutElectron, type LaunchedApp } from './launch'

type G = { __fbk: { notes: Array<{ body: string; emit(e: string): void }>; menus: Array<{ items: Array<{ label: string; click: () => void }> }> } }

test.describe('Electron shell: journeys only Electron can show', () => {
  test.describe.configure({ mode: 'serial' })
  let launched: LaunchedApp | null = null
  let app: ElectronApplication
  let page: Page
  let emulator: RunningEmulator | null = null
  const name = `electron-${randomUUID().slice(0, 8)}`
  let ref: { instanceId: string; tenantId: string; keyId: string }

  /** `window.api.<feature>.<verb>(input)` in the page: the real preload, IPC, sender check and core. */
  const call = <T>(op: string, input: unknown = {}): Promise<T> =>
    page.evaluate(async ([name, arg]) => {
      const [feature, verb] = name.split('.') as [string, string]
      type Envelope = { ok: boolean; value?: unknown; error?: { message: string } }
      const bridge = (globalThis as unknown as { api: Record<string, Record<string, (input: unknown) => Promise<Envelope>>> }).api
      const result = await bridge[feature]![verb]!(arg)
      if (!result.ok) throw new Error(`${name}: ${result.error?.message}`)
      return result.value
    }, [op, input] as const) as Promise<T>

  test.beforeAll(async () => {
    if (!binary) return
    emulator = await startEmulator({ controlRoutes: true, seed: { tenants: 2, keysPerTenant: 2, seed: 45 } })
    launched = await launchApp()
    app = launched.app
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
    // Keep what the app shows through the OS, so the test can act where a person would click.
    await app.evaluate(({ Notification, Tray }) => {
      const g = globalThis as unknown as G
      g.__fbk = { notes: [], menus: [] }
      const show = Notification.prototype.show
      Notification.prototype.show = function (this: Electron.Notification) { g.__fbk.notes.push(this as never); return show.call(this) }
      const setContextMenu = Tray.prototype.setContextMenu
      Tray.prototype.setContextMenu = function (this: Electron.Tray, menu: Electron.Menu | null) { if (menu) g.__fbk.menus.push(menu as never); return setContextMenu.call(this, menu) }
    })
    const { instanceAdmin } = emulator.credentials
    const added = await call<{ instance: { id: string } }>('instances.add', {
      baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password }
    })
    await call('sync.run')
    const tenantId = emulator.tenants.find((t) => !t.isDefault)!.id
    const created = await call<{ key: { id: string } }>('keys.create', { instanceId: added.instance.id, tenantId, input: { name, keyType: 'service', scopes: ['*'] } })
    ref = { instanceId: added.instance.id, tenantId, keyId: created.key.id }
  })

  test.afterAll(async () => {
    await launched?.close()
    await emulator?.close()
    if (launched) {
      const secrets = createKeytarStore({ service: launched.keychainService })
      for (const account of await secrets.list().catch(() => [])) await secrets.delete(account).catch(() => false)
    }
  })

  skipWithoutElectron()

  test('the system clipboard holds the copied key, then is cleared after the delay', async () => {
    await call('settings.set', { clipboardClearSeconds: 5 })
    await call('keys.copyValue', ref)
    const read = (): Promise<string> => app.evaluate(async ({ clipboard }) => clipboard.readText())
    expect(await read()).toMatch(/^sk_live_/)
    await expect.poll(read, { timeout: 15_000, intervals: [500] }).toBe('')
  })

  test('a real notification for a key in grace; its click brings the window up on that key', async () => {
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.hide())
    // 20 h of grace: inside the 24 h warning's lead time, so that one warning is due at once.
    await call('keys.deprecate', { ref, graceHours: 20 })
    const ours = (): Promise<boolean> => app.evaluate((_e, n) => (globalThis as unknown as G).__fbk.notes.some((note) => note.body.includes(n)), name)
    await expect.poll(ours, { timeout: 15_000 }).toBe(true)
    await app.evaluate((_e, n) => (globalThis as unknown as G).__fbk.notes.find((note) => note.body.includes(n))!.emit('click'), name)
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible())).toBe(true)
    await expect(page.getByRole('heading', { name })).toBeVisible()
  })

  test('the tray menu says what is in grace and opens the window', async () => {
    const labels = (): Promise<string[]> => app.evaluate(() => ((globalThis as unknown as G).__fbk.menus.at(-1)?.items ?? []).map((i) => i.label))
    await expect.poll(async () => (await labels())[0], { timeout: 10_000 }).toMatch(/key(s)? in grace/)
    expect(await labels()).toEqual(expect.arrayContaining(['Open Fluxbase Keys', 'Quit']))
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.hide())
    await app.evaluate(() => (globalThis as unknown as G).__fbk.menus.at(-1)!.items.find((i) => i.label === 'Open Fluxbase Keys')!.click())
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isVisible())).toBe(true)
  })

  test('the app menu is the shell\'s own, not Electron\'s default (development: View with Reload and DevTools)', async () => {
    const menu = await app.evaluate(({ Menu }) => {
      const walk = (m: Electron.Menu | null | undefined): Array<{ label: string; role?: string; sub: unknown[] }> =>
        (m?.items ?? []).map((i) => ({ label: i.label, role: i.role, sub: walk(i.submenu) }))
      return walk(Menu.getApplicationMenu())
    })
    const labels = menu.map((m) => m.label)
    expect(labels).not.toContain('Help') // Electron's default menu has File, Edit, View, Window, Help
    expect(JSON.stringify(menu)).toMatch(/toggledevtools/i)
  })

  test('content protection stays on', async () => {
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isContentProtected()))).toEqual([true])
  })

  test('a reload keeps the app on its origin with its bridge and its data, and shows no key value', async () => {
    await page.reload()
    await page.waitForLoadState('domcontentloaded')
    expect(page.url()).toMatch(/^app:\/\/fluxbase-keys\//)
    expect(await call<Array<{ id: string }>>('instances.list')).toEqual(expect.arrayContaining([expect.objectContaining({ id: ref.instanceId })]))
    await expect(page.locator('body')).not.toContainText('sk_live_')
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })

  test('a reload keeps a locked app locked, and the core refuses actions meanwhile', async () => {
    const hasLock = await page.evaluate(() => typeof (globalThis as unknown as { api: { lock?: { status?: unknown } } }).api.lock?.status === 'function')
    test.skip(!hasLock, 'this build has no app lock yet (no lock.* operations in the contract)')
    const passcode = 'correct horse 45'
    await call('lock.setPasscode', { passcode })
    await call('lock.lock')
    await page.reload()
    await page.waitForLoadState('domcontentloaded')
    expect(await call('lock.status')).toMatchObject({ locked: true })
    // The lock screen stands in for everything (the same one the chromium-harness lock journey drives).
    await expect(page.getByRole('heading', { name: 'Fluxbase Keys is locked' })).toBeVisible()
    await expect(page.getByLabel('Passcode')).toBeVisible()
    await expect(page.getByRole('grid')).toHaveCount(0)
    await expect(page.locator('body')).not.toContainText(name)
    await expect(call('keys.copyValue', ref)).rejects.toThrow()
    await page.getByLabel('Passcode').fill(passcode)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await expect(page.getByRole('heading', { name: 'Fluxbase Keys is locked' })).toHaveCount(0)
    expect(await call('lock.status')).toMatchObject({ locked: false })
    await call('lock.disable', { current: passcode })
  })
})

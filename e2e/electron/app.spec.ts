// The main journey in the real Electron shell, through Playwright's _electron.launch. Runs wherever
// an Electron binary exists; on machines without one it is skipped with a printed reason, never silently.
import { expect, test, type ElectronApplication } from '@playwright/test'
import type { Api } from '../../src/shared/contract'
import { binary, launchApp, skipWithoutElectron, type LaunchedApp } from './launch'

test.describe('Electron shell', () => {
  let app: ElectronApplication
  let launched: LaunchedApp | null = null

  test.beforeAll(async () => {
    if (!binary) return
    launched = await launchApp()
    app = launched.app
  })

  test.afterAll(async () => {
    await launched?.close()
  })

  skipWithoutElectron()

  test('launches the hardened window on the app origin and shows the first screen', async () => {
    const page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
    await expect(page).toHaveTitle(/Fluxbase Keys/)
    expect(page.url()).toMatch(/^app:\/\/fluxbase-keys\//)
    await expect(page.locator('#app')).not.toBeEmpty()
    await expect(page.getByRole('main').or(page.getByRole('heading').first())).toBeVisible()
  })

  test('the page has no node, only window.api from the contract', async () => {
    const page = await app.firstWindow()
    // This project type-checks without the DOM lib, so page globals are read through globalThis.
    const probe = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>
      return {
        require: typeof g['require'],
        process: typeof g['process'],
        module: typeof g['module'],
        api: typeof g['api'],
        apiKeys: Object.keys((g['api'] ?? {}) as object).sort()
      }
    })
    expect(probe.require).toBe('undefined')
    expect(probe.process).toBe('undefined')
    expect(probe.module).toBe('undefined')
    expect(probe.api).toBe('object')
    expect(probe.apiKeys).toContain('keys')
    expect(probe.apiKeys).not.toContain('ipcRenderer')
  })

  test('main process: one window, content protection on; the page gets no permissions', async () => {
    const state = await app.evaluate(({ BrowserWindow }) => {
      const wins = BrowserWindow.getAllWindows()
      return { windows: wins.length, protectedContent: wins[0]?.isContentProtected() }
    })
    expect(state).toEqual({ windows: 1, protectedContent: true })
    const page = await app.firstWindow()
    const permission = await page.evaluate(async () => {
      const nav = (globalThis as unknown as { navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } } }).navigator
      return (await nav.permissions.query({ name: 'geolocation' })).state
    })
    expect(permission).toBe('denied')
  })

  test('the renderer answers app.status through IPC, and window.open is denied', async () => {
    const page = await app.firstWindow()
    const status = await page.evaluate(() => (globalThis as unknown as { api: Api }).api.app.status({}))
    expect(status).toMatchObject({ ok: true, value: { shell: 'electron' } })
    const opened = await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/') === null)
    expect(opened).toBe(true)
    expect(app.windows()).toHaveLength(1)
  })
})

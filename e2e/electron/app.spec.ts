// The main journey in the real Electron shell, through Playwright's _electron.launch. Runs wherever
// an Electron binary exists; on machines without one it is skipped with a printed reason, never silently.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Api } from '../../src/shared/contract'

const root = join(__dirname, '../..')

/** The Electron binary, found the way node_modules/electron/index.js does, WITHOUT requiring it (that would try to download). */
function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
const SKIP_REASON = 'Electron binary not installed on this machine (it cannot be downloaded here); the same journeys run in Chromium via the harness project'

test.describe('Electron shell', () => {
  let app: ElectronApplication
  let profileDir: string | null = null

  test.beforeAll(async () => {
    if (!binary) return
    if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('Build first: npm run build (out/main/index.js is missing)')
    app = await electron.launch({
      executablePath: binary,
      // A fresh profile per run: --user-data-dir moves app.getPath('userData') (cache, settings).
      args: [root, `--user-data-dir=${(profileDir = mkdtempSync(join(tmpdir(), 'fbk-electron-')))}`],
      env: { ...process.env, ELECTRON_RENDERER_URL: '' }
    })
  })

  test.afterAll(async () => {
    await app?.close()
    if (profileDir) rmSync(profileDir, { recursive: true, force: true })
  })

  test.beforeEach(() => {
    if (!binary) console.log(`[electron e2e] skipped: ${SKIP_REASON}`)
    test.skip(!binary, SKIP_REASON)
  })

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

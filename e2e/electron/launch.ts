// Launching the built app in the real Electron for the `electron` Playwright project. Where no
// Electron binary is installed (it cannot be downloaded on some machines) every spec skips with
// the printed reason, never silently.
import { _electron as electron, test, type ElectronApplication } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const root = join(__dirname, '../..')

/** The Electron binary, found the way node_modules/electron/index.js does, WITHOUT requiring it (that would try to download). */
export function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

export const binary = electronBinary()
export const SKIP_REASON = 'Electron binary not installed on this machine (it cannot be downloaded here); the same journeys run in Chromium via the harness project'

/** Call in a describe: skips each test with the printed reason where Electron is missing. */
export function skipWithoutElectron(): void {
  test.beforeEach(() => {
    if (!binary) console.log(`[electron e2e] skipped: ${SKIP_REASON}`)
    test.skip(!binary, SKIP_REASON)
  })
}

export interface LaunchedApp {
  app: ElectronApplication
  /** The throwaway keychain service this launch uses. */
  keychainService: string
  close(): Promise<void>
}

/**
 * The built app (out/) in a fresh profile (--user-data-dir moves app.getPath('userData')), with a
 * throwaway keychain service (FLUXBASE_KEYS_KEYCHAIN_SERVICE, honoured only unpackaged).
 */
export async function launchApp(options: { keychainService?: string } = {}): Promise<LaunchedApp> {
  const keychainService = options.keychainService ?? `Fluxbase Keys e2e ${randomUUID()}`
  if (!binary) throw new Error(SKIP_REASON)
  if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('Build first: npm run build (out/main/index.js is missing)')
  const profileDir = mkdtempSync(join(tmpdir(), 'fbk-electron-'))
  const app = await electron.launch({
    executablePath: binary,
    args: [root, `--user-data-dir=${profileDir}`],
    env: {
      ...process.env,
      ELECTRON_RENDERER_URL: '',
      FLUXBASE_KEYS_KEYCHAIN_SERVICE: keychainService
    }
  })
  return {
    app,
    keychainService,
    async close() {
      await app.close().catch(() => undefined)
      rmSync(profileDir, { recursive: true, force: true })
    }
  }
}

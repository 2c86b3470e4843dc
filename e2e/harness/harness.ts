// The browser harness: the built renderer in Debian Chromium, with the real core host (keytar,
// SQLite, HTTP, sync, lifecycle, schedule) in this Node process behind `window.api`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { randomUUID } from 'node:crypto'
import { chromium, type BrowserContext, type Page } from '@playwright/test'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index'
import { createCoreHost, type CoreHost } from '../../src/core/host'
import type { BiometricPort } from '../../src/core/ports'
import { createKeytarStore, type SecretStore } from '../../src/core/secrets'
import { installBridge, type Bridge } from './bridge'
import { HarnessClock } from './clock'
import { CHROMIUM_ARGS, chromiumPath } from './chromium'
import { InMemoryClipboard, RecordingNotifier, TempDirExportTarget } from './fakes'
import { serveRenderer, type RendererServer } from './server'
import { ObservedSecretStore } from './secrets-observer'


export interface HarnessOptions {
  headless?: boolean
  /** Start an in-process emulator with these options (default), or use `externalUrl` instead. */
  emulator?: EmulatorOptions
  externalUrl?: string
  /** Wrap the real keychain store (fault injectors); receives the observed real store. */
  wrapSecrets?: (real: SecretStore) => SecretStore
  rendererDir?: string
  viewport?: { width: number; height: number }
  /** Clipboard auto-clear seconds to set before the page opens. */
  clipboardClearSeconds?: number
  /** A device unlock (Touch ID's stand-in) for the lock screen; absent by default, as on Linux. */
  biometric?: BiometricPort
}

export interface HarnessRun {
  context: BrowserContext
  page: Page
  host: CoreHost
  emulator: RunningEmulator | null
  serverUrl: string
  rendererUrl: string
  clock: HarnessClock
  clipboard: InMemoryClipboard
  notifier: RecordingNotifier
  /** The real keychain store (observed): the test process may read it, the page never does. */
  secrets: ObservedSecretStore
  bridge: Bridge
  consoleLines: string[]
  dataDir: string
  /** Moves the emulator's, the app's and the page's clocks forward together. */
  advance(ms: number): Promise<void>
  close(): Promise<void>
}

export async function startHarness(options: HarnessOptions = {}): Promise<HarnessRun> {
  const cleanups: Array<() => Promise<unknown> | unknown> = []
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => undefined)
  }
  try {
    const emulator = options.externalUrl ? null : await startEmulator({ controlRoutes: true, ...options.emulator })
    if (emulator) cleanups.push(() => emulator.close())
    const serverUrl = options.externalUrl ?? emulator?.url ?? ''

    const server: RendererServer = await serveRenderer(options.rendererDir ?? resolve(__dirname, '../../out/renderer'))
    cleanups.push(() => server.close())

    const dataDir = mkdtempSync(join(tmpdir(), 'fbk-harness-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const clock = new HarnessClock()
    const clipboard = new InMemoryClipboard()
    const notifier = new RecordingNotifier()
    // A keychain service of its own per run: runs never see each other's (or the operator's) items.
    const secrets = new ObservedSecretStore(createKeytarStore({ service: `Fluxbase Keys harness ${randomUUID()}` }))
    cleanups.push(async () => {
      for (const account of await secrets.list().catch(() => [] as string[])) await secrets.delete(account).catch(() => false)
    })
    const host = await createCoreHost({
      dataDir,
      shell: 'browser-harness',
      version: 'harness',
      clipboard,
      notifier,
      exportTarget: new TempDirExportTarget(dataDir),
      secrets: options.wrapSecrets ? options.wrapSecrets(secrets) : secrets,
      now: clock.now,
      log: () => undefined,
      ...(options.biometric ? { biometric: options.biometric } : {})
    })
    cleanups.push(() => host.close())
    if (options.clipboardClearSeconds) {
      const r = await host.dispatch('settings.set', { clipboardClearSeconds: options.clipboardClearSeconds })
      if (!r.ok) throw new Error(`settings.set failed: ${r.error.message}`)
    }

    const profileDir = mkdtempSync(join(tmpdir(), 'fbk-chromium-'))
    cleanups.push(() => rmSync(profileDir, { recursive: true, force: true }))
    const headless = options.headless ?? true
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath(),
      headless,
      args: headless ? ['--headless', ...CHROMIUM_ARGS] : CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      colorScheme: 'light',
      reducedMotion: 'reduce'
    })
    cleanups.push(() => context.close())
    // Nothing leaves the machine: only the renderer's own origin is reachable.
    await context.route('**/*', (route) => {
      const url = route.request().url()
      return url.startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient')
    })
    const page = context.pages()[0] ?? await context.newPage()
    const consoleLines: string[] = []
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`))
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`))
    const bridge = await installBridge(context, page, host)
    cleanups.push(() => bridge.detach())
    await page.clock.install({ time: clock.now() })
    await page.goto(server.url)

    return {
      context, page, host, emulator, serverUrl, rendererUrl: server.url, clock, clipboard, notifier, secrets, bridge, consoleLines, dataDir,
      async advance(ms: number) {
        emulator?.clock.advance(ms)
        clock.advance(ms)
        await page.clock.fastForward(ms)
      },
      close: cleanup
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

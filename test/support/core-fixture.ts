// Test fixture: the real core host (keytar on gnome-keyring, SQLite file, HTTP) against
// the emulator, with the app clock bound to the emulator's controllable clock.
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index'
import { createCoreHost, type CoreHost } from '../../src/core/host'
import { createKeytarStore, type SecretStore } from '../../src/core/secrets'
import type { ApiError, EventName, OperationName, OpInput, OpOutput, WarningEvent } from '../../src/shared/contract'
import { InMemoryClipboard } from '../../e2e/harness/fakes'
import { removeTempDir, tempDir } from './temp'

export interface CoreFixture {
  emulator: RunningEmulator
  host: CoreHost
  dataDir: string
  secrets: SecretStore
  clipboard: InMemoryClipboard
  notifications: WarningEvent[]
  events: Array<{ event: EventName; payload: unknown }>
  logLines: string[]
  call<K extends OperationName>(name: K, input: OpInput<K>): Promise<OpOutput<K>>
  fail<K extends OperationName>(name: K, input: OpInput<K>): Promise<ApiError>
  /** Adds the emulator as an instance with the demo admin and syncs every tenant. */
  onboard(): Promise<{ instanceId: string }>
  /** Reopens the host on the same data dir (an app restart), optionally with or without the schedule. */
  restart(options?: { runSchedule?: boolean }): Promise<void>
  close(): Promise<void>
}

/**
 * `appClockAheadMs`: this computer's clock runs that far ahead of the server's (negative: behind),
 * as a laptop with a wrong clock would; the emulator's clock stays the server's.
 */
export async function coreFixture(options: { emulator?: EmulatorOptions; secrets?: SecretStore; dataDir?: string; appClockAheadMs?: number; runSchedule?: boolean } = {}): Promise<CoreFixture> {
  const emulator = await startEmulator({ controlRoutes: true, ...options.emulator })
  const dataDir = options.dataDir ?? tempDir('fbk-core-')
  // A service name per fixture keeps parallel test files out of each other's keychain entries.
  const secrets = options.secrets ?? createKeytarStore({ service: `Fluxbase Keys test ${randomUUID()}` })
  const clipboard = new InMemoryClipboard()
  const notifications: WarningEvent[] = []
  const events: CoreFixture['events'] = []
  const logLines: string[] = []

  let runSchedule = options.runSchedule ?? true
  const open = () => createCoreHost({
    runSchedule,
    dataDir,
    shell: 'browser-harness',
    version: 'test',
    clipboard,
    notifier: { show: (w) => notifications.push(w) },
    exportTarget: { choosePath: async (name) => join(dataDir, name) },
    secrets,
    now: () => emulator.clock.now() + (options.appClockAheadMs ?? 0),
    log: (line) => logLines.push(line)
  })
  let host = await open()
  let unsubscribe = host.onEvent((event, payload) => events.push({ event, payload }))

  const fixture: CoreFixture = {
    emulator, dataDir, secrets, clipboard, notifications, events, logLines,
    get host() {
      return host
    },
    async call(name, input) {
      const result = await host.dispatch(name, input)
      if (!result.ok) throw new Error(`${name} failed: [${result.error.code}] ${result.error.message}`)
      return result.value as never
    },
    async fail(name, input) {
      const result = await host.dispatch(name, input)
      if (result.ok) throw new Error(`${name} unexpectedly succeeded`)
      return result.error
    },
    async onboard() {
      const { instanceAdmin } = emulator.credentials
      const { instance } = await fixture.call('instances.add', {
        baseUrl: emulator.url, label: 'Emulator', auth: { kind: 'password', email: instanceAdmin.email, password: instanceAdmin.password }
      })
      await fixture.call('sync.run', {})
      return { instanceId: instance.id }
    },
    async restart(again = {}) {
      runSchedule = again.runSchedule ?? runSchedule
      unsubscribe()
      await host.close()
      host = await open()
      unsubscribe = host.onEvent((event, payload) => events.push({ event, payload }))
    },
    async close() {
      unsubscribe()
      await host.close()
      await emulator.close()
      for (const account of await secrets.list().catch(() => [])) await secrets.delete(account).catch(() => false)
      if (!options.dataDir) removeTempDir(dataDir)
    }
  }
  return fixture
}

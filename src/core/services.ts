// The long-lived parts the features share: the cache, the keychain, the per-instance clients,
// the expiry schedule, the clipboard guard, the app state and the event hub. Opened once per
// host, closed in the reverse order.
import { join } from 'node:path'
import { openCache, type Cache } from './cache'
import { toApiError } from './app/errors'
import { fileLogger, type Log } from './app/logger'
import { securePrivateDir } from './app/data-dir'
import { LockController } from './lock/controller'
import { lockAware } from './lock/redact'
import { CoreState } from './app/state'
import { EventHub } from './events'
import { ScheduleRunner } from './expiry/runner'
import { ClientPool } from './instances/clients'
import { restoreInstancesFromKeychain, type InstanceDeps } from './instances/instances'
import { rowProjector, type ToRow } from './inventory/rows'
import { ClipboardGuard } from './keys/copy'
import { finishRotation, type LifecycleDeps } from './keys/lifecycle'
import type { BiometricPort, ClipboardPort, ExportTargetPort, NotifierPort } from './ports'
import type { AppStatus } from '../shared/contract'
import { createKeytarStore, keychainLockFile, type SecretStore } from './secrets'
import { observeKeychain } from './secrets/observed'
import { SafetyKeeper } from './safety/keeper'
import { SafetyRestore } from './safety/restore'
import { readSafetyState } from './safety/state-file'
import { createSettingsStore, type SettingsStore } from './settings/store'

export interface CoreHostOptions {
  /** Directory for the SQLite cache and logs (created 0700). */
  dataDir: string
  /** Which shell runs this core (app.status says so). */
  shell: AppStatus['shell']
  version: string
  clipboard: ClipboardPort
  notifier: NotifierPort
  exportTarget: ExportTargetPort
  /** Defaults to the keytar store. */
  secrets?: SecretStore
  /** Injectable clock (tests bind it to the emulator's). */
  now?: () => number
  /** Log lines (never secrets). */
  log?: (line: string) => void
  /**
   * Run the expiry schedule (warnings, automatic finish-rotation); default true. A short-lived
   * shell beside the app (the CLI) turns it off: the schedule marks each warning as sent, so a
   * CLI run would take the app's desktop notifications, and it would disable keys on its own.
   */
  runSchedule?: boolean
  /** Touch ID or the like, where the shell has it. */
  biometric?: BiometricPort
}

export interface Services {
  cache: Cache
  secrets: SecretStore
  log: Log
  now: () => number
  state: CoreState
  events: EventHub
  clients: ClientPool
  settings: SettingsStore
  /** Settings changed: rebuild clients (timeouts) and re-plan the schedule (lead times). */
  settingsApplied(): void
  schedule: ScheduleRunner
  clipboard: ClipboardGuard
  lock: LockController
  /** Ids of create/rotate intents whose answer has not arrived yet (see keys/orphans.ts). */
  inFlight: Set<number>
  lifecycle: LifecycleDeps
  instances: InstanceDeps
  toRow: ToRow
  /** Sync calls it inside each tenant's commit (a rebuilt cache gets its kept facts back there). */
  afterTenantWrite: (instanceId: string, tenantId: string, keyIds: readonly string[]) => void
  close(): Promise<void>
}

export async function openServices(options: CoreHostOptions): Promise<Services> {
  securePrivateDir(options.dataDir)
  const now = options.now ?? Date.now
  const log = fileLogger(join(options.dataDir, 'logs', 'fluxbase-keys.log'), options.log)
  const cache = openCache(join(options.dataDir, 'inventory.sqlite'), { log })
  if (cache.recovery) log(`cache recovered: ${cache.recovery.reason}`)
  // What only the cache knew, kept beside it too (safety/): back after a rebuilt or lost cache.
  const stateFile = join(options.dataDir, 'safety-state.json')
  const rebuilt = cache.recovery !== null || cache.listInstances().length === 0
  const kept = rebuilt ? readSafetyState(stateFile, log) : null
  if (kept?.settings != null) cache.setSetting('app.settings', kept.settings)
  const events = new EventHub()
  const state = new CoreState({ version: options.version, shell: options.shell, cache, events, now })
  const secrets = observeKeychain(options.secrets ?? createKeytarStore({ lockFile: keychainLockFile(options.dataDir) }), {
    works: () => state.keychainWorks(),
    fails: (message) => state.keychainFails(message)
  })
  const lock = await LockController.open({ secrets, cache, now, log, biometric: options.biometric, changed: () => state.setLocked(lock.isLocked()) })
  state.setLocked(lock.isLocked())
  const settings = createSettingsStore(cache)
  const timeoutMs = () => settings.read().requestTimeoutSeconds * 1000
  const clients = new ClientPool({
    cache, secrets, now, timeoutMs,
    observer: (instanceId) => ({
      answered: (clock) => {
        state.reached(instanceId)
        if (clock) state.clockSample(instanceId, clock)
      },
      unreachable: (error) => state.notReached(instanceId, toApiError(error).message)
    }),
    onRateLimitWait: (instanceId, until) => state.rateLimitWait(instanceId, until)
  })
  const inFlight = new Set<number>()
  const lifecycle: LifecycleDeps = { cache, secrets, clients, now, log, inFlight }
  const instances: InstanceDeps = { cache, secrets, clients, now, timeoutMs, log }
  const clipboard = new ClipboardGuard(options.clipboard, (ref, cleared) => events.emit('clipboard.cleared', { ref, cleared }))

  const schedule = new ScheduleRunner({
    cache, settings, notifier: lockAware(options.notifier, lock), now, log,
    emitWarning: (warning) => events.emit('warning', warning),
    skewOf: (instanceId) => state.skewOf(instanceId),
    finishRotation: async (ref) => {
      await finishRotation(lifecycle, ref, 'disable')
      events.inventoryChanged('finish_rotation')
    }
  })
  // A closed runner never evaluates: that is how a shell without a schedule has none.
  if (options.runSchedule === false) void schedule.close()
  // A changed inventory may bring new deadlines: the schedule looks again.
  const unsubscribeSchedule = events.onInventoryChanged((reason) => { void schedule.inventoryChanged(reason) })

  // Probe the keychain once, so the status says at start whether it works; after a rebuild its
  // key entries also say again which keys have a stored value.
  const storedValues = await secrets.list(rebuilt ? 'key:' : 'instance:').catch((error: unknown) => {
    log(`keychain unavailable: ${toApiError(error).message}`)
    return [] as string[]
  })
  const restore = rebuilt ? new SafetyRestore(kept, storedValues.filter((a) => a.startsWith('key:'))) : null
  const keeper = new SafetyKeeper({ cache, file: stateFile, now, log, pending: () => restore?.pending() ?? { tenants: [], keys: [] } })
  const unsubscribeKeeper = events.on((event) => {
    if (event === 'inventory.changed') keeper.changed()
  })
  void schedule.check()
  // After a cache rebuild the instance list comes back from the keychain, in the background
  // because rediscovering tenants needs the network.
  const restoring = restoreInstancesFromKeychain({ ...instances, cache }, log, (i, t) => restore?.takeTenantChoice(i, t) ?? null).then((n) => {
    if (n === 0) return
    log(`restored ${n} instance(s) from the keychain`)
    events.inventoryChanged('instances_restored')
  }).catch((error: unknown) => log(`restore from keychain failed: ${toApiError(error).message}`))

  return {
    cache, secrets, log, now, state, events, clients, settings, schedule, clipboard, lock, inFlight, lifecycle, instances,
    toRow: rowProjector(cache, now),
    afterTenantWrite: (instanceId, tenantId, keyIds) => restore?.afterTenantWrite(cache, instanceId, tenantId, keyIds),
    settingsApplied() {
      clients.forget()
      keeper.changed()
      void schedule.check()
    },
    async close() {
      await restoring
      unsubscribeSchedule()
      unsubscribeKeeper()
      lock.close()
      keeper.close()
      await schedule.close()
      await clipboard.clearAllNow()
      events.clear()
      await cache.close()
    }
  }
}

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { operations, type AppStatus, type EventName, type EventPayload, type KeyRow, type OperationName, type OpOutput, type Result } from '../shared/contract'
import type { KeyMeta, KeyRef } from '../shared/domain'
import { KEY_STATUSES } from '../shared/domain'
import { keyStatus } from '../shared/status'
import { openCache, type Cache } from './cache'
import { FluxbaseError } from './fluxbase'
import { createKeytarStore, type SecretStore } from './secrets'
import { toCsv, toJson } from './export'
import { AppError, isUnreachable, toApiError } from './app/errors'
import { fileLogger, type Log } from './app/logger'
import { readSettings, writeSettings } from './app/settings'
import { ScheduleRunner } from './app/schedule'
import { ClientPool } from './instances/clients'
import { addInstance, rediscoverTenants, removeInstance, restoreInstancesFromKeychain, testConnection, updateCredential, type InstanceDeps } from './instances/instances'
import { syncTenants, type SyncTarget } from './sync/sync'
import * as lifecycle from './keys/lifecycle'
import { previewBulk, runBulk } from './keys/bulk'
import { ClipboardGuard } from './keys/copy'
import type { Issued } from './keys/lifecycle'
import type { CoreHost, CoreHostOptions } from './host'

type Input<K extends OperationName> = z.infer<(typeof operations)[K]['input']>
type Handlers = { [K in OperationName]: (input: Input<K>) => Promise<OpOutput<K>> }

const EXPORT_PAGE = 1000
/** Operations whose success proves the servers are reachable again. */
const REACHES_SERVER = new Set<OperationName>([
  'instances.test', 'instances.add', 'instances.rediscover', 'keys.create', 'keys.update', 'keys.disable', 'keys.enable',
  'keys.deprecate', 'keys.rotate', 'keys.finishRotation', 'keys.revoke', 'keys.delete'
])

export async function createCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  chmodSync(options.dataDir, 0o700)
  const now = options.now ?? Date.now
  const log: Log = fileLogger(join(options.dataDir, 'logs', 'fluxbase-keys.log'), options.log)
  const cache: Cache = openCache(join(options.dataDir, 'inventory.sqlite'), { log })
  const secrets: SecretStore = options.secrets ?? createKeytarStore()
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload)
  }

  const clients = new ClientPool({ cache, secrets, now, timeoutMs: () => readSettings(cache).requestTimeoutSeconds * 1000 })
  const inFlight = new Set<number>()
  const lifecycleDeps: lifecycle.LifecycleDeps = { cache, secrets, clients, now, log, inFlight }
  const instanceDeps: InstanceDeps = { cache, secrets, clients, now, timeoutMs: () => readSettings(cache).requestTimeoutSeconds * 1000 }
  const clipboard = new ClipboardGuard(options.clipboard, (ref, cleared) => emit('clipboard.cleared', { ref, cleared }))

  // Connectivity, as last observed: offline once the servers could not be reached,
  // online again after any successful contact.
  let offlineReason: string | null = null
  let syncing: AbortController | null = null
  let keychain = { ok: true, message: null as string | null }
  try {
    await secrets.list('instance:')
  } catch (error) {
    keychain = { ok: false, message: toApiError(error).message }
    log(`keychain unavailable: ${keychain.message}`)
  }
  if (cache.recovery) log(`cache recovered: ${cache.recovery.reason}`)

  /** The inventory is as of the newest successful tenant sync, not the newest attempt. */
  const lastGoodSync = (): string | null => {
    let newest: string | null = null
    for (const { sync } of cache.listTenants()) {
      const at = sync.kind === 'fresh' ? sync.at : sync.kind === 'never' ? null : sync.lastGoodAt
      if (at && (!newest || Date.parse(at) > Date.parse(newest))) newest = at
    }
    return newest
  }
  const status = (): AppStatus => ({
    version: options.version,
    shell: options.shell,
    offline: offlineReason !== null,
    offlineReason,
    lastSyncAt: lastGoodSync(),
    cacheRecovery: cache.recovery?.reason ?? null,
    keychain,
    syncing: syncing !== null
  })
  const setOffline = (reason: string | null) => {
    if (reason === offlineReason) return
    offlineReason = reason
    emit('app.status', status())
  }

  const instanceLabel = (id: string) => cache.getInstance(id)?.label ?? 'Unknown instance'
  const tenantName = (ref: KeyRef) => cache.getTenant(ref.instanceId, ref.tenantId)?.name ?? ref.tenantId
  const toRow = (key: KeyMeta): KeyRow => {
    const tenant = cache.getTenant(key.instanceId, key.tenantId)
    return {
      ...key,
      tenantName: tenant?.name ?? key.tenantId,
      tenantSlug: tenant?.slug ?? '',
      instanceLabel: instanceLabel(key.instanceId),
      status: keyStatus(key, now())
    }
  }
  const issueResult = ({ key, handOff }: Issued) =>
    handOff.storedInKeychain
      ? { storedInKeychain: true as const, key: toRow(key) }
      : { storedInKeychain: false as const, key: toRow(key), unsavedValue: handOff.unsavedValue, warning: handOff.warning }
  const changed = (reason: string) => {
    emit('inventory.changed', { reason })
    void schedule.check()
  }

  const schedule = new ScheduleRunner({
    cache, notifier: options.notifier, now, log,
    emitWarning: (warning) => emit('warning', warning),
    finishRotation: async (ref) => {
      await lifecycle.finishRotation(lifecycleDeps, ref, 'disable')
      emit('inventory.changed', { reason: 'finish_rotation' })
    }
  })

  const runSync = async (filter: { instanceId?: string; tenantIds?: string[] }) => {
    if (syncing) throw new AppError('conflict', 'A sync is already running. Wait for it to finish or cancel it.')
    const wanted = filter.tenantIds ? new Set(filter.tenantIds) : null
    const targets: SyncTarget[] = cache.listTenants(filter.instanceId)
      .filter((t) => (wanted ? wanted.has(t.id) : t.selected))
      .map((t) => ({ instanceId: t.instanceId, tenantId: t.id, name: t.name }))
    syncing = new AbortController()
    emit('app.status', status())
    try {
      const outcome = await syncTenants({ cache, clients, now, log, inFlight }, targets, {
        concurrency: readSettings(cache).syncConcurrency,
        signal: syncing.signal,
        onProgress: (done, total, current) => emit('sync.progress', {
          done, total,
          current: current ? { instanceId: current.target.instanceId, tenantId: current.target.tenantId, name: current.target.name, state: current.state } : null
        })
      })
      if (outcome.ok > 0) setOffline(null)
      else if (outcome.unreachable > 0 && outcome.unreachable === outcome.failed) {
        setOffline('The Fluxbase servers could not be reached. You are looking at the cached inventory.')
      }
      return { tenants: outcome.tenants, ok: outcome.ok, failed: outcome.failed, cancelled: outcome.cancelled, durationMs: outcome.durationMs }
    } finally {
      syncing = null
      emit('app.status', status())
      changed('sync')
    }
  }

  const handlers: Handlers = {
    'app.status': async () => status(),
    'instances.list': async () => cache.listInstances(),
    'instances.test': async (input) => testConnection(instanceDeps, input.baseUrl, input.auth),
    'instances.add': async (input) => {
      const added = await addInstance(instanceDeps, input)
      changed('instance_added')
      return added
    },
    'instances.updateCredential': async (input) => {
      await updateCredential(instanceDeps, input.instanceId, input.auth)
      return {}
    },
    'instances.remove': async (input) => {
      const removedSecrets = await removeInstance(instanceDeps, input.instanceId)
      changed('instance_removed')
      return { removedSecrets }
    },
    'instances.rediscover': async (input) => rediscoverTenants(instanceDeps, input.instanceId),
    'tenants.list': async () => {
      const counts = new Map(cache.statusCounts(now()).map((c) => [`${c.instanceId}/${c.tenantId}`, c.counts]))
      const empty = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<(typeof KEY_STATUSES)[number], number>
      return cache.listTenants().map((t) => {
        const c = counts.get(`${t.instanceId}/${t.id}`) ?? empty
        return { ...t, instanceLabel: instanceLabel(t.instanceId), counts: c, total: Object.values(c).reduce((a, b) => a + b, 0) }
      })
    },
    'tenants.select': async (input) => {
      for (const id of input.tenantIds) cache.setTenantSelected(input.instanceId, id, input.selected)
      changed('tenants_selected')
      return {}
    },
    'tenants.setAutoFinishRotation': async (input) => {
      cache.setAutoFinishRotation(input.instanceId, input.tenantId, input.on)
      return {}
    },
    'sync.run': async (input) => runSync(input),
    'sync.cancel': async () => {
      syncing?.abort()
      return {}
    },
    'inventory.query': async (input) => cache.queryInventory(input, now()),
    'inventory.count': async (input) => ({ total: cache.countInventory(input, now()) }),
    'keys.get': async (ref) => ({ key: toRow(lifecycle.requireKey(cache, ref)), history: await lifecycle.keyHistory(lifecycleDeps, ref) }),
    'keys.create': async (input) => {
      const issued = await lifecycle.createKey(lifecycleDeps, input.instanceId, input.tenantId, input.input)
      changed('create')
      return issueResult(issued)
    },
    'keys.update': async (input) => {
      const key = await lifecycle.updateKey(lifecycleDeps, input.ref, input.input)
      changed('update')
      return toRow(key)
    },
    'keys.disable': async (ref) => done(await lifecycle.disableKey(lifecycleDeps, ref), 'disable'),
    'keys.enable': async (ref) => done(await lifecycle.enableKey(lifecycleDeps, ref), 'enable'),
    'keys.deprecate': async (input) => done(await lifecycle.deprecateKey(lifecycleDeps, input.ref, input.graceHours), 'deprecate'),
    'keys.rotate': async (input) => {
      const { issued, oldKey } = await lifecycle.rotateKey(lifecycleDeps, input.ref, input.graceHours, input.newName)
      changed('rotate')
      return { issued: issueResult(issued), oldKey: toRow(oldKey) }
    },
    'keys.finishRotation': async (input) => done(await lifecycle.finishRotation(lifecycleDeps, input.ref, input.mode), 'finish_rotation'),
    'keys.revoke': async (input) => done(await lifecycle.revokeKey(lifecycleDeps, input.ref, input.reason), 'revoke'),
    'keys.delete': async (input) => {
      await lifecycle.deleteKey(lifecycleDeps, input.ref, input.confirmName, input.force)
      changed('delete')
      return {}
    },
    'keys.copyValue': async (ref) => {
      const seconds = readSettings(cache).clipboardClearSeconds
      await clipboard.copy(secrets, ref, seconds)
      return { clearsAfterSeconds: seconds }
    },
    'keys.forgetValue': async (ref) => done(await lifecycle.forgetStoredValue(lifecycleDeps, ref), 'forget_value'),
    'bulk.preview': async (input) => ({ changes: previewBulk(lifecycleDeps, input, tenantName) }),
    'bulk.run': async (input) => {
      const result = await runBulk(lifecycleDeps, input, tenantName)
      changed('bulk')
      return result
    },
    'export.save': async (input) => {
      const rows = []
      for (let offset = 0; ; offset += EXPORT_PAGE) {
        const page = cache.queryInventory({ ...input.query, offset, limit: EXPORT_PAGE }, now())
        rows.push(...page.rows)
        if (page.rows.length < EXPORT_PAGE) break
      }
      const stamp = new Date(now()).toISOString().slice(0, 10)
      const path = await options.exportTarget.choosePath(`fluxbase-keys-${stamp}.${input.format}`)
      if (path === null) return { path: null, rows: rows.length }
      const text = input.format === 'csv' ? toCsv(rows) : toJson(rows, { exportedAt: new Date(now()).toISOString(), filters: input.query })
      writeFileSync(path, text, { mode: 0o600 })
      log(`export: ${rows.length} rows as ${input.format}`)
      return { path, rows: rows.length }
    },
    'settings.get': async () => readSettings(cache),
    'settings.set': async (input) => {
      const next = writeSettings(cache, input)
      clients.forget() // the request timeout may have changed
      void schedule.check()
      return next
    }
  }

  function done(key: KeyMeta, reason: string): KeyRow {
    changed(reason)
    return toRow(key)
  }

  const dispatch = async (name: OperationName, input: unknown): Promise<Result<unknown>> => {
    const spec = operations[name]
    if (!spec) return { ok: false, error: { code: 'invalid_input', message: `Unknown operation "${String(name)}".`, retryable: false } }
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, error: toApiError(parsed.error) }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      if (REACHES_SERVER.has(name)) setOffline(null)
      // Parsing the answer strips anything the contract does not name, so no stray field
      // (let alone a secret) can reach the renderer by accident.
      return { ok: true, value: spec.output.parse(value) }
    } catch (error) {
      if (isUnreachable(error)) setOffline(toApiError(error).message)
      // Any answer from a server, even an error, proves it is reachable.
      else if (error instanceof FluxbaseError && error.status !== null) setOffline(null)
      const apiError = toApiError(error)
      // The person reads a sentence; the log keeps what the server's answer got wrong.
      if (error instanceof FluxbaseError && error.detail) log(`${name}: ${error.endpoint}: ${error.detail}`)
      if (apiError.code === 'internal') log(`${name} failed unexpectedly: ${error instanceof Error ? `${error.name} ${error.stack ?? ''}` : 'unknown'}`)
      return { ok: false, error: apiError }
    }
  }

  void schedule.check()
  // After a cache rebuild the instance list comes back from the keychain, in the background
  // because rediscovering tenants needs the network.
  const restoring = keychain.ok
    ? restoreInstancesFromKeychain(instanceDeps, log).then((n) => {
        if (n > 0) {
          log(`restored ${n} instance(s) from the keychain`)
          changed('instances_restored')
        }
      }).catch((error: unknown) => log(`restore from keychain failed: ${toApiError(error).message}`))
    : Promise.resolve()

  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    checkSchedule: () => schedule.check(),
    async close() {
      await restoring
      syncing?.abort()
      await schedule.close()
      await clipboard.clearAllNow()
      listeners.clear()
      await cache.close()
    }
  }
}

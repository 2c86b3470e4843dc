// The core host: state, dispatch and events. It opens the services (services.ts), lets each
// feature module build its handlers, and answers every contract operation through dispatch.
// Electron main, the e2e harness, the CLI and the tests all use it. No handler lives here.
import { isOperationName, operations, type EventName, type OperationName, type OpOutput, type OpParsed, type Result } from '../shared/contract'
import { appHandlers } from './app/operations'
import { attentionHandlers } from './attention/operations'
import { toApiError } from './app/errors'
import { exportHandlers } from './export/operations'
import { instanceHandlers, tenantHandlers } from './instances/operations'
import { inventoryHandlers } from './inventory/operations'
import { bulkHandlers, keyHandlers } from './keys/operations'
import { UnsavedValues } from './keys/unsaved'
import type { AllHandlers, Handler } from './operation'
import { openServices, type CoreHostOptions } from './services'
import { settingsHandlers } from './settings/operations'
import { syncFeature } from './sync/operations'
import { lockHandlers, OPEN_WHILE_LOCKED, PASSIVE } from './lock/operations'
import { redactWhileLocked } from './lock/redact'
import { FluxbaseError } from './fluxbase'

export type { CoreHostOptions } from './services'

export interface CoreHost {
  /** Validates input with the contract, runs the operation, answers an envelope. Never throws. */
  dispatch<K extends OperationName>(name: K, input: unknown): Promise<Result<OpOutput<K>>>
  /** Core events for the UI. Returns the unsubscribe function. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void
  /** Re-evaluate the expiry schedule now (resume from sleep, clock jumps in tests). */
  checkSchedule(): Promise<void>
  /** Locks the app (the shell calls it on the OS lock and on suspend); nothing to lock without a passcode. */
  lock(why: string): void
  close(): Promise<void>
}

export async function createCoreHost(options: CoreHostOptions): Promise<CoreHost> {
  const s = await openServices(options)
  const { cache, state, events, log, now } = s
  const sync = syncFeature({ cache, clients: s.clients, now, log, inFlight: s.inFlight, state, settings: s.settings, events, afterTenantWrite: s.afterTenantWrite })
  const unsaved = new UnsavedValues()
  const keyDeps = { ...s.lifecycle, cache, toRow: s.toRow, clipboard: s.clipboard, settings: s.settings, events, unsaved }
  const instanceDeps = { ...s.instances, cache, events, forgetReachability: (id: string) => state.forget(id) }

  // One handler per operation: the compiler checks that none is missing and none is extra.
  const handlers = {
    ...appHandlers(state),
    ...instanceHandlers(instanceDeps),
    ...tenantHandlers(instanceDeps),
    ...sync.handlers,
    ...inventoryHandlers({ cache, now }),
    ...keyHandlers(keyDeps),
    ...bulkHandlers(keyDeps),
    ...exportHandlers({ cache, target: options.exportTarget, now, log }),
    ...settingsHandlers({ settings: s.settings, applied: s.settingsApplied }),
    ...attentionHandlers({ cache, state, settings: s.settings, events, now }),
    ...lockHandlers(s.lock)
  } satisfies AllHandlers

  async function dispatch<K extends OperationName>(name: K, input: unknown): Promise<Result<OpOutput<K>>> {
    // Own names only: `__proto__` or `toString` must not reach a prototype's function.
    if (!isOperationName(name)) {
      return { ok: false, error: { code: 'invalid_input', message: 'The window asked for something this version does not know; reload it.', retryable: false } }
    }
    // Locked: refused here, by the core, whatever the window shows.
    if (s.lock.isLocked() && !OPEN_WHILE_LOCKED.has(name)) {
      return { ok: false, error: { code: 'locked', message: 'Fluxbase Keys is locked: unlock it with your passcode first.', retryable: true } }
    }
    if (!PASSIVE.has(name)) s.lock.touch()
    const spec = operations[name]
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, error: toApiError(parsed.error) }
    try {
      const handler = handlers[name] as Handler<K>
      const value = await handler(parsed.data as OpParsed<K>)
      // Parsing the answer strips anything the contract does not name, so no stray field
      // (let alone a secret) can reach the renderer by accident.
      return { ok: true, value: spec.output.parse(value) as OpOutput<K> }
    } catch (error) {
      const apiError = toApiError(error)
      // The person reads a sentence; the log keeps what the server's answer got wrong.
      if (error instanceof FluxbaseError && error.detail) log(`${name}: ${error.endpoint}: ${error.detail}`)
      if (apiError.code === 'internal') log(`${name} failed unexpectedly: ${error instanceof Error ? `${error.name} ${error.stack ?? ''}` : 'unknown'}`)
      return { ok: false, error: apiError }
    }
  }

  return {
    dispatch,
    // While locked, events carry no key or tenant names (and none to open a key).
    onEvent: (listener) => events.on((event, payload) => {
      const shown = redactWhileLocked(event, payload, s.lock)
      if (shown !== undefined) listener(event, shown)
    }),
    checkSchedule: () => s.schedule.check(),
    lock: (why) => { s.lock.lock(why) },
    async close() {
      unsaved.clear()
      sync.cancel()
      await s.close()
    }
  }
}

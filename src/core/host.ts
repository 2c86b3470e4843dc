// The core host: one object that owns the cache, the keychain, the clients and the timers,
// and answers every contract operation. Electron main and the e2e harness both use it.
import type { EventName, OperationName, Result } from '../shared/contract'
import type { ClipboardPort, ExportTargetPort, NotifierPort } from './ports'
import type { SecretStore } from './secrets'

export interface CoreHostOptions {
  /** Directory for the SQLite cache and logs (created 0700). */
  dataDir: string
  shell: 'electron' | 'browser-harness'
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
}

export interface CoreHost {
  /** Validates input with the contract, runs the operation, answers an envelope. Never throws. */
  dispatch(name: OperationName, input: unknown): Promise<Result<unknown>>
  /** Core events for the UI. Returns the unsubscribe function. */
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void
  /** Re-evaluate the expiry schedule now (resume from sleep, clock jumps in tests). */
  checkSchedule(): Promise<void>
  close(): Promise<void>
}

export { createCoreHost } from './host-impl'

// The renderer's only door to the core: `window.api`, built by the preload (Electron) or the
// e2e harness (Chromium) from the same contract. Only types come from the shared contract here.
import type { Api, ApiError, Result } from '../../../shared/contract'
import { watchLocked } from './locked'

type LockedListener = () => void
const lockedListeners = new Set<LockedListener>()

/**
 * Told whenever any call answers with the code 'locked' (the core locked itself: idle, the OS
 * lock, suspend): whoever shows the lock screen reads lock.status again. Returns the unsubscribe.
 */
export function onLockedError(listener: LockedListener): () => void {
  lockedListeners.add(listener)
  return () => { lockedListeners.delete(listener) }
}

// Declared on Window by src/preload/api.d.ts (the preload, or the e2e harness, installs it).
export const api: Api = watchLocked(window.api, () => { for (const l of [...lockedListeners]) l() })

/** An api envelope that answered `{ok: false}`; carries the person-readable error. */
export class ApiFailure extends Error {
  readonly error: ApiError
  constructor(error: ApiError) {
    super(error.message)
    this.error = error
  }
}

/** Unwraps an envelope, throwing ApiFailure on `{ok: false}`. */
export async function must<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending
  if (!result.ok) throw new ApiFailure(result.error)
  return result.value
}

/** The message to show a person for anything caught around an api call. */
export function errorText(err: unknown): string {
  if (err instanceof ApiFailure) return err.error.message
  if (err instanceof Error) return `Unexpected problem: ${err.message}`
  return 'Unexpected problem.'
}

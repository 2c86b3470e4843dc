// The renderer's only door to the core: `window.api`, built by the preload (Electron) or the
// e2e harness (Chromium) from the same contract. Only types come from the shared contract here.
import type { Api, ApiError, Result } from '../../../shared/contract'

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

const isLockedFailure = (r: unknown): boolean =>
  typeof r === 'object' && r !== null && 'ok' in r && r.ok === false && 'error' in r &&
  typeof r.error === 'object' && r.error !== null && 'code' in r.error && r.error.code === 'locked'

/** The same api, every method's answer looked at once for 'locked' on its way to the caller. */
function watched(raw: Api): Api {
  const out: Record<string, unknown> = { on: raw.on }
  for (const [feature, methods] of Object.entries(raw)) {
    if (feature === 'on' || typeof methods !== 'object' || methods === null) continue
    const wrapped: Record<string, (input: unknown) => Promise<unknown>> = {}
    for (const [verb, method] of Object.entries(methods as Record<string, (input: unknown) => Promise<unknown>>)) {
      wrapped[verb] = async (input: unknown) => {
        const result = await method(input)
        if (isLockedFailure(result)) for (const l of [...lockedListeners]) l()
        return result
      }
    }
    out[feature] = Object.freeze(wrapped)
  }
  // Built from the object the contract's buildApi made, feature by feature and verb by verb.
  return Object.freeze(out) as unknown as Api
}

// Declared on Window by src/preload/api.d.ts (the preload, or the e2e harness, installs it).
export const api: Api = watched(window.api)

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

// Every failure that crosses to the UI becomes an ApiError: a sentence a person can act on,
// a stable code, and whether trying again may help. Secrets never appear in any of it.
import { ZodError } from 'zod'
import type { ApiError } from '../../shared/contract'
import { FluxbaseError } from '../fluxbase'
import { SecretStoreError } from '../secrets'

/** A failure the core detects itself (business rule, missing data). */
export class AppError extends Error {
  constructor(
    readonly code: 'invalid_input' | 'not_found' | 'conflict' | 'keychain' | 'offline' | 'cancelled',
    message: string,
    readonly retryable = false
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) return { code: error.code, message: error.message, retryable: error.retryable }
  if (error instanceof FluxbaseError) {
    const code =
      error.kind === 'network' || error.kind === 'timeout' ? 'offline'
        : error.kind === 'auth' ? 'auth'
          : error.kind === 'cancelled' ? 'cancelled'
            : error.status === 404 ? 'not_found'
              : error.status === 409 ? 'conflict'
                : 'server'
    return { code, message: error.message, retryable: error.retryable }
  }
  if (error instanceof SecretStoreError) return { code: 'keychain', message: error.message, retryable: error.kind === 'locked' }
  if (error instanceof ZodError) {
    const issue = error.issues[0]
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : ''
    return { code: 'invalid_input', message: `${issue?.message ?? 'Invalid input'}${where}`, retryable: false }
  }
  // Unknown failures: say something useful without echoing internals that might hold data.
  return { code: 'internal', message: 'Something went wrong inside Fluxbase Keys. The details are in the log; please try again.', retryable: true }
}

/** True when the failure means the server could not be reached at all. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof FluxbaseError && (error.kind === 'network' || error.kind === 'timeout')
}

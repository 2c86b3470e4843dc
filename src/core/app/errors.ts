// Every failure that crosses to the UI becomes an ApiError: a sentence a person can act on,
// a stable code, and whether trying again may help. Secrets never appear in any of it.
import { ZodError } from 'zod'
import type { ApiError } from '../../shared/contract'
import { FluxbaseError } from '../fluxbase'
import { SecretStoreError } from '../secrets'
import { fieldLabel, RULE_MESSAGES } from '../../shared/rules'

/** A failure the core detects itself (business rule, missing data). */
export class AppError extends Error {
  constructor(
    readonly code: 'invalid_input' | 'not_found' | 'conflict' | 'unsupported' | 'keychain' | 'certificate' | 'offline' | 'cancelled' | 'locked',
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
            : error.kind === 'argument' ? 'invalid_input'
              : error.kind === 'certificate' ? 'certificate'
            : error.status === 404 ? 'not_found'
              : error.status === 409 ? 'conflict'
                : 'server'
    return { code, message: error.message, retryable: error.retryable }
  }
  if (error instanceof SecretStoreError) return { code: 'keychain', message: error.message, retryable: error.kind === 'locked' }
  if (error instanceof ZodError) return { code: 'invalid_input', message: inputProblem(error.issues[0]), retryable: false }
  // Unknown failures: say something useful without echoing internals that might hold data.
  return { code: 'internal', message: 'Something went wrong inside Fluxbase Keys. The details are in the log; please try again.', retryable: true }
}

/** True when the failure means the server could not be reached at all. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof FluxbaseError && (error.kind === 'network' || error.kind === 'timeout')
}

/** zod's own wording, which names types and fields; a schema's own message is a sentence already. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Expected|Unrecognized)/

/** One sentence for a rejected input, in the words of the form, never a field's code name. */
function inputProblem(issue: ZodError['issues'][number] | undefined): string {
  if (!issue) return 'The input was not valid; check it and try again.'
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message
  const label = fieldLabel(issue.path)
  const the = label ? `The ${label}` : 'A value'
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${the} is required.` : `${the} must be at least ${String(issue.minimum)} characters.`
      if (issue.origin === 'array') return `${the} needs at least ${String(issue.minimum)} entr${Number(issue.minimum) === 1 ? 'y' : 'ies'}.`
      return `${the} must be at least ${String(issue.minimum)}.`
    case 'too_big':
      if (issue.origin === 'string') return `${the} can be at most ${String(issue.maximum)} characters.`
      if (issue.origin === 'array') return `${the} can have at most ${String(issue.maximum)} entries.`
      return `${the} can be at most ${String(issue.maximum)}.`
    case 'invalid_format':
      if (issue.format === 'url') return RULE_MESSAGES.baseUrl
      if (issue.format === 'email') return RULE_MESSAGES.email
      return `${the} is not in a valid form; reload the window and try again.`
    case 'invalid_type':
      return `${the} is missing or not of the right kind; check it and try again.`
    case 'unrecognized_keys':
      return 'The window sent something this version does not understand; reload the window and try again.'
    default:
      return `${the} is not valid; check it and try again.`
  }
}

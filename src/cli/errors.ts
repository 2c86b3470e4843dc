// A failure the CLI reports: one sentence for a person, a code for a script, an exit code.
import type { ApiError } from '../shared/contract'
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes'

export class CliError extends Error {
  constructor(
    /** A core error code (contract/errors.ts) or `usage`. */
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode,
    readonly retryable = false
  ) {
    super(message)
    this.name = 'CliError'
  }

  static fromApi(error: ApiError): CliError {
    return new CliError(error.code, error.message, exitCodeFor(error.code), error.retryable)
  }
}

/** Bad arguments: exit 2 with a sentence saying what to write instead. */
export const usageError = (message: string): CliError => new CliError('usage', message, EXIT.usage)

/** What the CLI prints for a failure with --json (on stderr, like every error). */
export function errorJson(error: CliError): { error: { code: string; message: string; retryable: boolean; exitCode: number } } {
  return { error: { code: error.code, message: error.message, retryable: error.retryable, exitCode: error.exitCode } }
}

// Exit codes, one per kind of outcome a script may want to tell apart. Documented in the README
// ("Command line") and in `fluxbase-keys --help`; never renumbered.
import type { ApiErrorCode } from '../shared/contract'

export const EXIT = {
  ok: 0,
  /** A failure none of the codes below names (not found, conflict, keychain, server error, bug). */
  failure: 1,
  /** Bad arguments or input: the message says what to change. */
  usage: 2,
  /** The server refused the credential (sign in again), or the app's passcode is needed. */
  auth: 3,
  /** The server could not be reached (network, timeout, refused certificate). */
  unreachable: 4,
  /** Some tenants or keys succeeded and some failed; the output lists which. */
  partial: 5,
  /** `check` found keys whose grace period or expiry falls within the window. */
  due: 6,
  /** Stopped by Ctrl-C (SIGINT). */
  interrupted: 130
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export const EXIT_DESCRIPTIONS: ReadonlyArray<readonly [ExitCode, string]> = [
  [EXIT.ok, 'success (for check: nothing due within the window)'],
  [EXIT.failure, 'failure not covered below (not found, conflict, keychain, server error)'],
  [EXIT.usage, 'usage error: bad arguments or input'],
  [EXIT.auth, 'authentication failed: sign in again (or the app passcode is needed)'],
  [EXIT.unreachable, 'server unreachable (network, timeout, certificate)'],
  [EXIT.partial, 'partial failure: some tenants or keys failed'],
  [EXIT.due, 'check: keys within the window (grace end or expiry), or overdue rotations'],
  [EXIT.interrupted, 'interrupted (Ctrl-C)']
]

/** The exit code for a core error code (codes this version does not know count as failures). */
export function exitCodeFor(code: ApiErrorCode | string): ExitCode {
  switch (code) {
    case 'invalid_input': return EXIT.usage
    case 'auth':
    case 'locked': return EXIT.auth
    case 'offline':
    case 'certificate': return EXIT.unreachable
    case 'cancelled': return EXIT.interrupted
    default: return EXIT.failure
  }
}

// How a failure crosses the boundary: a sentence a person can act on, a code from one closed
// set, and whether trying again may help. Every shell and the UI read these codes.

export const API_ERROR_CODES = [
  /** The input broke a rule (shared/rules.ts): the sentence says which and how to fix it. */
  'invalid_input',
  /** The server could not be reached. */
  'offline',
  /** The server refused the credential: sign in again. */
  'auth',
  /** The request did not come from the app's own window (Electron's sender check). */
  'forbidden',
  'not_found',
  /** The key's or app's current state does not allow it (already running, revoked, ...). */
  'conflict',
  /** This server cannot do it (current servers cannot update a key): the sentence says what to do instead. */
  'unsupported',
  'keychain',
  /** The server's TLS certificate was refused (expired, another host's, an untrusted CA): never "offline". */
  'certificate',
  /** The server answered with an error. */
  'server',
  'cancelled',
  /** The app is locked: unlock it with the passcode first. */
  'locked',
  /** A bug or an unexpected failure inside the app; the details are in the log. */
  'internal'
] as const

export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

/** Errors cross the boundary as data a person can act on. */
export interface ApiError {
  message: string
  code: ApiErrorCode
  retryable: boolean
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

// Keychain failures as one error type whose message tells the operator what to do.
// Messages are fixed texts: they never echo a value, and `detail` keeps the backend's own
// words (libsecret/D-Bus texts, which carry paths, not secrets) for logs.

export type SecretStoreErrorKind = 'unavailable' | 'locked' | 'failed'

export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError'
  constructor(
    readonly kind: SecretStoreErrorKind,
    message: string,
    /** The backend's message, for logs. */
    readonly detail: string | null = null
  ) {
    super(message)
  }
}

export const KEYCHAIN_MESSAGES = {
  noModule:
    'The keychain module (keytar) could not be loaded: reinstall Fluxbase Keys (developers: rebuild native modules), then try again.',
  unavailable:
    'No keychain is available: install and unlock a Secret Service such as GNOME Keyring or KWallet, then try again.',
  locked:
    'The keychain is locked (or has no default keyring): unlock it in your keyring manager, or create a default "Login" keyring, then try again.',
  failed: 'The keychain could not complete the request: check that your keyring manager is running and unlocked, then try again.',
  empty: 'An empty value cannot be stored in the keychain.',
  nul: 'A value containing a NUL character cannot be stored in the keychain (it would be cut short).'
} as const

// Order matters: "locked collection" must not fall into the generic bucket.
const NO_MODULE = /Cannot find module|MODULE_NOT_FOUND|NODE_MODULE_VERSION|was compiled against a different Node|invalid ELF header|keytar\.node|libsecret-1\.so/i
const UNAVAILABLE =
  /Cannot autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket|not provided by any \.service files|ServiceUnknown|NoReply|Did not receive a reply|No such secret service/i
const LOCKED =
  /locked|not unlocked|prompt|dismissed|cancel|Object does not exist at path .*\/collection\/|User interaction is not allowed|passphrase/i

/** Maps whatever keytar/libsecret threw to a SecretStoreError. `secret` is scrubbed from the detail, just in case. */
export function toSecretStoreError(err: unknown, secret?: string): SecretStoreError {
  if (err instanceof SecretStoreError) return err
  let detail = err instanceof Error ? err.message : String(err)
  if (secret) detail = detail.split(secret).join('[value]')
  if (NO_MODULE.test(detail)) return new SecretStoreError('unavailable', KEYCHAIN_MESSAGES.noModule, detail)
  if (UNAVAILABLE.test(detail)) return new SecretStoreError('unavailable', KEYCHAIN_MESSAGES.unavailable, detail)
  if (LOCKED.test(detail)) return new SecretStoreError('locked', KEYCHAIN_MESSAGES.locked, detail)
  return new SecretStoreError('failed', KEYCHAIN_MESSAGES.failed, detail)
}

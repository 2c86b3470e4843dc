// The keychain vault: the SecretStore port, its keytar implementation and entry naming.
export type { SecretStore } from './store'
export { SecretStoreError, type SecretStoreErrorKind } from './errors'
export { createKeytarStore, DEFAULT_SERVICE, type KeytarStoreOptions } from './keytar-store'
export { keychainLockFile } from './cross-process-lock'
export { accounts, removeInstanceSecrets } from './accounts'

// A SecretStore that reports whether the keychain works, from every call the app makes, so
// the status the UI shows follows a keychain that locks or comes back after start-up.
import { SecretStoreError } from './errors'
import type { SecretStore } from './store'

export interface KeychainObserver {
  works(): void
  fails(message: string): void
}

export function observeKeychain(store: SecretStore, observer: KeychainObserver): SecretStore {
  const watch = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call()
      observer.works()
      return result
    } catch (error) {
      // A keychain that is missing or locked; 'failed' covers refused values (empty, NUL) too.
      if (error instanceof SecretStoreError && error.kind !== 'failed') observer.fails(error.message)
      throw error
    }
  }
  return {
    get: (account) => watch(() => store.get(account)),
    set: (account, value) => watch(() => store.set(account, value)),
    delete: (account) => watch(() => store.delete(account)),
    list: (prefix) => watch(() => store.list(prefix))
  }
}

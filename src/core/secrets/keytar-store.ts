// The keytar implementation of SecretStore. keytar is required lazily so that a missing
// native module or Secret Service surfaces as a SecretStoreError, not a crash at import.
import type * as Keytar from 'keytar'
import { KEYCHAIN_MESSAGES, SecretStoreError, toSecretStoreError } from './errors'
import type { SecretStore } from './store'
import { lockedKeychain } from './cross-process-lock'

export const DEFAULT_SERVICE = 'Fluxbase Keys'

// Written and deleted to make the keychain unlock (or say it can't) before a search; never listed.
const UNLOCK_CHECK_ACCOUNT = '__fluxbase-keys:unlock-check__'

let loaded: typeof Keytar | undefined

/**
 * Every keytar call of the process, one at a time. libsecret is not safe for concurrent use
 * from keytar's worker threads: a search (findCredentials) that meets an item another call is
 * deleting reads its value as NULL and the process dies in libsecret ("secret_value_get_text:
 * assertion 'value' failed", then SIGSEGV). That happened when the keychain restore at start-up
 * listed entries while an action read one. Keychain calls are rare; queueing them costs nothing.
 */
let queue: Promise<unknown> = Promise.resolve()
function serialized<T>(op: () => Promise<T>): Promise<T> {
  const run = queue.then(op, op)
  queue = run.catch(() => undefined)
  return run
}

function loadKeytar(): typeof Keytar {
  if (loaded) return loaded
  try {
    loaded = require('keytar') as typeof Keytar
    return loaded
  } catch (err) {
    throw new SecretStoreError('unavailable', KEYCHAIN_MESSAGES.noModule, err instanceof Error ? err.message : String(err))
  }
}

export interface KeytarStoreOptions {
  service?: string
  /**
   * A lock file every keytar call of every process using this data dir runs under (the app and
   * the CLI on one data dir; see cross-process-lock.ts). Without it, calls are serialized only
   * within this process.
   */
  lockFile?: string
}

export function createKeytarStore(options: KeytarStoreOptions = {}): SecretStore {
  const store = createProcessLocalKeytarStore(options.service ?? DEFAULT_SERVICE)
  return options.lockFile ? lockedKeychain(store, options.lockFile) : store
}

function createProcessLocalKeytarStore(service: string): SecretStore {

  const call = <T>(op: (kt: typeof Keytar) => Promise<T>, secret?: string): Promise<T> =>
    serialized(async () => {
      try {
        return await op(loadKeytar())
      } catch (err) {
        throw toSecretStoreError(err, secret)
      }
    })

  // libsecret reads a locked item as "not found", and keytar's findCredentials segfaults on
  // locked items. A write goes through the unlock prompt (or fails with "locked"), so do one first.
  const ensureUnlocked = (): Promise<void> =>
    call(async (kt) => {
      await kt.setPassword(service, UNLOCK_CHECK_ACCOUNT, '1')
      await kt.deletePassword(service, UNLOCK_CHECK_ACCOUNT)
    })
  // The unlock check and the search must not be split by another call deleting an item.
  const unlockedSearch = (): Promise<Array<{ account: string }>> =>
    call(async (kt) => {
      await kt.setPassword(service, UNLOCK_CHECK_ACCOUNT, '1')
      await kt.deletePassword(service, UNLOCK_CHECK_ACCOUNT)
      return kt.findCredentials(service)
    })

  return {
    async get(account) {
      const value = await call((kt) => kt.getPassword(service, account))
      if (value !== null) return value
      await ensureUnlocked() // a miss may mean "locked": prompt or fail rather than report absence
      return call((kt) => kt.getPassword(service, account))
    },
    async set(account, value) {
      if (value.length === 0) throw new SecretStoreError('failed', KEYCHAIN_MESSAGES.empty)
      // libsecret stores C strings: everything after a NUL would be lost without an error.
      if (value.includes('\0')) throw new SecretStoreError('failed', KEYCHAIN_MESSAGES.nul)
      await call((kt) => kt.setPassword(service, account, value), value)
    },
    delete(account) {
      return call((kt) => kt.deletePassword(service, account))
    },
    async list(prefix = '') {
      const found = await unlockedSearch()
      // Values are dropped here, at the boundary; only names leave this function.
      return found
        .map((c) => c.account)
        .filter((a) => a !== UNLOCK_CHECK_ACCOUNT && a.startsWith(prefix))
        .sort()
    }
  }
}

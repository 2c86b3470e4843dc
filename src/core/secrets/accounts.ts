// Naming of keychain entries, in one place. An instance owns two families of entries:
// its own ('instance:<id>:…') and its issued key values ('key:<id>:…'); removal scans both.
// Ids are URI-encoded so an id containing ':' can never make one prefix match another
// instance's entries (UUIDs and slugs are unchanged by it).
import type { SecretStore } from './store'

const part = (id: string): string => {
  if (!id) throw new Error('Keychain account names need non-empty ids.')
  return encodeURIComponent(id)
}

export const accounts = {
  /** The app passcode's slow hash (core/lock/passcode.ts), never the passcode. */
  appPasscode: 'app:passcode',
  /** JSON of the admin credential (password or token). */
  instanceCredential: (instanceId: string): string => `instance:${part(instanceId)}:admin`,
  /** Cached access/refresh tokens. */
  instanceSession: (instanceId: string): string => `instance:${part(instanceId)}:session`,
  /** The value of a key issued through this app. */
  keyValue: (instanceId: string, tenantId: string, keyId: string): string =>
    `${accounts.tenantKeyPrefix(instanceId, tenantId)}${part(keyId)}`,
  /** The key values issued in one tenant. */
  tenantKeyPrefix: (instanceId: string, tenantId: string): string => `key:${part(instanceId)}:${part(tenantId)}:`,
  /** tenantKeyPrefix of a keyValue account (its parts are encoded, so the last ':' ends the prefix). */
  tenantKeyPrefixOf: (keyValueAccount: string): string => keyValueAccount.slice(0, keyValueAccount.lastIndexOf(':') + 1),
  /** The instance's own entries (credential, session). */
  instancePrefix: (instanceId: string): string => `instance:${part(instanceId)}:`,
  /** The key values issued on an instance. */
  keyPrefix: (instanceId: string): string => `key:${part(instanceId)}:`
}

/** Deletes every entry of an instance (its own and its key values); returns how many were removed. */
export async function removeInstanceSecrets(store: SecretStore, instanceId: string): Promise<number> {
  let removed = 0
  for (const prefix of [accounts.keyPrefix(instanceId), accounts.instancePrefix(instanceId)]) {
    for (const account of await store.list(prefix)) {
      if (await store.delete(account)) removed++
    }
  }
  return removed
}

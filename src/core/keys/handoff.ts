// Keychain-first hand-off of a newly issued key value: the value the server shows only once
// goes into the keychain before anything else happens. If that write fails, the value is
// returned once, flagged unsaved, so the UI can show it: an issued key is never lost silently.
import type { KeyRef } from '../../shared/domain'
import { accounts, SecretStoreError, type SecretStore } from '../secrets'

export type HandOff =
  | { storedInKeychain: true }
  | { storedInKeychain: false; unsavedValue: string; warning: string }

export async function handOffIssuedValue(secrets: SecretStore, ref: KeyRef, value: string): Promise<HandOff> {
  try {
    await secrets.set(accounts.keyValue(ref.instanceId, ref.tenantId, ref.keyId), value)
    return { storedInKeychain: true }
  } catch (error) {
    const why = error instanceof SecretStoreError ? error.message : 'The keychain refused to store it.'
    return {
      storedInKeychain: false,
      unsavedValue: value,
      warning: `The new key could not be saved in your keychain (${why}) This is the only time its value is shown: copy it somewhere safe now.`
    }
  }
}

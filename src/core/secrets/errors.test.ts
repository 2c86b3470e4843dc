// The mapping of backend messages (as observed from keytar/libsecret, macOS and Windows) to kinds.
import { describe, expect, it } from 'vitest'
import { KEYCHAIN_MESSAGES, SecretStoreError, toSecretStoreError } from './errors'

describe('toSecretStoreError', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'unavailable', KEYCHAIN_MESSAGES.unavailable],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'unavailable', KEYCHAIN_MESSAGES.unavailable],
    ['GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided', 'unavailable', KEYCHAIN_MESSAGES.unavailable],
    ["Cannot find module 'keytar'", 'unavailable', KEYCHAIN_MESSAGES.noModule],
    ['The module keytar.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115', 'unavailable', KEYCHAIN_MESSAGES.noModule],
    ['Cannot create an item in a locked collection', 'locked', KEYCHAIN_MESSAGES.locked],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'locked', KEYCHAIN_MESSAGES.locked],
    ['The prompt was dismissed', 'locked', KEYCHAIN_MESSAGES.locked],
    ['User interaction is not allowed.', 'locked', KEYCHAIN_MESSAGES.locked],
    ['Something unexpected', 'failed', KEYCHAIN_MESSAGES.failed]
  ] as const)('%s -> %s', (message, kind, text) => {
    const mapped = toSecretStoreError(new Error(message))
    expect(mapped.kind).toBe(kind)
    expect(mapped.message).toBe(text)
    expect(mapped.detail).toBe(message)
  })

  it('scrubs the value from the detail and never puts it in the message', () => {
    const mapped = toSecretStoreError(new Error('failed to store sk_live_123 somewhere'), 'sk_live_123')
    expect(mapped.detail).toBe('failed to store [value] somewhere')
    expect(mapped.message).not.toContain('sk_live_123')
  })

  it('passes SecretStoreErrors through and accepts non-Error throws', () => {
    const original = new SecretStoreError('locked', 'x')
    expect(toSecretStoreError(original)).toBe(original)
    expect(toSecretStoreError('weird').kind).toBe('failed')
  })
})

// Stand-ins for the pieces of the Electron shell that cannot run here. Each is named for what it
// is: a fake or a fault injector, never mistaken for the real thing.
import type { ClipboardPort, ExportTargetPort, NotifierPort } from '../../src/core/ports'
import type { WarningEvent } from '../../src/shared/contract'
import { accounts, SecretStoreError, type SecretStore } from '../../src/core/secrets'
import { join } from 'node:path'

/**
 * A FAKE clipboard: the real one is Electron's (main process). Tests read it back to prove
 * copy and clear-after-delay; nothing here touches the machine's clipboard.
 */
export class InMemoryClipboard implements ClipboardPort {
  private text = ''
  writeText(text: string): void { this.text = text }
  readText(): string { return this.text }
  clear(): void { this.text = '' }
}

/**
 * Records the warnings the core would show as desktop notifications. The core host already
 * emits each one as a 'warning' event to the UI itself, so this port only records.
 */
export class RecordingNotifier implements NotifierPort {
  readonly shown: WarningEvent[] = []
  show(warning: WarningEvent): void { this.shown.push(warning) }
}

/** Exports go to the harness's temp dir (Electron asks with a save dialog). */
export class TempDirExportTarget implements ExportTargetPort {
  readonly written: string[] = []
  constructor(private readonly dir: string) {}
  async choosePath(suggestedName: string): Promise<string | null> {
    const path = join(this.dir, suggestedName)
    this.written.push(path)
    return path
  }
}

/**
 * TEST FAULT INJECTOR at the keychain boundary: wraps the real SecretStore and, while armed,
 * makes set() fail for the accounts `shouldFail` picks (e.g. new key values) with the error
 * a broken keychain gives. Everything else goes to the real keychain.
 */
export class KeychainWriteFailureInjector implements SecretStore {
  armed = false
  failures = 0
  constructor(private readonly inner: SecretStore, private readonly shouldFail: (account: string) => boolean) {}
  set(account: string, value: string): Promise<void> {
    if (this.armed && this.shouldFail(account)) {
      this.failures++
      return Promise.reject(new SecretStoreError('failed', 'The keychain could not complete the request: check that your keyring manager is running and unlocked, then try again.', 'injected by the e2e KeychainWriteFailureInjector'))
    }
    return this.inner.set(account, value)
  }
  get(account: string): Promise<string | null> { return this.inner.get(account) }
  delete(account: string): Promise<boolean> { return this.inner.delete(account) }
  list(prefix?: string): Promise<string[]> { return this.inner.list(prefix) }
}

/** Matches the keychain accounts that hold issued key values (whatever accounts.keyValue's layout is). */
export function isKeyValueAccount(account: string): boolean {
  const sample = accounts.keyValue('SENTINELI', 'SENTINELT', 'SENTINELK')
  const pattern = sample.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/SENTINEL[ITK]/g, '[^:]+')
  return new RegExp(`^${pattern}$`).test(account)
}

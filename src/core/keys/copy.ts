// Copy a stored key value from the keychain to the clipboard, and clear it after a delay
// only if the clipboard still holds that value (the operator may have copied something else).
// Only a hash of the value is kept while the timer runs.
import { createHash } from 'node:crypto'
import type { KeyRef } from '../../shared/domain'
import type { ClipboardPort } from '../ports'
import { accounts, type SecretStore } from '../secrets'
import { AppError } from '../app/errors'

const digest = (text: string) => createHash('sha256').update(text).digest('hex')

export class ClipboardGuard {
  private readonly timers = new Map<ReturnType<typeof setTimeout>, { hash: string; ref: KeyRef }>()

  constructor(
    private readonly clipboard: ClipboardPort,
    private readonly onCleared: (ref: KeyRef, cleared: boolean) => void
  ) {}

  async copy(secrets: SecretStore, ref: KeyRef, clearAfterSeconds: number): Promise<void> {
    const value = await secrets.get(accounts.keyValue(ref.instanceId, ref.tenantId, ref.keyId))
    if (value === null) {
      throw new AppError('not_found', 'No value is stored for this key: it was issued outside this app, or its stored value was forgotten.')
    }
    await this.clipboard.writeText(value)
    const hash = digest(value)
    // Copied again: the clear timer starts over (an earlier copy's timer would clear it too soon).
    for (const [earlier, copied] of this.timers) {
      if (copied.hash !== hash) continue
      clearTimeout(earlier)
      this.timers.delete(earlier)
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.clearIfStillOurs(hash).then(
        (cleared) => this.onCleared(ref, cleared),
        () => this.onCleared(ref, false)
      )
    }, clearAfterSeconds * 1000)
    timer.unref?.()
    this.timers.set(timer, { hash, ref })
  }

  private async clearIfStillOurs(hash: string): Promise<boolean> {
    if (digest(await this.clipboard.readText()) !== hash) return false
    await this.clipboard.clear()
    return true
  }

  /** On quit: clear whatever we copied, if it is still there. */
  async clearAllNow(): Promise<void> {
    const pending = [...this.timers]
    this.timers.clear()
    for (const [timer, { hash }] of pending) {
      clearTimeout(timer)
      await this.clearIfStillOurs(hash).catch(() => false)
    }
  }
}

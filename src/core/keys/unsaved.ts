// New key values the keychain refused, kept in this process's memory (never on disk) until the
// operator says they saved them: a reload of the window, or a crash of the renderer, must not
// lose the only copy of a key the server showed once.
import { randomUUID } from 'node:crypto'
import type { KeyRef } from '../../shared/domain'

export interface Unsaved {
  id: string
  ref: KeyRef
  keyName: string
  unsavedValue: string
  warning: string
}

export class UnsavedValues {
  private readonly values = new Map<string, Unsaved>()

  keep(ref: KeyRef, keyName: string, unsavedValue: string, warning: string): string {
    const id = randomUUID()
    this.values.set(id, { id, ref, keyName, unsavedValue, warning })
    return id
  }

  list(): Unsaved[] {
    return [...this.values.values()]
  }

  /** The operator saved it elsewhere (or chose to drop it): the only copy goes. */
  dismiss(id: string): boolean {
    return this.values.delete(id)
  }

  clear(): void {
    this.values.clear()
  }
}

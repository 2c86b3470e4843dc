// The NotifierPort: desktop notifications for expiry warnings. Clicking one brings the window
// forward and opens the key (the `key.open` event carries only its ref).
import { Notification } from 'electron'
import type { NotifierPort } from '../core/ports'
import type { EventPayload, WarningEvent } from '../shared/contract'

type KeyRef = EventPayload<'key.open'>

export interface NotifierOptions {
  /** Show and focus the app window. */
  focus: () => void
  /** Ask the renderer to open this key. */
  openKey: (ref: KeyRef) => void
  log: (line: string) => void
}

export function createNotifier({ focus, openKey, log }: NotifierOptions): NotifierPort {
  // Electron drops click handlers of notifications that were garbage-collected: keep them alive.
  const live = new Set<Notification>()
  return {
    show(warning: WarningEvent) {
      if (!Notification.isSupported()) {
        log(`notifications unsupported here; warning kept in the app: ${warning.kind}`)
        return
      }
      const note = new Notification({ title: warning.title, body: warning.body, silent: false })
      live.add(note)
      const forget = (): void => {
        live.delete(note)
      }
      note.on('click', () => {
        forget()
        focus()
        if (warning.ref) openKey(warning.ref)
      })
      note.on('close', forget)
      note.on('failed', (_event, error) => {
        forget()
        log(`notification failed: ${error}`)
      })
      note.show()
    }
  }
}

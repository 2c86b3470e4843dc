// While the app is locked, what it shows or pushes carries no key or tenant names: a desktop
// notification says only that something needs attention, and events to the UI lose their names.
import { createHash } from 'node:crypto'
import type { EventName, WarningEvent } from '../../shared/contract'
import type { NotifierPort } from '../ports'
import type { LockController } from './controller'

type Locked = Pick<LockController, 'isLocked'>

export function lockedWarning(w: WarningEvent): WarningEvent {
  // The id carries instance, tenant and key ids: a digest keeps it distinct without saying which.
  const id = `locked:${createHash('sha256').update(w.id).digest('hex').slice(0, 16)}`
  return { ...w, id, ref: null, title: 'A key needs attention', body: 'Unlock Fluxbase Keys to see which.' }
}

export function lockAware(notifier: NotifierPort, lock: Locked): NotifierPort {
  return { show: (w) => notifier.show(lock.isLocked() ? lockedWarning(w) : w) }
}

/** An event as a locked app may push it to the UI. */
export function redactWhileLocked(event: EventName, payload: unknown, lock: Locked): unknown {
  if (!lock.isLocked()) return payload
  if (event === 'warning') return lockedWarning(payload as WarningEvent)
  if (event === 'sync.progress') {
    const p = payload as { done: number; total: number }
    return { done: p.done, total: p.total, current: null }
  }
  // A key to open, a clipboard notice: names and refs wait for the unlock.
  if (event === 'key.open' || event === 'clipboard.cleared') return undefined
  return payload
}

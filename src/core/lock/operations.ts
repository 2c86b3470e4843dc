// lock.*: the app passcode and the lock (see controller.ts).
import type { OperationName } from '../../shared/contract'
import type { FeatureHandlers } from '../operation'
import type { LockController } from './controller'

export function lockHandlers(lock: LockController) {
  return {
    'lock.status': async () => lock.status(),
    'lock.setPasscode': ({ passcode, current }) => lock.setPasscode(passcode, current),
    'lock.disable': ({ current }) => lock.disable(current),
    'lock.setIdleMinutes': async ({ minutes }) => lock.setIdleMinutes(minutes),
    'lock.lock': async () => lock.lock('the operator locked it'),
    'lock.unlock': ({ passcode }) => lock.unlock(passcode),
    'lock.unlockWithDevice': () => lock.unlockWithDevice(),
    'lock.touch': async () => {
      lock.touch()
      return {}
    }
  } satisfies FeatureHandlers<'lock'>
}

/** What a locked app still answers: its status and the way in. Everything else is refused. */
export const OPEN_WHILE_LOCKED: ReadonlySet<string> = new Set(['app.status', 'lock.status', 'lock.unlock', 'lock.unlockWithDevice', 'lock.touch'])
/**
 * Calls that do not mean a person is at the keyboard: reads the UI also asks by itself (after
 * a sync, a warning, a change of reachability, on its timers). Counting them as activity kept
 * an idle app unlocked as long as anything changed in the background. What a person does
 * reaches the core as lock.touch (the window's keys and clicks) or as an action.
 */
export const PASSIVE: ReadonlySet<string> = new Set([
  'app.status', 'lock.status', 'inventory.query', 'inventory.count', 'attention.list', 'attention.count',
  'attention.getSettings', 'instances.list', 'tenants.list', 'keys.get', 'keys.history', 'keys.unsaved', 'settings.get'
] satisfies OperationName[])

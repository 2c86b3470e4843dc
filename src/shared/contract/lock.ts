// The lock feature: an app passcode; while locked the inventory is hidden and the core refuses
// every action (not only the UI hiding it).
import { z } from 'zod'
import { op } from './op'
import { none } from './schemas'

const passcode = z.string().min(6, 'A passcode needs at least 6 characters.').max(200)

export const LockStatusSchema = z.object({
  /** A passcode is set: the app locks when idle, on the OS lock and on suspend. */
  enabled: z.boolean(),
  locked: z.boolean(),
  idleMinutes: z.number().int(),
  /** Touch ID or the like, where the shell offers it. */
  deviceUnlock: z.boolean(),
  /** After wrong passcodes, unlocking waits until then. */
  retryAt: z.string().nullable()
})

export const lockOperations = {
  'lock.status': op(none, LockStatusSchema),
  /** Sets or changes the passcode (the current one is needed to change it). */
  'lock.setPasscode': op(z.object({ passcode, current: z.string().max(200).optional() }), LockStatusSchema),
  'lock.disable': op(z.object({ current: z.string().max(200) }), LockStatusSchema),
  'lock.setIdleMinutes': op(z.object({ minutes: z.number().int().min(1).max(24 * 60) }), LockStatusSchema),
  'lock.lock': op(none, LockStatusSchema),
  'lock.unlock': op(z.object({ passcode: z.string().max(200) }), LockStatusSchema),
  'lock.unlockWithDevice': op(none, LockStatusSchema),
  /** The operator is at the keyboard (the UI says so now and then): the idle timer starts over. */
  'lock.touch': op(none, z.object({}))
} as const

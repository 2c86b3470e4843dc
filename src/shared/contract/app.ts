// The app feature: what the UI shows about the app itself.
import { z } from 'zod'
import { op } from './op'
import { iso, none } from './schemas'

export const AppStatusSchema = z.object({
  version: z.string(),
  shell: z.enum(['electron', 'browser-harness', 'cli']),
  /** Every configured server is unreachable (see `unreachable` for each one). */
  offline: z.boolean(),
  offlineReason: z.string().nullable(),
  /** Instances whose server could not be reached at the last attempt, with why and since when. */
  unreachable: z.array(z.object({ instanceId: z.string(), reason: z.string(), since: iso })),
  /**
   * How far each instance's server clock is from this computer's (ms, + = the server is ahead),
   * from the Date of its answers; automatic actions (finish-rotation) pause while it is large.
   */
  clocks: z.array(z.object({ instanceId: z.string(), skewMs: z.number(), automaticActionsPaused: z.boolean() })),
  /** Instances whose requests wait for the server's rate-limit window, and until when. */
  rateLimited: z.array(z.object({ instanceId: z.string(), until: iso })),
  lastSyncAt: iso.nullable(),
  cacheRecovery: z.string().nullable(),
  keychain: z.object({ ok: z.boolean(), message: z.string().nullable() }),
  syncing: z.boolean(),
  /** The app is locked: the UI shows only the unlock screen. */
  locked: z.boolean()
})

export const appOperations = {
  'app.status': op(none, AppStatusSchema)
} as const

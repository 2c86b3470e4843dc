// The operator's settings, kept in the cache as one JSON value. Anything unreadable falls
// back to the defaults, so a damaged value never stops the app.
import { SettingsSchema, type Settings } from '../../shared/contract'
import type { Cache } from '../cache'

const KEY = 'app.settings'

export const DEFAULT_SETTINGS: Settings = {
  graceLeadsMinutes: [24 * 60, 60, 10],
  expiryLeadsMinutes: [7 * 24 * 60, 24 * 60, 60],
  clipboardClearSeconds: 30,
  // Key lists are small, cheap reads, so a sync waits on latency, not on the server: 16 in
  // flight finished 500 tenants at 20 ms latency 11x faster than one at a time (bench/sync);
  // a server that pushes back answers 429 with Retry-After, which the client honours.
  syncConcurrency: 16,
  requestTimeoutSeconds: 15
}

export interface SettingsStore {
  read(): Settings
  write(patch: Partial<Settings>): Settings
}

/** What most features need: the current settings. */
export type SettingsReader = Pick<SettingsStore, 'read'>

export function createSettingsStore(cache: Pick<Cache, 'getSetting' | 'setSetting'>): SettingsStore {
  const read = (): Settings => {
    const parsed = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...cache.getSetting<Partial<Settings>>(KEY, {}) })
    return parsed.success ? parsed.data : DEFAULT_SETTINGS
  }
  return {
    read,
    write(patch) {
      const next = SettingsSchema.parse({ ...read(), ...patch })
      cache.setSetting(KEY, next)
      return next
    }
  }
}

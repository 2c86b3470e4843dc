// settings.*: read and change the operator's settings.
import type { FeatureHandlers } from '../operation'
import type { SettingsStore } from './store'

export interface SettingsDeps {
  settings: SettingsStore
  /** Settings that clients and the schedule read when they are built or armed. */
  applied(): void
}

export function settingsHandlers({ settings, applied }: SettingsDeps) {
  return {
    'settings.get': async () => settings.read(),
    'settings.set': async (patch) => {
      const next = settings.write(patch)
      applied()
      return next
    }
  } satisfies FeatureHandlers<'settings'>
}

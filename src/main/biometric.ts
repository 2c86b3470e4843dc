// The BiometricPort for the lock: Touch ID through Electron's systemPreferences, on macOS only
// (Electron offers no such prompt on Linux or Windows, where the port is absent).
import { systemPreferences } from 'electron'
import type { BiometricPort } from '../core/ports'

export function createBiometric(platform: NodeJS.Platform): BiometricPort | undefined {
  if (platform !== 'darwin') return undefined
  return {
    available: () => systemPreferences.canPromptTouchID(),
    // promptTouchID rejects when the person cancels or the check fails.
    verify: (reason) => systemPreferences.promptTouchID(reason).then(() => true, () => false)
  }
}

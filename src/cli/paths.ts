// Where the CLI keeps its data: the desktop app's own folder by default (Electron's
// app.getPath('userData'), i.e. the product name under the OS's config folder), so one operator
// has one inventory whichever surface they use.
import { homedir } from 'node:os'
import { join, resolve, win32 } from 'node:path'

/** package.json `productName`: the folder name Electron gives the app's userData. */
export const PRODUCT_NAME = 'Fluxbase Keys'

/** Electron's appData for the platform, then the product name. */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string = homedir()): string {
  if (platform === 'win32') return win32.join(env['APPDATA'] || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), PRODUCT_NAME)
}

/** --data-dir, else FLUXBASE_KEYS_DATA_DIR, else the app's folder. */
export function dataDirFrom(option: string | undefined, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  const chosen = option || env['FLUXBASE_KEYS_DATA_DIR']
  return chosen ? resolve(chosen) : defaultDataDir(platform, env)
}

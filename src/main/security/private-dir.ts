// The app data directory (SQLite cache, logs): owner-only, 0700, even if it already existed.
import { chmodSync, mkdirSync } from 'node:fs'

export function ensurePrivateDir(path: string, platform: NodeJS.Platform = process.platform): string {
  mkdirSync(path, { recursive: true, mode: 0o700 })
  // mkdir's mode does not apply to an existing directory (Electron creates userData itself).
  if (platform !== 'win32') chmodSync(path, 0o700)
  return path
}
